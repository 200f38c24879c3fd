package io.ivp2p.testnet;

/**
 * Counters of one direction of a {@link SimNetwork} link, or of the whole network. A snapshot.
 *
 * <p>{@code sent} counts what endpoints sent. A {@link SimNetwork.Tap} may turn one sent datagram
 * into none ({@code droppedTap}) or several, and duplication adds copies, so {@code delivered}
 * may exceed {@code sent}. Each datagram that leaves the tap, and each duplicate, ends up in
 * exactly one of {@code delivered} and the other {@code dropped*} counters, or is still in flight.
 *
 * @param droppedBlackhole dropped by {@link SimNetwork#setBlackhole} or {@link SimNetwork#partition}
 * @param duplicated extra copies made (each also counted in {@code delivered} when it arrives)
 * @param reordered datagrams held back so later ones overtake them
 */
public record LinkStats(
        long sent,
        long delivered,
        long droppedRandom,
        long droppedQueue,
        long droppedMtu,
        long droppedNoReceiver,
        long droppedBlackhole,
        long droppedTap,
        long duplicated,
        long reordered,
        long bytesDelivered) {

    public static final LinkStats ZERO = new LinkStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** All datagrams dropped, for whatever reason. */
    public long dropped() {
        return droppedRandom + droppedQueue + droppedMtu + droppedNoReceiver + droppedBlackhole
                + droppedTap;
    }
}

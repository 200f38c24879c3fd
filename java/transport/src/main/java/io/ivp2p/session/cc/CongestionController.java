package io.ivp2p.session.cc;

import java.util.List;

import io.ivp2p.session.recovery.RttEstimator;
import io.ivp2p.session.recovery.SentPacket;

/**
 * How much a session may have in flight and how fast it may send. The session calls these from
 * its single state-machine thread, in this order per event: loss recovery first (RTT, acked and
 * lost packets), then the controller. Sizes are bytes on the wire; times are nanoseconds of the
 * session's {@link io.ivp2p.time.Clock}.
 */
public interface CongestionController {
    /** A packet that counts as in flight was sent; {@code bytesInFlight} includes it. */
    void onPacketSent(long now, SentPacket packet, long bytesInFlight);

    /**
     * One ACK newly acknowledged {@code acked} (ascending packet numbers, possibly empty); the RTT
     * estimator has already taken this ACK's sample; {@code bytesInFlight} excludes the acked and
     * lost packets.
     */
    void onAcked(long now, List<SentPacket> acked, RateSample sample, RttEstimator rtt, long bytesInFlight);

    /** Packets declared lost (RFC 9002 §6), ascending. */
    void onLost(long now, List<SentPacket> lost, long bytesInFlight);

    /** RFC 9002 §7.6: every packet over a long enough period was lost. */
    void onPersistentCongestion(long now);

    /**
     * The session had less data to send than the window allows: rate samples taken while this
     * lasts are app-limited (draft-cheng-iccrg-delivery-rate-estimation §3.4).
     */
    void onAppLimited(long now, long bytesInFlight);

    /** Bytes that may be in flight. */
    long congestionWindow();

    /** Bytes per second the pacer releases; 0 means unpaced. */
    long pacingRate();
}

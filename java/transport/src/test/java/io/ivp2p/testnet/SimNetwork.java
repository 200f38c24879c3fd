package io.ivp2p.testnet;

import io.ivp2p.time.ManualClock;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * An in-memory datagram network on a {@link ManualClock}: endpoints bound to socket addresses
 * exchange datagrams over links that delay, jitter, lose, queue, duplicate and reorder them as
 * their {@link LinkProfile} says, plus NAT rebinding, blackholes and partitions.
 *
 * <p>Deterministic: given the seed and the same calls, the same datagrams arrive at the same
 * times. Each direction of each address pair draws from its own random stream, derived from the
 * seed and the two addresses, so traffic on one link never changes what happens on another.
 *
 * <p>No threads: {@link Endpoint#send} schedules the delivery on the clock, and
 * {@link Receiver#onDatagram} runs inside {@link ManualClock#advance} at the delivery time.
 * Not thread-safe; the thread that drives the clock drives the network.
 *
 * <p>An endpoint's address is the one its peers see. Links, profiles, stats, blackholes and
 * partitions belong to addresses, not endpoints: after {@link #rebind} the endpoint's traffic uses
 * the links of its new address.
 */
public final class SimNetwork {

    /** Receives the datagrams addressed to an endpoint. */
    @FunctionalInterface
    public interface Receiver {
        /**
         * Called on the clock's thread at the delivery time. {@code payload} is read-only and this
         * delivery's own (position 0, limit = length); it stays valid after the call.
         */
        void onDatagram(InetSocketAddress from, ByteBuffer payload);
    }

    /**
     * Sees every datagram when it is sent, before the link, and says what enters the link instead:
     * the same datagram, a modified one, none, or several (replay, injection).
     */
    @FunctionalInterface
    public interface Tap {
        /**
         * {@code payload} is a private, writable copy that may be changed and returned. The
         * returned buffers (from position to limit) are copied; an empty list drops the datagram.
         */
        List<ByteBuffer> onSend(InetSocketAddress from, InetSocketAddress to, ByteBuffer payload);

        Tap IDENTITY = (from, to, payload) -> List.of(payload);
    }

    /** A bound address. Closing it unbinds the address. */
    public final class Endpoint implements AutoCloseable {
        private final Receiver receiver;
        private InetSocketAddress address;
        private boolean open = true;

        private Endpoint(InetSocketAddress address, Receiver receiver) {
            this.address = address;
            this.receiver = receiver;
        }

        /** The address peers see as this endpoint's source; changes with {@link #rebind}. */
        public InetSocketAddress address() {
            return address;
        }

        public boolean isOpen() {
            return open;
        }

        /**
         * Sends the bytes from {@code payload}'s position to its limit, copied now; the buffer's
         * position is left unchanged. Never fails for network reasons: drops are only counted.
         *
         * @throws IllegalStateException if this endpoint is closed
         */
        public void send(InetSocketAddress to, ByteBuffer payload) {
            Objects.requireNonNull(to, "to");
            if (!open) {
                throw new IllegalStateException("endpoint " + address + " is closed");
            }
            SimNetwork.this.send(address, to, copy(payload));
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                endpoints.remove(address, this);
            }
        }

        @Override
        public String toString() {
            return "Endpoint[" + address + (open ? "]" : ", closed]");
        }
    }

    private final ManualClock clock;
    private final long seed;
    private final Map<InetSocketAddress, Endpoint> endpoints = new HashMap<>();
    private final Map<Direction, Link> links = new HashMap<>();
    private final Set<InetSocketAddress> blackholes = new HashSet<>();
    private final Set<Direction> partitions = new HashSet<>();
    private final Counters total = new Counters();
    private LinkProfile defaultProfile = LinkProfile.IDEAL;
    private Tap tap = Tap.IDENTITY;

    public SimNetwork(ManualClock clock, long seed) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.seed = seed;
    }

    public ManualClock clock() {
        return clock;
    }

    /**
     * Binds {@code address} to {@code receiver}.
     *
     * @throws IllegalStateException if the address is already bound
     */
    public Endpoint bind(InetSocketAddress address, Receiver receiver) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(receiver, "receiver");
        if (endpoints.containsKey(address)) {
            throw new IllegalStateException(address + " is already bound");
        }
        Endpoint endpoint = new Endpoint(address, receiver);
        endpoints.put(address, endpoint);
        return endpoint;
    }

    /**
     * A NAT rebinding: the endpoint at {@code oldAddress} now receives at {@code newAddress} and
     * its datagrams come from there. Datagrams still in flight to {@code oldAddress} are dropped
     * on arrival (no receiver).
     */
    public void rebind(InetSocketAddress oldAddress, InetSocketAddress newAddress) {
        Objects.requireNonNull(newAddress, "newAddress");
        Endpoint endpoint = endpoints.get(oldAddress);
        if (endpoint == null) {
            throw new IllegalArgumentException(oldAddress + " is not bound");
        }
        if (endpoints.containsKey(newAddress)) {
            throw new IllegalStateException(newAddress + " is already bound");
        }
        endpoints.remove(oldAddress);
        endpoint.address = newAddress;
        endpoints.put(newAddress, endpoint);
    }

    /** The profile of links without their own; changing it affects them from the next datagram. */
    public void setDefaultLink(LinkProfile profile) {
        defaultProfile = Objects.requireNonNull(profile, "profile");
    }

    /** The profile of the direction {@code from} → {@code to}, from the next datagram on. */
    public void setLink(InetSocketAddress from, InetSocketAddress to, LinkProfile profile) {
        link(from, to).profile = Objects.requireNonNull(profile, "profile");
    }

    /** The same profile for both directions between {@code a} and {@code b}. */
    public void setBidirectional(InetSocketAddress a, InetSocketAddress b, LinkProfile profile) {
        setLink(a, b, profile);
        setLink(b, a, profile);
    }

    /**
     * Silently drops all datagrams to or from {@code address} while on, including those already in
     * flight when they arrive: a peer that vanished.
     */
    public void setBlackhole(InetSocketAddress address, boolean on) {
        Objects.requireNonNull(address, "address");
        if (on) {
            blackholes.add(address);
        } else {
            blackholes.remove(address);
        }
    }

    /** Like {@link #setBlackhole} but only for traffic between {@code a} and {@code b}, both ways. */
    public void partition(InetSocketAddress a, InetSocketAddress b, boolean on) {
        Direction ab = new Direction(a, b);
        Direction ba = new Direction(b, a);
        if (on) {
            partitions.add(ab);
            partitions.add(ba);
        } else {
            partitions.remove(ab);
            partitions.remove(ba);
        }
    }

    /** Sees every datagram sent from now on; {@link Tap#IDENTITY} removes the tap. */
    public void setTap(Tap tap) {
        this.tap = Objects.requireNonNull(tap, "tap");
    }

    /** Counters of the direction {@code from} → {@code to} (all zero if it never carried traffic). */
    public LinkStats stats(InetSocketAddress from, InetSocketAddress to) {
        Link link = links.get(new Direction(from, to));
        return link == null ? LinkStats.ZERO : link.counters.snapshot();
    }

    /** Counters of the whole network. */
    public LinkStats totalStats() {
        return total.snapshot();
    }

    private void send(InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
        Link link = link(from, to);
        link.count(c -> c.sent++);
        if (tap == Tap.IDENTITY) {
            transmit(link, bytes);
            return;
        }
        List<ByteBuffer> replacements = tap.onSend(from, to, ByteBuffer.wrap(bytes));
        if (replacements.isEmpty()) {
            link.count(c -> c.droppedTap++);
            return;
        }
        for (ByteBuffer replacement : replacements) {
            transmit(link, copy(replacement));
        }
    }

    private void transmit(Link link, byte[] bytes) {
        LinkProfile p = link.profile();
        long now = clock.nanos();
        if (bytes.length > p.mtu()) {
            link.count(c -> c.droppedMtu++);
            return;
        }
        if (isCut(link.direction)) {
            link.count(c -> c.droppedBlackhole++);
            return;
        }
        if (link.lose(p)) {
            link.count(c -> c.droppedRandom++);
            return;
        }
        long departure = now;
        if (p.bandwidthBytesPerSecond() > 0) {
            departure = link.enqueue(now, bytes.length, p);
            if (departure < 0) {
                link.count(c -> c.droppedQueue++);
                return;
            }
        }
        long at = departure + p.delayNanos();
        if (p.jitterNanos() > 0) {
            // Never before the datagram has left the bottleneck.
            at = Math.max(departure, at + link.random.nextLong(-p.jitterNanos(), p.jitterNanos() + 1));
        }
        if (p.reorderRate() > 0 && link.random.nextDouble() < p.reorderRate()) {
            // Held back, and not counted as the in-order frontier, so later datagrams overtake it.
            at += p.reorderDelayNanos();
            link.count(c -> c.reordered++);
        } else if (!p.allowReorder()) {
            at = Math.max(at, link.lastInOrderDelivery);
            link.lastInOrderDelivery = at;
        }
        schedule(link, at, bytes);
        if (p.duplicateRate() > 0 && link.random.nextDouble() < p.duplicateRate()) {
            link.count(c -> c.duplicated++);
            schedule(link, at, bytes);
        }
    }

    private void schedule(Link link, long at, byte[] bytes) {
        clock.schedule(at, () -> deliver(link, bytes));
    }

    private void deliver(Link link, byte[] bytes) {
        if (isCut(link.direction)) {
            link.count(c -> c.droppedBlackhole++);
            return;
        }
        Endpoint endpoint = endpoints.get(link.direction.to);
        if (endpoint == null) {
            link.count(c -> c.droppedNoReceiver++);
            return;
        }
        link.count(c -> {
            c.delivered++;
            c.bytesDelivered += bytes.length;
        });
        // Nobody else can write to bytes, so a read-only view per delivery is as good as a copy.
        endpoint.receiver.onDatagram(link.direction.from, ByteBuffer.wrap(bytes).asReadOnlyBuffer());
    }

    private boolean isCut(Direction d) {
        return blackholes.contains(d.from) || blackholes.contains(d.to) || partitions.contains(d);
    }

    private Link link(InetSocketAddress from, InetSocketAddress to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return links.computeIfAbsent(new Direction(from, to), d -> new Link(d, streamSeed(d)));
    }

    /** Depends only on the seed and the two addresses, not on which links exist or their order. */
    private long streamSeed(Direction d) {
        return mix(mix(seed ^ 0x6A09E667F3BCC908L) ^ stableHash(d.from)) ^ mix(stableHash(d.to) + 1);
    }

    private static long stableHash(InetSocketAddress a) {
        long h = a.getPort();
        if (a.getAddress() != null) {
            for (byte b : a.getAddress().getAddress()) {
                h = h * 31 + (b & 0xff);
            }
        } else {
            h = h * 31 + a.getHostString().hashCode();
        }
        return mix(h);
    }

    /** The SplitMix64 finalizer. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static byte[] copy(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private record Direction(InetSocketAddress from, InetSocketAddress to) {
    }

    private record Queued(long finishAt, int size) {
    }

    /** One direction between two addresses: its profile, random stream, queue and counters. */
    private final class Link {
        final Direction direction;
        final SplittableRandom random;
        final Counters counters = new Counters();
        final ArrayDeque<Queued> queue = new ArrayDeque<>();
        LinkProfile profile; // null: the network's default
        boolean badState;
        long queuedBytes;
        long busyUntil = Long.MIN_VALUE;
        long lastInOrderDelivery = Long.MIN_VALUE;

        Link(Direction direction, long seed) {
            this.direction = direction;
            this.random = new SplittableRandom(seed);
        }

        LinkProfile profile() {
            return profile != null ? profile : defaultProfile;
        }

        void count(Consumer<Counters> update) {
            update.accept(counters);
            update.accept(total);
        }

        /** Gilbert-Elliott: move between the good and bad state, then lose with that state's rate. */
        boolean lose(LinkProfile p) {
            double lossRate = p.lossRate();
            if (p.burstLoss()) {
                badState = badState
                        ? random.nextDouble() >= p.pBadToGood()
                        : random.nextDouble() < p.pGoodToBad();
                if (badState) {
                    lossRate = p.lossInBad();
                }
            } else {
                badState = false;
            }
            return lossRate > 0 && random.nextDouble() < lossRate;
        }

        /**
         * Drop-tail bottleneck: returns when the datagram's last byte leaves it, or -1 if the
         * bytes not yet serialized plus this datagram exceed the queue limit.
         */
        long enqueue(long now, int size, LinkProfile p) {
            while (!queue.isEmpty() && queue.peekFirst().finishAt() <= now) {
                queuedBytes -= queue.pollFirst().size();
            }
            if (queuedBytes + size > p.queueLimitBytes()) {
                return -1;
            }
            long rate = p.bandwidthBytesPerSecond();
            long serialization = (size * 1_000_000_000L + rate - 1) / rate;
            busyUntil = Math.max(now, busyUntil) + serialization;
            queue.addLast(new Queued(busyUntil, size));
            queuedBytes += size;
            return busyUntil;
        }
    }

    private static final class Counters {
        long sent;
        long delivered;
        long droppedRandom;
        long droppedQueue;
        long droppedMtu;
        long droppedNoReceiver;
        long droppedBlackhole;
        long droppedTap;
        long duplicated;
        long reordered;
        long bytesDelivered;

        LinkStats snapshot() {
            return new LinkStats(sent, delivered, droppedRandom, droppedQueue, droppedMtu,
                    droppedNoReceiver, droppedBlackhole, droppedTap, duplicated, reordered,
                    bytesDelivered);
        }
    }
}

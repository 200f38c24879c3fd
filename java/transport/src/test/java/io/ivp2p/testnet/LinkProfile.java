package io.ivp2p.testnet;

import java.time.Duration;

/**
 * How one direction of a simulated link treats datagrams. Immutable; build with {@link #builder()}.
 *
 * <p>A datagram goes through these steps in order: MTU check, random (or burst) loss, the
 * bottleneck queue (drop-tail), then propagation delay plus jitter, then optional hold-back
 * (reordering) and duplication. Loss is applied before the queue, so lost datagrams use no
 * bandwidth.
 *
 * @param delayNanos one-way propagation delay
 * @param jitterNanos each datagram's delay varies uniformly within ± this
 * @param allowReorder whether jitter alone may reorder datagrams; if false, a datagram is never
 *     delivered before one sent earlier on the same direction (jitter is clamped), except those
 *     held back by {@code reorderRate}. Clamping raises delays when datagrams are sent closer
 *     together than the jitter span: a burst rides at nearly {@code delay + jitter}.
 * @param lossRate i.i.d. loss probability (in the good state when burst loss is on)
 * @param pGoodToBad Gilbert-Elliott: per-datagram chance of entering the bad state; 0 turns burst
 *     loss off
 * @param pBadToGood Gilbert-Elliott: per-datagram chance of leaving the bad state (mean burst
 *     length is 1 / pBadToGood)
 * @param lossInBad Gilbert-Elliott: loss probability while in the bad state
 * @param duplicateRate chance a delivered datagram arrives twice
 * @param reorderRate chance a datagram is held back by {@code reorderDelayNanos}, so later ones
 *     overtake it
 * @param reorderDelayNanos extra delay of a held-back datagram
 * @param bandwidthBytesPerSecond bottleneck rate; 0 means infinite (no queue)
 * @param queueLimitBytes drop-tail limit of the bottleneck queue, counting the datagram being
 *     serialized; only used when the bandwidth is finite
 * @param mtu largest datagram payload carried; larger ones are dropped
 */
public record LinkProfile(
        long delayNanos,
        long jitterNanos,
        boolean allowReorder,
        double lossRate,
        double pGoodToBad,
        double pBadToGood,
        double lossInBad,
        double duplicateRate,
        double reorderRate,
        long reorderDelayNanos,
        long bandwidthBytesPerSecond,
        long queueLimitBytes,
        int mtu) {

    /** The largest payload of a UDP datagram over IPv4 (65535 - 20 IP - 8 UDP). */
    public static final int MAX_UDP_PAYLOAD = 65_507;

    /** No delay, no loss, infinite bandwidth: every datagram arrives at the instant it was sent. */
    public static final LinkProfile IDEAL = builder().build();

    public LinkProfile {
        requireNonNegative("delayNanos", delayNanos);
        requireNonNegative("jitterNanos", jitterNanos);
        requireProbability("lossRate", lossRate);
        requireProbability("pGoodToBad", pGoodToBad);
        requireProbability("pBadToGood", pBadToGood);
        requireProbability("lossInBad", lossInBad);
        requireProbability("duplicateRate", duplicateRate);
        requireProbability("reorderRate", reorderRate);
        requireNonNegative("reorderDelayNanos", reorderDelayNanos);
        requireNonNegative("bandwidthBytesPerSecond", bandwidthBytesPerSecond);
        if (queueLimitBytes <= 0) {
            throw new IllegalArgumentException("queueLimitBytes must be positive: " + queueLimitBytes);
        }
        if (mtu <= 0) {
            throw new IllegalArgumentException("mtu must be positive: " + mtu);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    boolean burstLoss() {
        return pGoodToBad > 0;
    }

    private static void requireNonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }

    private static void requireProbability(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1]: " + value);
        }
    }

    /** Starts from {@link #IDEAL}; each method sets one behaviour. */
    public static final class Builder {
        private long delayNanos;
        private long jitterNanos;
        private boolean allowReorder;
        private double lossRate;
        private double pGoodToBad;
        private double pBadToGood;
        private double lossInBad;
        private double duplicateRate;
        private double reorderRate;
        private long reorderDelayNanos;
        private long bandwidthBytesPerSecond;
        private long queueLimitBytes = Long.MAX_VALUE;
        private int mtu = MAX_UDP_PAYLOAD;

        private Builder() {
        }

        private Builder(LinkProfile p) {
            delayNanos = p.delayNanos;
            jitterNanos = p.jitterNanos;
            allowReorder = p.allowReorder;
            lossRate = p.lossRate;
            pGoodToBad = p.pGoodToBad;
            pBadToGood = p.pBadToGood;
            lossInBad = p.lossInBad;
            duplicateRate = p.duplicateRate;
            reorderRate = p.reorderRate;
            reorderDelayNanos = p.reorderDelayNanos;
            bandwidthBytesPerSecond = p.bandwidthBytesPerSecond;
            queueLimitBytes = p.queueLimitBytes;
            mtu = p.mtu;
        }

        public Builder delay(Duration oneWay) {
            delayNanos = oneWay.toNanos();
            return this;
        }

        /** Uniform ± {@code jitter}; {@code allowReorder} lets it reorder datagrams. */
        public Builder jitter(Duration jitter, boolean allowReorder) {
            this.jitterNanos = jitter.toNanos();
            this.allowReorder = allowReorder;
            return this;
        }

        public Builder loss(double rate) {
            lossRate = rate;
            return this;
        }

        /** Gilbert-Elliott burst loss; {@link #loss} still applies in the good state. */
        public Builder burstLoss(double pGoodToBad, double pBadToGood, double lossInBad) {
            this.pGoodToBad = pGoodToBad;
            this.pBadToGood = pBadToGood;
            this.lossInBad = lossInBad;
            return this;
        }

        public Builder duplicate(double rate) {
            duplicateRate = rate;
            return this;
        }

        public Builder reorder(double rate, Duration holdBack) {
            reorderRate = rate;
            reorderDelayNanos = holdBack.toNanos();
            return this;
        }

        /** A bottleneck of {@code bytesPerSecond} (0 = infinite) with a drop-tail queue. */
        public Builder bandwidth(long bytesPerSecond, long queueLimitBytes) {
            this.bandwidthBytesPerSecond = bytesPerSecond;
            this.queueLimitBytes = queueLimitBytes;
            return this;
        }

        public Builder mtu(int bytes) {
            mtu = bytes;
            return this;
        }

        public LinkProfile build() {
            return new LinkProfile(delayNanos, jitterNanos, allowReorder, lossRate, pGoodToBad,
                    pBadToGood, lossInBad, duplicateRate, reorderRate, reorderDelayNanos,
                    bandwidthBytesPerSecond, queueLimitBytes, mtu);
        }
    }
}

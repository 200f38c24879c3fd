package io.ivp2p.session.recovery;

/**
 * Round-trip time estimation, RFC 9002 §5: latest, minimum, smoothed and variation.
 * All times in nanoseconds.
 */
public final class RttEstimator {
    /** RFC 9002 §6.2.2: "kInitialRtt: 333 milliseconds" before any sample. */
    public static final long INITIAL_RTT = 333_000_000L;
    /** RFC 9002 §6.1.2: "kGranularity: 1 millisecond" (timer granularity). */
    public static final long GRANULARITY = 1_000_000L;

    private long latestRtt;
    private long minRtt = Long.MAX_VALUE;
    private long smoothedRtt = INITIAL_RTT;
    private long rttVar = INITIAL_RTT / 2;
    private boolean hasSample;

    /**
     * Takes an RTT sample (RFC 9002 §5.3): {@code ackDelay} is the peer's reported delay, capped
     * by the caller at max_ack_delay; it is subtracted only if the result stays ≥ min_rtt.
     */
    public void update(long sample, long ackDelay) {
        if (sample <= 0) {
            sample = 1;
        }
        latestRtt = sample;
        if (!hasSample) {
            hasSample = true;
            minRtt = sample;
            smoothedRtt = sample;
            rttVar = sample / 2;
            return;
        }
        minRtt = Math.min(minRtt, sample);
        long adjusted = sample;
        if (sample >= minRtt + ackDelay) {
            adjusted = sample - ackDelay;
        }
        rttVar = (3 * rttVar + Math.abs(smoothedRtt - adjusted)) / 4;
        smoothedRtt = (7 * smoothedRtt + adjusted) / 8;
    }

    public boolean hasSample() {
        return hasSample;
    }

    public long latestRtt() {
        return latestRtt;
    }

    /** Long.MAX_VALUE before the first sample. */
    public long minRtt() {
        return minRtt;
    }

    public long smoothedRtt() {
        return smoothedRtt;
    }

    public long rttVar() {
        return rttVar;
    }

    /**
     * RFC 9002 §5.2: "Endpoints SHOULD set the min_rtt to the newest RTT sample after persistent
     * congestion is established": the path may have changed, and an old minimum would keep the
     * ack-delay adjustment of §5.3 off.
     */
    public void onPersistentCongestion() {
        if (hasSample) {
            minRtt = latestRtt;
        }
    }

    /** RFC 9002 §6.2.1: PTO = smoothed_rtt + max(4*rttvar, kGranularity) + max_ack_delay. */
    public long probeTimeout(long maxAckDelay) {
        return smoothedRtt + Math.max(4 * rttVar, GRANULARITY) + maxAckDelay;
    }
}

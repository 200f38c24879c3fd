package io.ivp2p.session.cc;

/**
 * Spreads packets out at the congestion controller's pacing rate: a token bucket driven by the
 * times the caller passes, so it needs no clock or timer of its own. The caller asks
 * {@link #nextSendTime}, sends when that time has come, reports each send to {@link #onSent}, and
 * after every congestion-control event passes the controller's
 * {@link CongestionController#pacingRate()} to {@link #setRate}.
 *
 * <p>The bucket holds at least {@value #BURST_PACKETS} maximum-size datagrams. Linux's fq qdisc, which
 * paces TCP BBR, releases a flow's packets in quanta of 2 MTUs by default, and the BBR draft's
 * send quantum for 1.2 to 24 Mbit/s, the range of a camera's video, is also 2 packets
 * (draft-cardwell-iccrg-bbr-congestion-control-00 §4.2.2). Two back-to-back packets at
 * 20 Mbit/s are under 1 ms of line time, too little to build a queue, while pairing them halves
 * the timer wake-ups of a paced session. A larger bucket would let a sender that was briefly held
 * up (timer slack, a busy thread) catch up in a burst the path then has to queue.
 *
 * <p>Above 24 Mbit/s the bucket follows the draft's send quantum, {@code pacing_rate × 1 ms} up
 * to 64 KB (§4.2.2 BBRSetSendQuantum): at such rates one event-loop wake-up per two packets caps
 * a session near 2 × 1200 B per wake-up (measured here: about 190 Mbit/s on loopback with 2
 * packets, 580–700 Mbit/s with 8), and 1 ms of line time is still too short to build a queue.
 *
 * <p>The bucket is kept as debt: bytes sent and not yet paid off at the rate. A packet may go
 * when, with it, the debt stays within the burst. Sizes are bytes on the wire; times are
 * nanoseconds. Not thread-safe: the session's thread calls it.
 */
public final class Pacer {
    /** Datagrams that may leave back to back. */
    public static final int BURST_PACKETS = 2;

    private static final double NANOS_PER_SECOND = 1e9;
    /** Slack for the rounding of {@link #nextSendTime}'s answer to whole nanoseconds. */
    private static final double EPSILON_BYTES = 1e-6;

    /** §4.2.2: "min(BBR.pacing_rate * 1ms, 64KBytes)" above 24 Mbit/s. */
    static final int MAX_QUANTUM_BYTES = 64 * 1024;
    /** §4.2.2: the 1 ms quantum applies from 24 Mbit/s (3 MB/s); below it, 2 packets. */
    static final long QUANTUM_RATE_THRESHOLD = 3_000_000;

    private final int minBurstBytes;
    private int burstBytes;
    private long rate;
    /** Bytes sent and not yet paid off, as of {@link #debtTime}. */
    private double debt;
    private long debtTime;

    /** @param maxDatagramSize largest datagram the session sends, bytes on the wire */
    public Pacer(int maxDatagramSize) {
        if (maxDatagramSize <= 0) {
            throw new IllegalArgumentException("maxDatagramSize " + maxDatagramSize);
        }
        this.minBurstBytes = BURST_PACKETS * maxDatagramSize;
        this.burstBytes = minBurstBytes;
    }

    /**
     * Sets the rate in bytes per second; 0 turns pacing off (and forgets the debt). The debt is
     * kept in bytes across a change, so a new rate neither forgives nor adds to it.
     */
    public void setRate(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("rate " + bytesPerSecond);
        }
        if (bytesPerSecond == 0) {
            debt = 0;
        }
        rate = bytesPerSecond;
        burstBytes = bytesPerSecond < QUANTUM_RATE_THRESHOLD ? minBurstBytes
                : (int) Math.max(minBurstBytes, Math.min(bytesPerSecond / 1000, MAX_QUANTUM_BYTES));
    }

    /** Bytes per second; 0 when unpaced. */
    public long rate() {
        return rate;
    }

    /** Bytes that may leave back to back after an idle period. */
    public int burstBytes() {
        return burstBytes;
    }

    /**
     * When a packet of {@code size} bytes may be sent: {@code now} if it may go now, else the
     * earliest later time. Always {@code now} when unpaced.
     */
    public long nextSendTime(long now, int size) {
        if (rate == 0) {
            return now;
        }
        double owed = debtAt(now);
        // A packet larger than the whole burst needs an empty bucket.
        double allowed = Math.max(0, burstBytes - size);
        if (owed <= allowed + EPSILON_BYTES) {
            return now;
        }
        return now + (long) Math.ceil((owed - allowed) * NANOS_PER_SECOND / rate);
    }

    /** A packet of {@code size} bytes was sent at {@code now}. */
    public void onSent(long now, int size) {
        if (rate == 0) {
            return;
        }
        debt = debtAt(now) + size;
        debtTime = now;
    }

    private double debtAt(long now) {
        if (debt <= 0) {
            return 0;
        }
        long elapsed = now - debtTime;
        if (elapsed <= 0) {
            return debt;
        }
        return Math.max(0, debt - elapsed * (rate / NANOS_PER_SECOND));
    }
}

package io.ivp2p.session.cc;

import java.util.List;

import io.ivp2p.session.recovery.SentPacket;

/**
 * Estimates the rate at which the path delivered the most recent flight of packets, one sample
 * per ACK: draft-cheng-iccrg-delivery-rate-estimation-02 ("the draft" below). The pseudocode the
 * draft gives is quoted beside each rule it implements.
 *
 * <p>Amounts are bytes on the wire of in-flight packets ({@link SentPacket#size()}), the unit
 * bytes-in-flight and the congestion window use; the draft allows "octets or packets" (§3.1.1)
 * and excludes pure ACKs, which here are exactly the packets that are not in flight. Times are
 * nanoseconds of the session's clock; rates are bytes per second.
 *
 * <p>Two departures from the draft's data layout, none from its arithmetic:
 * <ul>
 * <li>The draft marks a SACKed packet with {@code P.delivered_time = 0} so that a later cumulative
 *     ACK does not count it twice. Loss recovery hands every packet to {@link #onAck} at most
 *     once, so no mark is needed; and 0 is a valid time on our clocks, so it could not be one.</li>
 * <li>{@code MinRTT()}, which the draft leaves to the transport, is the smallest RTT this
 *     estimator has measured itself ({@code now - P.sent_time} of sampled packets). It includes
 *     the peer's ACK delay, as the sampling intervals it is compared with do.</li>
 * </ul>
 *
 * <p>Called from the session's single thread; not thread-safe.
 */
public final class DeliveryRateEstimator {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** §3.1.1 C.delivered: "The total amount of data ... delivered so far". */
    private long delivered;
    /** §3.1.1 C.delivered_time: "The wall clock time when C.delivered was last updated." */
    private long deliveredTime;
    /**
     * §3.1.1 C.first_sent_time: "If packets are in flight, then this holds the send time of the
     * packet that was most recently marked as delivered. Else, if the connection was recently
     * idle, then this holds the send time of most recently sent packet."
     */
    private long firstSentTime;
    /**
     * §3.1.1 C.app_limited: "The index of the last transmitted packet marked as
     * application-limited, or 0 if the connection is not currently application-limited"; as in
     * the draft's pseudocode, the index is a value of C.delivered.
     */
    private long appLimited;
    /** Smallest RTT measured so far, for the §3.3 interval check; MAX_VALUE before the first. */
    private long minRtt = Long.MAX_VALUE;

    /**
     * A packet that counts as in flight is being sent (draft §3.2).
     *
     * @param bytesInFlight bytes in flight <em>before</em> this packet: the draft's test is
     *                      whether anything else is in flight
     */
    public void onPacketSent(long now, SentPacket p, long bytesInFlight) {
        // §3.2: "if (SND.NXT == SND.UNA)  /* no packets in flight yet? */
        //          C.first_sent_time  = C.delivered_time = Now()"
        // After idle the next sample measures from this send, not from the last ACK before idle.
        if (bytesInFlight <= 0) {
            firstSentTime = now;
            deliveredTime = now;
        }
        // §3.2: "P.first_sent_time = C.first_sent_time; P.delivered_time = C.delivered_time;
        //        P.delivered = C.delivered;
        //        P.is_app_limited = (C.app_limited != 0 ? true : false)"
        p.setRateState(delivered, deliveredTime, firstSentTime, appLimited != 0);
    }

    /**
     * One ACK newly acknowledged {@code acked} (draft §3.3 GenerateRateSample). Packets that are
     * not in flight are skipped. Returns {@link RateSample#NONE} when nothing in flight was
     * acknowledged; a sample whose {@code deliveryRate} is 0 when the draft rejects the interval;
     * else a rate sample.
     */
    public RateSample onAck(long now, List<SentPacket> acked) {
        SentPacket newest = null;
        long newlyAcked = 0;
        // §3.3: "for each newly SACKed or ACKed packet P
        //          UpdateRateSample(P, rs)"
        for (SentPacket p : acked) {
            if (!p.inFlight()) {
                continue;
            }
            // §3.3 UpdateRateSample: "C.delivered += P.data_length; C.delivered_time = Now()"
            delivered += p.size();
            deliveredTime = now;
            newlyAcked += p.size();
            // §3.3: "/* Update info using the newest packet: */
            //        if (!rs.has_data or IsNewestPacket(P, rs))"
            // where IsNewestPacket is "P.sent_time > C.first_sent_time or (P.sent_time ==
            // C.first_sent_time and after(P.end_seq, rs.last_end_seq))": latest send time, ties
            // broken by the later packet (our packet numbers grow with sending order).
            if (newest == null || p.timeSent() > newest.timeSent()
                    || (p.timeSent() == newest.timeSent() && p.number() > newest.number())) {
                newest = p;
            }
        }
        // §3.3: "/* Clear app-limited field if bubble is ACKed and gone. */
        //        if (C.app_limited and C.delivered > C.app_limited)
        //          C.app_limited = 0"
        if (appLimited != 0 && delivered > appLimited) {
            appLimited = 0;
        }
        // §3.3: "if (rs.prior_time == 0) return false  /* nothing delivered on this ACK */"
        if (newest == null) {
            return RateSample.NONE;
        }
        // §3.3 UpdateRateSample, for the newest packet:
        //   "rs.prior_delivered = P.delivered; rs.prior_time = P.delivered_time;
        //    rs.is_app_limited = P.is_app_limited;
        //    rs.send_elapsed = P.sent_time - P.first_sent_time;
        //    rs.ack_elapsed = C.delivered_time - P.delivered_time;
        //    C.first_sent_time = P.sent_time"
        long priorDelivered = newest.delivered();
        boolean sampleAppLimited = newest.appLimited();
        long sendElapsed = newest.timeSent() - newest.firstSentTime();
        long ackElapsed = deliveredTime - newest.deliveredTime();
        firstSentTime = newest.timeSent();
        long rtt = Math.max(1, now - newest.timeSent());
        minRtt = Math.min(minRtt, rtt);

        // §3.3: "/* Use the longer of the send_elapsed and ack_elapsed */
        //        rs.interval = max(rs.send_elapsed, rs.ack_elapsed)"
        // The ACK rate alone over-estimates when ACKs are compressed; the send rate alone
        // over-estimates when the sender bursts; the longer interval bounds both.
        long interval = Math.max(sendElapsed, ackElapsed);
        // §3.3: "rs.delivered = C.delivered - rs.prior_delivered"
        long sampleDelivered = delivered - priorDelivered;

        // §3.3: "/* Normally we expect interval >= MinRTT. ... */
        //        if (rs.interval < MinRTT()) rs.interval = -1; return false /* no reliable sample */"
        // In TCP a shorter interval comes from a spurious retransmission whose original is
        // acknowledged, and would over-estimate the rate. Our packet numbers are never reused, so
        // ack_elapsed >= now - P.sent_time = this RTT >= min RTT and the guard cannot fire unless
        // the caller's times go backwards; it is kept as the draft has it.
        if (interval < minRtt || interval <= 0) {
            return new RateSample(0, sampleDelivered, interval, priorDelivered, sampleAppLimited,
                    rtt, newlyAcked);
        }
        // §3.3: "rs.delivery_rate = rs.delivered / rs.interval"
        long rate = bytesPerSecond(sampleDelivered, interval);
        return new RateSample(rate, sampleDelivered, interval, priorDelivered, sampleAppLimited,
                rtt, newlyAcked);
    }

    /**
     * The sender has less to send than congestion control allows (draft §3.4): samples of
     * packets sent from now until everything now in flight is delivered are app-limited.
     *
     * @param bytesInFlight bytes in flight now
     */
    public void onAppLimited(long bytesInFlight) {
        // §3.4: "C.app_limited = (C.delivered + C.pipe) ? : 1"
        long mark = delivered + bytesInFlight;
        appLimited = mark > 0 ? mark : 1;
    }

    /** C.delivered: bytes delivered over the connection's lifetime. */
    public long delivered() {
        return delivered;
    }

    /** Whether packets sent now are marked application-limited (C.app_limited != 0). */
    public boolean appLimited() {
        return appLimited != 0;
    }

    static long bytesPerSecond(long bytes, long nanos) {
        if (nanos <= 0) {
            return 0;
        }
        if (bytes <= Long.MAX_VALUE / NANOS_PER_SECOND) {
            return bytes * NANOS_PER_SECOND / nanos;
        }
        return (long) ((double) bytes * NANOS_PER_SECOND / nanos);
    }
}

package io.ivp2p.session.recovery;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.ivp2p.session.wire.AckFrame;

/**
 * Loss detection for one packet number space, after RFC 9002 §6 and Appendix A: which sent
 * packets an ACK acknowledges, which are lost (packet and time thresholds), when the loss
 * detection timer fires, and probe timeouts with exponential backoff. The handshake is DTLS's
 * business, so there is a single application-data space here.
 *
 * <p>Not thread-safe: the session calls it from its state-machine thread.
 */
public final class LossRecovery {
    /** RFC 9002 §6.1.1: "kPacketThreshold: 3" — reordering tolerated in packets. */
    public static final int PACKET_THRESHOLD = 3;
    /** RFC 9002 §6.1.2: "kTimeThreshold: 9/8" — reordering tolerated in time, as a fraction of RTT. */
    public static final long TIME_THRESHOLD_NUM = 9;
    public static final long TIME_THRESHOLD_DEN = 8;
    /** RFC 9002 §7.6.1: "kPersistentCongestionThreshold: 3". */
    public static final int PERSISTENT_CONGESTION_THRESHOLD = 3;

    private final RttEstimator rtt;
    private final long maxAckDelay;
    private final TreeMap<Long, SentPacket> sent = new TreeMap<>();
    private long largestAcked = -1;
    private long bytesInFlight;
    private long lossTime;
    private int ptoCount;
    private long timeOfLastAckEliciting;
    private long ackElicitingInFlight;
    private long firstRttSampleTime;

    /** What one ACK changed. Lists are in ascending packet number order. */
    public record AckOutcome(List<SentPacket> acked, List<SentPacket> lost, boolean rttSampled,
            boolean persistentCongestion) {}

    public LossRecovery(RttEstimator rtt, long maxAckDelayNanos) {
        this.rtt = rtt;
        this.maxAckDelay = maxAckDelayNanos;
    }

    public RttEstimator rtt() {
        return rtt;
    }

    public long bytesInFlight() {
        return bytesInFlight;
    }

    public int ptoCount() {
        return ptoCount;
    }

    public boolean hasAckElicitingInFlight() {
        return ackElicitingInFlight > 0;
    }

    public long largestAcked() {
        return largestAcked;
    }

    /** Packets sent and neither acknowledged nor declared lost. */
    public int outstanding() {
        return sent.size();
    }

    /** The oldest outstanding packet, or null (probe timeouts resend its data first). */
    public SentPacket oldestOutstanding() {
        Map.Entry<Long, SentPacket> e = sent.firstEntry();
        return e == null ? null : e.getValue();
    }

    public void onPacketSent(SentPacket p) {
        sent.put(p.number(), p);
        if (p.inFlight()) {
            bytesInFlight += p.size();
            ackElicitingInFlight++;
            timeOfLastAckEliciting = p.timeSent();
        }
    }

    /** RFC 9002 §A.7 OnAckReceived, for one ACK frame. */
    public AckOutcome onAck(long now, AckFrame ack) {
        List<SentPacket> acked = new ArrayList<>();
        // Ranges are descending; collect ascending.
        for (int i = ack.ranges().size() - 1; i >= 0; i--) {
            AckFrame.Range r = ack.ranges().get(i);
            Iterator<SentPacket> it = sent.subMap(r.smallest(), true, r.largest(), true).values().iterator();
            while (it.hasNext()) {
                SentPacket p = it.next();
                it.remove();
                removeFromFlight(p);
                acked.add(p);
            }
        }
        if (acked.isEmpty()) {
            return new AckOutcome(acked, List.of(), false, false);
        }
        largestAcked = Math.max(largestAcked, ack.largest());
        boolean sampled = false;
        SentPacket newest = acked.get(acked.size() - 1);
        // RFC 9002 §5.1: sample only when the largest acknowledged is newly acknowledged and at
        // least one newly acknowledged packet was ack-eliciting.
        if (newest.number() == ack.largest() && acked.stream().anyMatch(SentPacket::ackEliciting)) {
            long ackDelay = Math.min(ack.ackDelayMicros() * 1000, maxAckDelay);
            rtt.update(now - newest.timeSent(), ackDelay);
            sampled = true;
            if (firstRttSampleTime == 0) {
                firstRttSampleTime = now;
            }
        }
        List<SentPacket> lost = detectLost(now);
        boolean persistent = persistentCongestion(lost);
        if (persistent) {
            rtt.onPersistentCongestion();
        }
        // RFC 9002 §6.2.1: "The PTO backoff factor is reset when an acknowledgment is received".
        ptoCount = 0;
        return new AckOutcome(acked, lost, sampled, persistent);
    }

    /** RFC 9002 §A.10 DetectAndRemoveLostPackets. */
    private List<SentPacket> detectLost(long now) {
        lossTime = 0;
        List<SentPacket> lost = new ArrayList<>();
        long lossDelay = Math.max(
                TIME_THRESHOLD_NUM * Math.max(rtt.latestRtt(), rtt.smoothedRtt()) / TIME_THRESHOLD_DEN,
                RttEstimator.GRANULARITY);
        long lostSendTime = now - lossDelay;
        Iterator<SentPacket> it = sent.headMap(largestAcked, false).values().iterator();
        while (it.hasNext()) {
            SentPacket p = it.next();
            if (p.timeSent() <= lostSendTime || largestAcked >= p.number() + PACKET_THRESHOLD) {
                it.remove();
                removeFromFlight(p);
                lost.add(p);
            } else {
                long at = p.timeSent() + lossDelay;
                lossTime = lossTime == 0 ? at : Math.min(lossTime, at);
            }
        }
        return lost;
    }

    /**
     * RFC 9002 §7.6.2, simplified to the lost set of one event: ack-eliciting packets lost over a
     * span longer than the persistent congestion duration, sent after the first RTT sample, with
     * nothing between them acknowledged (they are consecutive among the outstanding packets).
     */
    private boolean persistentCongestion(List<SentPacket> lost) {
        if (lost.size() < 2 || firstRttSampleTime == 0) {
            return false;
        }
        long duration = (rtt.smoothedRtt() + Math.max(4 * rtt.rttVar(), RttEstimator.GRANULARITY)
                + maxAckDelay) * PERSISTENT_CONGESTION_THRESHOLD;
        SentPacket first = null;
        for (SentPacket p : lost) {
            if (!p.ackEliciting() || p.timeSent() < firstRttSampleTime) {
                continue;
            }
            if (first == null) {
                first = p;
            }
            if (p.timeSent() - first.timeSent() > duration) {
                return true;
            }
        }
        return false;
    }

    /**
     * RFC 9002 §A.8 GetLossDetectionTimer: the time-threshold loss time if one is pending,
     * otherwise the PTO after the last ack-eliciting packet; MAX_VALUE when nothing is in flight
     * (keep-alive, not PTO, watches an idle session).
     */
    public long lossDetectionDeadline() {
        if (lossTime != 0) {
            return lossTime;
        }
        if (ackElicitingInFlight == 0) {
            return Long.MAX_VALUE;
        }
        long pto = rtt.probeTimeout(maxAckDelay) << Math.min(ptoCount, 16);
        return timeOfLastAckEliciting + pto;
    }

    /**
     * RFC 9002 §A.9 OnLossDetectionTimeout. Returns the packets the time threshold declared lost;
     * an empty list means a probe timeout: {@link #ptoCount()} has grown and the caller must send
     * one or two ack-eliciting probe packets (new or lost data first, else PING).
     */
    public List<SentPacket> onLossDetectionTimeout(long now) {
        if (lossTime != 0 && now >= lossTime) {
            return detectLost(now);
        }
        ptoCount++;
        return List.of();
    }

    private void removeFromFlight(SentPacket p) {
        if (p.inFlight()) {
            bytesInFlight -= p.size();
            ackElicitingInFlight--;
        }
    }

    /** Forgets everything outstanding (session closed); returns what was outstanding. */
    public List<SentPacket> clear() {
        List<SentPacket> all = new ArrayList<>(sent.values());
        sent.clear();
        bytesInFlight = 0;
        ackElicitingInFlight = 0;
        lossTime = 0;
        return all;
    }
}

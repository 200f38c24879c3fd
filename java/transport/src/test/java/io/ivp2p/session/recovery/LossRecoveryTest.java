package io.ivp2p.session.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.ivp2p.session.wire.AckFrame;
import io.ivp2p.session.wire.PingFrame;

class LossRecoveryTest {
    private static final long MS = 1_000_000L;
    private final RttEstimator rtt = new RttEstimator();
    private final LossRecovery recovery = new LossRecovery(rtt, 25 * MS);

    private void send(long pn, long at) {
        recovery.onPacketSent(new SentPacket(pn, at, 1200, true, List.of(PingFrame.INSTANCE)));
    }

    private static AckFrame ack(long... rangesLowHigh) {
        List<AckFrame.Range> ranges = new java.util.ArrayList<>();
        for (int i = 0; i < rangesLowHigh.length; i += 2) {
            ranges.add(new AckFrame.Range(rangesLowHigh[i], rangesLowHigh[i + 1]));
        }
        return new AckFrame(0, ranges);
    }

    @Test
    void firstAckSetsTheRttAndEmptiesTheFlight() {
        send(0, 0);
        LossRecovery.AckOutcome o = recovery.onAck(40 * MS, ack(0, 0));
        assertEquals(1, o.acked().size());
        assertTrue(o.rttSampled());
        assertEquals(40 * MS, rtt.smoothedRtt());
        assertEquals(0, recovery.bytesInFlight());
    }

    @Test
    void aPacketThreeBelowTheLargestAckedIsLost() {
        for (int pn = 0; pn < 5; pn++) {
            send(pn, pn * MS);
        }
        // RFC 9002 §6.1.1: kPacketThreshold 3 — 0 is lost once 3 is acked; 1 and 2 wait.
        LossRecovery.AckOutcome o = recovery.onAck(50 * MS, ack(3, 3));
        assertEquals(List.of(0L), o.lost().stream().map(SentPacket::number).toList());
        o = recovery.onAck(51 * MS, ack(4, 4));
        assertEquals(List.of(1L), o.lost().stream().map(SentPacket::number).toList());
    }

    @Test
    void theTimeThresholdDeclaresALateGapLostAtNineEighthsOfTheRtt() {
        send(0, 0);
        recovery.onAck(100 * MS, ack(0, 0)); // rtt 100 ms
        send(1, 200 * MS);
        send(2, 201 * MS);
        LossRecovery.AckOutcome o = recovery.onAck(301 * MS, ack(2, 2));
        assertTrue(o.lost().isEmpty(), "1 is only one below the largest acked");
        // 9/8 x 100 ms after 1 was sent: 312.5 ms
        assertEquals(200 * MS + 112_500_000L, recovery.lossDetectionDeadline());
        List<SentPacket> lost = recovery.onLossDetectionTimeout(recovery.lossDetectionDeadline());
        assertEquals(1, lost.size());
        assertEquals(1, lost.get(0).number());
    }

    @Test
    void probeTimeoutBacksOffExponentiallyAndAnAckResetsIt() {
        send(0, 0);
        recovery.onAck(100 * MS, ack(0, 0));
        send(1, 200 * MS);
        long pto = rtt.probeTimeout(25 * MS);
        assertEquals(200 * MS + pto, recovery.lossDetectionDeadline());
        assertTrue(recovery.onLossDetectionTimeout(200 * MS + pto).isEmpty());
        assertEquals(1, recovery.ptoCount());
        assertEquals(200 * MS + 2 * pto, recovery.lossDetectionDeadline());
        recovery.onLossDetectionTimeout(200 * MS + 2 * pto);
        assertEquals(200 * MS + 4 * pto, recovery.lossDetectionDeadline());
        recovery.onAck(600 * MS, ack(1, 1));
        assertEquals(0, recovery.ptoCount());
        assertEquals(Long.MAX_VALUE, recovery.lossDetectionDeadline(), "nothing in flight: no PTO");
    }

    @Test
    void ackDelayIsSubtractedOnlyUpToMaxAckDelay() {
        send(0, 0);
        recovery.onAck(50 * MS, ack(0, 0));
        send(1, 100 * MS);
        // 90 ms sample with a claimed 80 ms delay: only 25 ms (max_ack_delay) is subtracted.
        recovery.onAck(190 * MS, new AckFrame(80_000, List.of(new AckFrame.Range(1, 1))));
        assertEquals(90 * MS, rtt.latestRtt());
        assertEquals((7 * 50 * MS + 65 * MS) / 8, rtt.smoothedRtt());
    }

    @Test
    void losingEverythingForThreeProbeTimeoutsIsPersistentCongestion() {
        send(0, 0);
        recovery.onAck(10 * MS, ack(0, 0));
        long pc = (rtt.smoothedRtt() + Math.max(4 * rtt.rttVar(), RttEstimator.GRANULARITY) + 25 * MS) * 3;
        // Twice the duration: the ACK's own RTT sample moves the threshold a little.
        send(1, 20 * MS);
        send(2, 20 * MS + 2 * pc);
        send(3, 20 * MS + 2 * pc + MS);
        send(4, 20 * MS + 2 * pc + 2 * MS);
        send(5, 20 * MS + 2 * pc + 3 * MS);
        LossRecovery.AckOutcome o = recovery.onAck(20 * MS + 2 * pc + 30 * MS, ack(5, 5));
        assertEquals(List.of(1L, 2L), o.lost().stream().map(SentPacket::number).toList());
        assertTrue(o.persistentCongestion());
        // RFC 9002 §5.2: min_rtt restarts from the newest sample (10 ms before, 27 ms now).
        assertEquals(27 * MS, rtt.latestRtt());
        assertEquals(27 * MS, rtt.minRtt());
    }

    @Test
    void duplicateAcksChangeNothing() {
        send(0, 0);
        send(1, MS);
        recovery.onAck(30 * MS, ack(0, 1));
        LossRecovery.AckOutcome again = recovery.onAck(31 * MS, ack(0, 1));
        assertTrue(again.acked().isEmpty());
        assertTrue(again.lost().isEmpty());
        assertEquals(0, recovery.bytesInFlight());
    }
}

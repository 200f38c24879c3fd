package io.ivp2p.session.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.ivp2p.session.recovery.SentPacket;
import io.ivp2p.session.wire.Frame;
import io.ivp2p.session.wire.PingFrame;
import io.ivp2p.time.ManualClock;

class DeliveryRateEstimatorTest {
    private static final long MS = 1_000_000L;
    private static final int SIZE = 1200;

    private final ManualClock clock = new ManualClock();
    private final DeliveryRateEstimator estimator = new DeliveryRateEstimator();
    private final List<RateSample> samples = new ArrayList<>();
    private long nextPn;
    private long inFlight;

    private SentPacket send() {
        long now = clock.nanos();
        SentPacket p = new SentPacket(nextPn++, now, SIZE, true, List.<Frame>of(PingFrame.INSTANCE));
        estimator.onPacketSent(now, p, inFlight);
        inFlight += SIZE;
        return p;
    }

    private RateSample ack(SentPacket... packets) {
        for (SentPacket p : packets) {
            inFlight -= p.size();
        }
        RateSample s = estimator.onAck(clock.nanos(), List.of(packets));
        samples.add(s);
        return s;
    }

    /** Sends one packet every {@code gap} for {@code count} packets, each acked {@code rtt} later. */
    private void steadyFlow(int count, long gap, long rtt) {
        long end = clock.nanos() + (count - 1) * gap + rtt;
        sendChain(count, gap, rtt);
        clock.advanceTo(end);
    }

    // Each send schedules the next, so an ACK due at the same instant, scheduled a round trip
    // earlier, runs first: the sender sees the ACK, then sends.
    private void sendChain(int remaining, long gap, long rtt) {
        SentPacket p = send();
        clock.schedule(p.timeSent() + rtt, () -> ack(p));
        if (remaining > 1) {
            clock.schedule(p.timeSent() + gap, () -> sendChain(remaining - 1, gap, rtt));
        }
    }

    @Test
    void steadyFlowOf1200BytesEveryMillisecondMeasures1200KilobytesPerSecond() {
        steadyFlow(200, MS, 40 * MS);

        // After the first round trip every sample spans one 40 ms round of 40 packets.
        List<RateSample> steady = samples.subList(41, samples.size());
        for (RateSample s : steady) {
            assertTrue(s.valid());
            assertEquals(1_200_000, s.deliveryRate());
            assertEquals(40 * MS, s.interval());
            assertEquals(40 * SIZE, s.delivered());
            assertEquals(40 * MS, s.rtt());
            assertEquals(SIZE, s.newlyAcked());
            assertFalse(s.appLimited());
        }
        assertEquals(200L * SIZE, estimator.delivered());
    }

    @Test
    void firstFlightIsMeasuredFromTheFirstSend() {
        steadyFlow(10, MS, 40 * MS);

        // Packet 0 opened the flight; packet 9 was sent 9 ms later and acked at 49 ms, when all
        // ten had been delivered since time 0: ack_elapsed 49 ms outweighs send_elapsed 9 ms.
        RateSample last = samples.get(9);
        assertEquals(49 * MS, last.interval());
        assertEquals(10 * SIZE, last.delivered());
        assertEquals(10L * SIZE * 1_000_000_000L / (49 * MS), last.deliveryRate());
    }

    @Test
    void sendingAfterIdleRestartsTheIntervalAtTheSend() {
        SentPacket first = send();
        clock.advance(40 * MS);
        ack(first);
        clock.advance(1000 * MS);

        SentPacket afterIdle = send();

        // §3.2: with nothing in flight, C.first_sent_time = C.delivered_time = Now(); the
        // second's idle gap must not count as part of its sample's interval.
        assertEquals(clock.nanos(), afterIdle.deliveredTime());
        assertEquals(clock.nanos(), afterIdle.firstSentTime());
        clock.advance(40 * MS);
        RateSample s = ack(afterIdle);
        assertEquals(40 * MS, s.interval());
        assertEquals(30_000, s.deliveryRate());
    }

    @Test
    void theLongerSendIntervalBoundsTheRateWhenAnAckComesBackEarly() {
        SentPacket a = send();
        clock.advance(1 * MS);
        SentPacket b = send();
        clock.advance(59 * MS);
        ack(a); // 20 ms late: C.delivered_time = 60 ms, C.first_sent_time = 0 (a's send)
        clock.advance(1 * MS);
        SentPacket c = send(); // P.delivered_time = 60 ms, P.first_sent_time = 0, P.delivered = 1 packet
        clock.advance(1 * MS);
        ack(b);
        clock.advance(39 * MS);

        RateSample s = ack(c); // at 101 ms, on time

        // send_elapsed = 61 - 0 = 61 ms; ack_elapsed = 101 - 60 = 41 ms. The ACK spacing alone
        // would claim 2 packets per 41 ms; the draft takes the longer interval.
        assertEquals(61 * MS, s.interval());
        assertEquals(2 * SIZE, s.delivered());
        assertEquals(2L * SIZE * 1_000_000_000L / (61 * MS), s.deliveryRate());
        assertEquals(40 * MS, s.rtt());
    }

    @Test
    void theSampleComesFromTheMostRecentlySentPacketOfTheAck() {
        SentPacket a = send();
        clock.advance(1 * MS);
        SentPacket b = send();
        clock.advance(1 * MS);
        SentPacket c = send();
        clock.advance(40 * MS);

        RateSample s = ack(a, b, c);

        assertEquals(c.delivered(), s.priorDelivered());
        assertEquals(40 * MS, s.rtt());
        assertEquals(3 * SIZE, s.newlyAcked());
    }

    @Test
    void appLimitedMarksPacketsUntilOneSentAfterTheMarkIsDelivered() {
        SentPacket a = send();
        SentPacket b = send();
        estimator.onAppLimited(inFlight); // C.app_limited = C.delivered + bytes in flight
        assertTrue(estimator.appLimited());
        SentPacket c = send();
        assertTrue(c.appLimited());
        clock.advance(40 * MS);

        assertFalse(ack(a).appLimited(), "a was sent before the application ran dry");
        assertFalse(ack(b).appLimited());
        assertTrue(estimator.appLimited(), "only a packet sent after the mark ends it");
        SentPacket d = send();
        assertTrue(d.appLimited());

        assertTrue(ack(c).appLimited(), "c was sent while app-limited");
        assertFalse(estimator.appLimited(), "C.delivered passed C.app_limited");
        SentPacket e = send();
        assertFalse(e.appLimited());

        clock.advance(40 * MS);
        assertTrue(ack(d).appLimited());
        assertFalse(ack(e).appLimited());
    }

    @Test
    void appLimitedWithNothingDeliveredOrInFlightStillMarks() {
        estimator.onAppLimited(0);
        assertTrue(estimator.appLimited());
        assertTrue(send().appLimited());
    }

    @Test
    void anAckOfNothingInFlightGivesNoSample() {
        assertSame(RateSample.NONE, estimator.onAck(0, List.of()));
        SentPacket ackOnly = new SentPacket(99, 0, 50, false, List.of());
        assertSame(RateSample.NONE, estimator.onAck(40 * MS, List.of(ackOnly)));
        assertEquals(0, estimator.delivered());
    }
}

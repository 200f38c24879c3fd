package io.ivp2p.session.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class PacerTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final int MSS = 1200;

    /** A sender that always has data: sends whenever the pacer allows; returns the send times. */
    private static List<Long> greedy(Pacer pacer, long start, long until, int size) {
        List<Long> times = new ArrayList<>();
        long now = start;
        while (true) {
            long at = pacer.nextSendTime(now, size);
            if (at >= until) {
                return times;
            }
            now = at;
            pacer.onSent(now, size);
            times.add(now);
        }
    }

    @Test
    void longRunRateMatchesTheSetRate() {
        Pacer pacer = new Pacer(MSS);
        pacer.setRate(2_500_000); // 20 Mbit/s

        List<Long> sends = greedy(pacer, 0, SECOND, MSS);

        long bytes = (long) sends.size() * MSS;
        // One second at the rate plus the initial burst, to within a packet.
        assertTrue(Math.abs(bytes - (2_500_000 + 2 * MSS)) <= MSS, () -> bytes + " B in 1 s");
    }

    @Test
    void smallPacketsArePacedByBytesNotByCount() {
        Pacer pacer = new Pacer(MSS);
        pacer.setRate(100_000);

        List<Long> sends = greedy(pacer, 0, SECOND, 100);

        long bytes = sends.size() * 100L;
        assertTrue(Math.abs(bytes - 100_000) <= 2 * MSS + 100, () -> bytes + " B in 1 s");
    }

    @Test
    void anIdleSenderMayBurstTwoDatagramsThenWaits() {
        Pacer pacer = new Pacer(MSS);
        pacer.setRate(2_500_000); // a 1200-byte packet takes 480 us

        long t0 = 5 * SECOND;
        assertEquals(t0, pacer.nextSendTime(t0, MSS));
        pacer.onSent(t0, MSS);
        assertEquals(t0, pacer.nextSendTime(t0, MSS), "the second of the pair goes at once");
        pacer.onSent(t0, MSS);
        assertEquals(t0 + 480_000, pacer.nextSendTime(t0, MSS), "the third waits one packet time");
    }

    @Test
    void aFastSenderMayBurstOneMillisecondOfData() {
        Pacer pacer = new Pacer(MSS);
        pacer.setRate(12_500_000); // 100 Mbit/s: quantum 12,500 B (rate x 1 ms), over 10 packets
        long t0 = 5 * SECOND;
        int atOnce = 0;
        while (pacer.nextSendTime(t0, MSS) == t0) {
            pacer.onSent(t0, MSS);
            atOnce++;
        }
        assertEquals(10, atOnce);
        pacer.setRate(2_500_000);
        assertEquals(2 * MSS, pacer.burstBytes(), "below 24 Mbit/s the quantum is 2 packets again");
    }

    @Test
    void noWindowEverCarriesMoreThanTheRateAllowsPlusTheBurst() {
        Pacer pacer = new Pacer(MSS);
        long rate = 1_000_000;
        pacer.setRate(rate);
        // Idle periods in between let the bucket refill; it must not fill beyond the burst.
        List<Long> sends = new ArrayList<>(greedy(pacer, 0, 100 * MS, MSS));
        sends.addAll(greedy(pacer, 300 * MS, 400 * MS, MSS));
        sends.addAll(greedy(pacer, 2 * SECOND, 2100 * MS, MSS));

        for (int i = 0; i < sends.size(); i++) {
            for (int j = i; j < sends.size(); j++) {
                long window = sends.get(j) - sends.get(i);
                long bytes = (long) (j - i + 1) * MSS;
                long allowed = (long) Math.ceil(window * (rate / 1e9)) + 2L * MSS;
                assertTrue(bytes <= allowed, "sends " + i + ".." + j + ": " + bytes + " B in " + window + " ns");
            }
        }
    }

    @Test
    void rateZeroIsUnpaced() {
        Pacer pacer = new Pacer(MSS);
        pacer.setRate(1000);
        pacer.onSent(0, MSS);
        pacer.onSent(0, MSS);
        pacer.setRate(0);

        for (int i = 0; i < 100; i++) {
            assertEquals(0, pacer.nextSendTime(0, MSS));
            pacer.onSent(0, MSS);
        }
    }

    @Test
    void raisingTheRateShortensTheWaitForDebtAlreadyOwed() {
        Pacer pacer = new Pacer(MSS);
        pacer.setRate(120_000); // 10 ms per packet
        pacer.onSent(0, MSS);
        pacer.onSent(0, MSS);
        assertEquals(10 * MS, pacer.nextSendTime(0, MSS));

        pacer.setRate(1_200_000); // 1 ms per packet

        assertEquals(1 * MS, pacer.nextSendTime(0, MSS));
    }

    @Test
    void aPacketLargerThanTheBurstWaitsForAnEmptyBucket() {
        Pacer pacer = new Pacer(500); // burst 1000 B
        pacer.setRate(1_000_000); // 1 us per byte
        pacer.onSent(0, 500);

        assertEquals(500_000, pacer.nextSendTime(0, 1200));
    }
}

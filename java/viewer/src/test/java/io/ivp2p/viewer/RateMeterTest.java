package io.ivp2p.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RateMeterTest {
    @Test
    void aSteadyRateIsMeasuredAndForgottenWhenItStops() {
        RateMeter m = new RateMeter();
        long t = 1_000_000;
        for (int i = 0; i < 40; i++) { // 10 s of 100 kB/s in 250 ms steps
            m.add(25_000, t);
            t += 250;
        }
        assertEquals(800_000, m.bitsPerSecond(t - 1), 8 * 25_000 / 2.0); // within one bucket
        assertEquals(1_000_000, m.total());
        assertEquals(0, m.bitsPerSecond(t + RateMeter.WINDOW_MS), "nothing in the last window");
    }
}

package io.ivp2p.device;

import static io.ivp2p.bridge.IvEvent.WATERMARK_HIGH;
import static io.ivp2p.bridge.IvEvent.WATERMARK_LOW;
import static io.ivp2p.bridge.IvEvent.WATERMARK_WARN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** abi-facts.md's watermark semantics on one stream's un-acknowledged bytes. */
class WatermarkTrackerTest {
    private static final Watermarks SAMPLE = new Watermarks(200_000, 400_000, 500_000);
    private final WatermarkTracker t = new WatermarkTracker();

    @Test
    void warnOnceOnTheWayUpThenHighPausesThenLowResumes() {
        assertEquals(List.of(), t.update(400_000, SAMPLE), "at warn is not above it");
        assertEquals(List.of(WATERMARK_WARN), t.update(400_001, SAMPLE));
        assertEquals(List.of(), t.update(450_000, SAMPLE));
        assertEquals(List.of(), t.update(300_000, SAMPLE), "back under warn but not under low: nothing");
        assertEquals(List.of(), t.update(450_000, SAMPLE), "no second WARN before a LOW");
        assertFalse(t.paused());
        assertEquals(List.of(WATERMARK_HIGH), t.update(500_001, SAMPLE));
        assertTrue(t.paused());
        assertEquals(List.of(), t.update(200_000, SAMPLE), "at low is not below it");
        assertTrue(t.paused());
        assertEquals(List.of(WATERMARK_LOW), t.update(199_999, SAMPLE));
        assertFalse(t.paused());
        assertEquals(List.of(WATERMARK_WARN), t.update(400_001, SAMPLE), "re-armed after LOW");
    }

    @Test
    void aJumpPastBothMarksGivesWarnThenHigh() {
        assertEquals(List.of(WATERMARK_WARN, WATERMARK_HIGH), t.update(600_000, SAMPLE));
        assertTrue(t.paused());
    }

    @Test
    void aWarnThatFallsBelowLowGivesLowWithoutHigh() {
        t.update(450_000, SAMPLE);
        assertEquals(List.of(WATERMARK_LOW), t.update(10, SAMPLE));
    }

    @Test
    void withLowZeroAnEmptyBufferResumes() {
        Watermarks m = new Watermarks(0, 1000, 2000);
        t.update(5000, m);
        assertTrue(t.paused());
        assertEquals(List.of(), t.update(1, m));
        assertEquals(List.of(WATERMARK_LOW), t.update(0, m));
        assertFalse(t.paused());
    }

    @Test
    void allZeroMeansNoEventsAndNoPauseEvenWhenTurnedOffWhilePaused() {
        assertEquals(List.of(), t.update(10_000_000, Watermarks.DISABLED));
        assertFalse(t.paused());
        t.update(600_000, SAMPLE);
        assertTrue(t.paused());
        assertEquals(List.of(), t.update(600_000, Watermarks.DISABLED));
        assertFalse(t.paused(), "the firmware took over congestion control");
    }

    @Test
    void marksAreUnsignedSizeT() {
        Watermarks huge = new Watermarks(-3, -2, -1); // SIZE_MAX - 2 .. SIZE_MAX
        assertEquals(List.of(), t.update(Long.MAX_VALUE, huge));
    }
}

package io.ivp2p.device;

import java.util.ArrayList;
import java.util.List;

import io.ivp2p.bridge.IvEvent;

/**
 * The watermark state of one send stream, as abi-facts.md has it: un-acknowledged bytes rising
 * above {@code warn} → one WATERMARK_WARN; above {@code high} → one WATERMARK_HIGH and polling of
 * send_get_cb pauses; falling below {@code low} → one WATERMARK_LOW and polling resumes. WARN and
 * HIGH fire again only after a LOW. Rising past warn and high at once gives WARN then HIGH.
 *
 * <p>"Below low" with {@code low == 0} would never happen and would leave the stream paused for
 * good, so an empty buffer always counts as below low. Turning watermarks off (all 0) resumes a
 * paused stream without an event: the firmware has said it does its own congestion control.
 */
final class WatermarkTracker {
    private enum Level { NORMAL, WARNED, HIGH }

    private Level level = Level.NORMAL;

    /** True while polling is paused by a HIGH. */
    boolean paused() {
        return level == Level.HIGH;
    }

    /** Feeds the current un-acknowledged bytes; returns the events to send, in order. */
    List<IvEvent> update(long unacked, Watermarks marks) {
        if (!marks.enabled()) {
            level = Level.NORMAL;
            return List.of();
        }
        List<IvEvent> events = new ArrayList<>(2);
        if (level == Level.NORMAL && Long.compareUnsigned(unacked, marks.warn()) > 0) {
            events.add(IvEvent.WATERMARK_WARN);
            level = Level.WARNED;
        }
        if (level != Level.HIGH && Long.compareUnsigned(unacked, marks.high()) > 0) {
            events.add(IvEvent.WATERMARK_HIGH);
            level = Level.HIGH;
        }
        if (level != Level.NORMAL && events.isEmpty()
                && (unacked == 0 || Long.compareUnsigned(unacked, marks.low()) < 0)) {
            events.add(IvEvent.WATERMARK_LOW);
            level = Level.NORMAL;
        }
        return events;
    }
}

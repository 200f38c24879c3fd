package io.ivp2p.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.ivp2p.session.wire.AckFrame;

/**
 * The receiving side of acknowledgements: which packet numbers arrived, and when an ACK is due
 * (RFC 9000 §13.2). An ACK is sent after every second ack-eliciting packet, at once when a packet
 * arrives out of order (so the sender detects loss quickly), and otherwise no later than
 * max_ack_delay after the first unacknowledged ack-eliciting packet.
 */
final class AckTracker {
    /** RFC 9000 §13.2.2: "an ACK frame SHOULD be sent after receiving at least two ack-eliciting packets". */
    static final int ACK_ELICITING_THRESHOLD = 2;

    private final long maxAckDelay;
    private final RangeSet received = new RangeSet();
    private long largest = -1;
    private long largestTime;
    private int unackedEliciting;
    private long ackDeadline = Long.MAX_VALUE;
    private boolean ackNow;
    private boolean anythingToAck;

    AckTracker(long maxAckDelayNanos) {
        this.maxAckDelay = maxAckDelayNanos;
    }

    /**
     * Records packet {@code pn}; returns false for a duplicate (already received, or older than
     * everything still tracked), which the session then drops unprocessed.
     */
    boolean onPacket(long now, long pn, boolean ackEliciting) {
        if (received.contains(pn) || (received.first() != null
                && received.rangeCount() >= AckFrame.MAX_RANGES && pn < received.first().getKey())) {
            return false;
        }
        boolean outOfOrder = largest >= 0 && pn != largest + 1;
        received.add(pn, pn + 1);
        while (received.rangeCount() > AckFrame.MAX_RANGES) {
            received.pollFirst();
        }
        if (pn > largest) {
            largest = pn;
            largestTime = now;
        }
        anythingToAck = true;
        if (ackEliciting) {
            unackedEliciting++;
            if (ackDeadline == Long.MAX_VALUE) {
                ackDeadline = now + maxAckDelay;
            }
            if (unackedEliciting >= ACK_ELICITING_THRESHOLD || outOfOrder) {
                ackNow = true;
            }
        }
        return true;
    }

    /** An ACK must go out now (threshold or out-of-order arrival) or its delay has expired. */
    boolean ackDue(long now) {
        return ackNow || now >= ackDeadline;
    }

    /** Earliest time an ACK becomes due on its own; MAX_VALUE when nothing waits. */
    long ackDeadline() {
        return ackNow ? Long.MIN_VALUE : ackDeadline;
    }

    /** Something arrived since the last ACK (an ACK may ride along with other frames). */
    boolean hasNewAcks() {
        return anythingToAck;
    }

    AckFrame buildAck(long now) {
        List<AckFrame.Range> ranges = new ArrayList<>();
        for (Map.Entry<Long, Long> r : received.descending()) {
            ranges.add(new AckFrame.Range(r.getKey(), r.getValue() - 1));
            if (ranges.size() == AckFrame.MAX_RANGES) {
                break;
            }
        }
        long delayMicros = Math.max(0, (now - largestTime) / 1000);
        return new AckFrame(delayMicros, ranges);
    }

    /** The ACK built last went out. */
    void onAckSent() {
        unackedEliciting = 0;
        ackDeadline = Long.MAX_VALUE;
        ackNow = false;
        anythingToAck = false;
    }

    boolean receivedAny() {
        return largest >= 0;
    }
}

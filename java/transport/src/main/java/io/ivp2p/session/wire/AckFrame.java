package io.ivp2p.session.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Selective acknowledgement (RFC 9000 §19.3): the acknowledged packet numbers as ranges, largest
 * first, plus how long the receiver held the acknowledgement back (for RTT samples, RFC 9002 §5.3).
 *
 * @param ranges disjoint, non-adjacent, in descending order; ranges.get(0).largest() is the
 *               largest acknowledged packet number
 */
public record AckFrame(long ackDelayMicros, List<Range> ranges) implements Frame {
    /** Bound on ranges per frame, so an ACK always fits a packet; older ranges are dropped. */
    public static final int MAX_RANGES = 64;

    /** Packet numbers {@code smallest..largest}, inclusive. */
    public record Range(long smallest, long largest) {
        public Range {
            if (smallest < 0 || largest < smallest) {
                throw new WireFormatException("bad ack range " + smallest + ".." + largest);
            }
        }

        public boolean contains(long pn) {
            return pn >= smallest && pn <= largest;
        }
    }

    public AckFrame {
        if (ranges.isEmpty() || ranges.size() > MAX_RANGES) {
            throw new IllegalArgumentException("ack with " + ranges.size() + " ranges");
        }
        for (int i = 1; i < ranges.size(); i++) {
            // Descending with a gap of at least one unacknowledged packet between ranges.
            if (ranges.get(i).largest() + 1 >= ranges.get(i - 1).smallest()) {
                throw new IllegalArgumentException("ack ranges not descending and disjoint: " + ranges);
            }
        }
        ranges = List.copyOf(ranges);
        VarInt.size(ackDelayMicros);
    }

    public long largest() {
        return ranges.get(0).largest();
    }

    public boolean acknowledges(long pn) {
        for (Range r : ranges) {
            if (r.contains(pn)) {
                return true;
            }
            if (pn > r.largest()) {
                return false;
            }
        }
        return false;
    }

    static AckFrame parseBody(ByteBuffer in) {
        long largest = VarInt.read(in);
        long delay = VarInt.read(in);
        long count = VarInt.read(in);
        if (count >= MAX_RANGES) {
            throw new WireFormatException("ack with " + (count + 1) + " ranges");
        }
        List<Range> ranges = new ArrayList<>((int) count + 1);
        long smallest = largest - VarInt.read(in);
        if (smallest < 0) {
            throw new WireFormatException("ack first range below 0");
        }
        ranges.add(new Range(smallest, largest));
        for (int i = 0; i < count; i++) {
            long gap = VarInt.read(in);
            long high = smallest - gap - 2;
            long low = high - VarInt.read(in);
            if (low < 0) {
                throw new WireFormatException("ack range below 0");
            }
            ranges.add(new Range(low, high));
            smallest = low;
        }
        return new AckFrame(delay, ranges);
    }

    @Override
    public int encodedSize() {
        Range first = ranges.get(0);
        int n = 1 + VarInt.size(first.largest()) + VarInt.size(ackDelayMicros)
                + VarInt.size(ranges.size() - 1) + VarInt.size(first.largest() - first.smallest());
        long smallest = first.smallest();
        for (int i = 1; i < ranges.size(); i++) {
            Range r = ranges.get(i);
            n += VarInt.size(smallest - r.largest() - 2) + VarInt.size(r.largest() - r.smallest());
            smallest = r.smallest();
        }
        return n;
    }

    @Override
    public void serialize(ByteBuffer out) {
        Range first = ranges.get(0);
        out.put((byte) ACK);
        VarInt.write(out, first.largest());
        VarInt.write(out, ackDelayMicros);
        VarInt.write(out, ranges.size() - 1);
        VarInt.write(out, first.largest() - first.smallest());
        long smallest = first.smallest();
        for (int i = 1; i < ranges.size(); i++) {
            Range r = ranges.get(i);
            VarInt.write(out, smallest - r.largest() - 2);
            VarInt.write(out, r.largest() - r.smallest());
            smallest = r.smallest();
        }
    }

    @Override
    public boolean ackEliciting() {
        return false;
    }
}

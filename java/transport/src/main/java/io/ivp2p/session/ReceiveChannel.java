package io.ivp2p.session;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

import io.ivp2p.session.wire.StreamFrame;

/**
 * The receiving half of one channel: reassembles frames into the in-order byte stream, drops
 * what was already received, and enforces the flow-control window it advertised: the peer may
 * send up to {@code readOffset + window}; more is a protocol violation. Memory is bounded by the
 * window, so a reader that stops reading stops only this channel's sender.
 */
final class ReceiveChannel {
    private final int id;
    private final long window;
    /** Out-of-order and not-yet-read data, non-overlapping, keyed by offset. */
    private final TreeMap<Long, ByteBuffer> segments = new TreeMap<>();
    private final RangeSet received = new RangeSet();
    private long readOffset;
    private long advertised;
    private long finalSize = -1;
    private long buffered;
    private boolean windowAnnounced;

    ReceiveChannel(int id, long window) {
        this.id = id;
        this.window = window;
        // Every session starts at the protocol's initial window; a larger one is advertised with
        // the first packet (maxDataUpdate), so the ends may use different windows.
        this.advertised = Math.min(window, SessionConfig.INITIAL_STREAM_WINDOW);
    }

    /** Stores a frame's new bytes; throws {@link FlowControlException} past the window. */
    void onFrame(StreamFrame f) {
        if (f.end() > advertised) {
            throw new FlowControlException("channel " + id + ": data up to " + f.end()
                    + " beyond the advertised " + advertised);
        }
        if (finalSize >= 0 && f.end() > finalSize) {
            throw new FlowControlException("channel " + id + ": data up to " + f.end()
                    + " beyond the final size " + finalSize);
        }
        if (f.fin()) {
            if (finalSize >= 0 && f.end() != finalSize) {
                throw new FlowControlException("channel " + id + ": final size changed from "
                        + finalSize + " to " + f.end());
            }
            if (received.last() != null && received.last().getValue() > f.end()) {
                throw new FlowControlException("channel " + id + ": FIN at " + f.end()
                        + " below data already received");
            }
            finalSize = f.end();
        }
        long start = Math.max(f.offset(), readOffset);
        long end = f.end();
        // Copy only the sub-ranges not yet received.
        long pos = start;
        while (pos < end) {
            if (received.contains(pos)) {
                Map.Entry<Long, Long> r = rangeAt(pos);
                pos = Math.min(end, r.getValue());
                continue;
            }
            long next = nextReceived(pos, end);
            int len = (int) (next - pos);
            ByteBuffer src = f.data().duplicate();
            src.position(src.position() + (int) (pos - f.offset())).limit(src.position() + len);
            ByteBuffer copy = ByteBuffer.allocate(len);
            copy.put(src).flip();
            segments.put(pos, copy);
            received.add(pos, next);
            buffered += len;
            pos = next;
        }
    }

    private Map.Entry<Long, Long> rangeAt(long pos) {
        for (Map.Entry<Long, Long> r : received) {
            if (r.getKey() <= pos && pos < r.getValue()) {
                return r;
            }
        }
        throw new IllegalStateException();
    }

    /** Start of the next received range at or after {@code pos}, capped at {@code end}. */
    private long nextReceived(long pos, long end) {
        for (Map.Entry<Long, Long> r : received) {
            if (r.getKey() > pos) {
                return Math.min(end, r.getKey());
            }
        }
        return end;
    }

    /** Bytes readable in order now. */
    long readable() {
        Map.Entry<Long, Long> first = received.first();
        return first != null && first.getKey() <= readOffset ? first.getValue() - readOffset : 0;
    }

    /** Copies in-order bytes into {@code dst}; returns the count, or -1 at the end of the stream. */
    int read(ByteBuffer dst) {
        int n = 0;
        while (dst.hasRemaining()) {
            Map.Entry<Long, ByteBuffer> head = segments.firstEntry();
            if (head == null || head.getKey() != readOffset) {
                break;
            }
            ByteBuffer seg = head.getValue();
            int take = Math.min(dst.remaining(), seg.remaining());
            ByteBuffer part = seg.duplicate();
            part.limit(part.position() + take);
            dst.put(part);
            seg.position(seg.position() + take);
            segments.remove(head.getKey());
            if (seg.hasRemaining()) {
                segments.put(readOffset + take, seg);
            }
            readOffset += take;
            buffered -= take;
            n += take;
        }
        // Keep the received set small: everything below readOffset is consumed.
        received.remove(0, readOffset);
        received.add(0, readOffset);
        if (n == 0 && finalSize >= 0 && readOffset == finalSize) {
            return -1;
        }
        return n;
    }

    /** The peer finished and every byte has been read. */
    boolean atEnd() {
        return finalSize >= 0 && readOffset == finalSize;
    }

    /** The peer finished sending (the FIN arrived), whether or not all was read. */
    boolean finReceived() {
        return finalSize >= 0;
    }

    /**
     * A new limit to advertise when half the window has been consumed (so the sender is never
     * stalled for a full round trip), else -1.
     */
    long maxDataUpdate() {
        if (finalSize >= 0) {
            return -1;
        }
        long target = readOffset + window;
        if (!windowAnnounced) {
            // The first update announces a configured window larger than the initial one.
            windowAnnounced = true;
            if (window > advertised) {
                advertised = target;
                return target;
            }
        }
        if (target - advertised >= window / 2) {
            advertised = target;
            return target;
        }
        return -1;
    }

    /** The current advertised limit (sent again if the frame carrying it was lost). */
    long advertised() {
        return advertised;
    }

    long bufferedBytes() {
        return buffered;
    }
}

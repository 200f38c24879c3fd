package io.ivp2p.session;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Map;

import io.ivp2p.session.wire.StreamFrame;

/**
 * The sending half of one channel: bytes written by the application and not yet acknowledged,
 * kept in 16 KiB chunks that are released as soon as every byte in them is acknowledged.
 *
 * <p>Bounded: at most {@code limit} unacknowledged bytes are accepted ({@link #write} takes
 * what fits), so a peer that stops acknowledging throttles this channel's writer and no other.
 * Lost ranges are sent again before new data. The peer's flow-control limit
 * ({@code MAX_STREAM_DATA}) caps how far new data may go.
 */
final class SendChannel {
    static final int CHUNK = 16 * 1024;

    private final int id;
    private final long limit;
    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    /** Offsets acknowledged; the contiguous prefix [0, ackedPrefix) has been released. */
    private final RangeSet acked = new RangeSet();
    /** Offsets declared lost and not acknowledged since: sent again first. */
    private final RangeSet lost = new RangeSet();
    private long written;
    private long nextNew;
    private long peerMax;
    private boolean finWritten;
    private boolean finSent;
    private boolean finAcked;
    private boolean finLost;

    private static final class Chunk {
        final long start;
        final byte[] bytes = new byte[CHUNK];
        int length;

        Chunk(long start) {
            this.start = start;
        }

        long end() {
            return start + length;
        }
    }

    SendChannel(int id, long limit, long initialPeerMax) {
        this.id = id;
        this.limit = limit;
        this.peerMax = initialPeerMax;
    }

    int id() {
        return id;
    }

    /** Accepts as much of {@code src} as the buffer limit allows; returns the bytes taken. */
    int write(ByteBuffer src) {
        if (finWritten) {
            throw new IllegalStateException("channel " + id + " already finished");
        }
        int n = (int) Math.min(src.remaining(), Math.max(0, limit - unacked()));
        int left = n;
        while (left > 0) {
            Chunk last = chunks.peekLast();
            if (last == null || last.length == CHUNK) {
                last = new Chunk(written);
                chunks.addLast(last);
            }
            int take = Math.min(left, CHUNK - last.length);
            src.get(last.bytes, last.length, take);
            last.length += take;
            written += take;
            left -= take;
        }
        return n;
    }

    /** No more data after what was written: a FIN follows the last byte. */
    void finish() {
        finWritten = true;
    }

    boolean finished() {
        return finWritten;
    }

    /** Bytes written and not yet acknowledged (what get_send_buf reports). */
    long unacked() {
        return written - acked.total();
    }

    /** Bytes acknowledged so far, each counted once. */
    long ackedTotal() {
        return acked.total();
    }

    long written() {
        return written;
    }

    /** Room left under the limit. */
    long writable() {
        return finWritten ? 0 : Math.max(0, limit - unacked());
    }

    /** Every byte and the FIN (if written) acknowledged. */
    boolean allAcked() {
        return unacked() == 0 && (!finWritten || finAcked);
    }

    void onMaxStreamData(long max) {
        peerMax = Math.max(peerMax, max);
    }

    /** Blocked by the peer's flow control with new data waiting. */
    boolean flowBlocked() {
        return nextNew < written && nextNew >= peerMax;
    }

    boolean hasRetransmission() {
        return !lost.isEmpty() || finLost;
    }

    boolean hasNewData() {
        return nextNew < Math.min(written, peerMax) || (finWritten && !finSent && nextNew == written);
    }

    boolean hasSomethingToSend() {
        return hasRetransmission() || hasNewData();
    }

    /**
     * The next frame to send in at most {@code maxFrameBytes} (frame header included), lost data
     * first; null if nothing fits or nothing waits.
     */
    StreamFrame nextFrame(int maxFrameBytes) {
        if (!lost.isEmpty()) {
            Map.Entry<Long, Long> r = lost.first();
            return frame(r.getKey(), r.getValue(), maxFrameBytes, true);
        }
        if (finLost) {
            return finOnly(maxFrameBytes, true);
        }
        long end = Math.min(written, peerMax);
        if (nextNew < end) {
            return frame(nextNew, end, maxFrameBytes, false);
        }
        if (finWritten && !finSent && nextNew == written) {
            return finOnly(maxFrameBytes, false);
        }
        return null;
    }

    private StreamFrame finOnly(int maxFrameBytes, boolean retransmit) {
        if (StreamFrame.headerSize(written, 0) > maxFrameBytes) {
            return null;
        }
        finSent = true;
        if (retransmit) {
            finLost = false;
        }
        return new StreamFrame(id, written, ByteBuffer.allocate(0), true);
    }

    private StreamFrame frame(long start, long end, int maxFrameBytes, boolean retransmit) {
        Chunk c = chunkAt(start);
        int room = maxFrameBytes - StreamFrame.headerSize(start, (int) Math.min(end - start, CHUNK));
        if (room <= 0) {
            return null;
        }
        int len = (int) Math.min(Math.min(end - start, room), c.end() - start);
        ByteBuffer data = ByteBuffer.wrap(c.bytes, (int) (start - c.start), len).slice();
        long frameEnd = start + len;
        boolean fin = finWritten && frameEnd == written
                && (retransmit ? finLost || !finSent : !finSent);
        if (retransmit) {
            lost.remove(start, frameEnd);
            if (fin) {
                finLost = false;
            }
        } else {
            nextNew = frameEnd;
        }
        if (fin) {
            finSent = true;
        }
        return new StreamFrame(id, start, data, fin);
    }

    private Chunk chunkAt(long offset) {
        for (Chunk c : chunks) {
            if (offset < c.end()) {
                return c;
            }
        }
        throw new IllegalStateException("channel " + id + ": offset " + offset + " not buffered");
    }

    void onAcked(StreamFrame f) {
        acked.add(f.offset(), f.end());
        lost.remove(f.offset(), f.end());
        if (f.fin()) {
            finAcked = true;
            finLost = false;
        }
        releaseAckedChunks();
    }

    void onLost(StreamFrame f) {
        // Only what is still unacknowledged needs sending again.
        long start = f.offset();
        for (Map.Entry<Long, Long> r : acked) {
            if (r.getKey() >= f.end()) {
                break;
            }
            if (r.getValue() <= start) {
                continue;
            }
            lost.add(start, Math.min(r.getKey(), f.end()));
            start = Math.max(start, r.getValue());
        }
        lost.add(start, f.end());
        if (f.fin() && !finAcked) {
            finLost = true;
        }
    }

    private void releaseAckedChunks() {
        Map.Entry<Long, Long> prefix = acked.first();
        long ackedPrefix = prefix != null && prefix.getKey() == 0 ? prefix.getValue() : 0;
        while (!chunks.isEmpty() && chunks.peekFirst().length == CHUNK
                && chunks.peekFirst().end() <= ackedPrefix) {
            chunks.pollFirst();
        }
        if (chunks.size() == 1 && chunks.peekFirst().end() <= ackedPrefix
                && chunks.peekFirst().end() == written) {
            chunks.pollFirst();
        }
    }

    /** Bytes of chunk memory held (for the per-session memory bound). */
    long bufferedBytes() {
        return (long) chunks.size() * CHUNK;
    }
}

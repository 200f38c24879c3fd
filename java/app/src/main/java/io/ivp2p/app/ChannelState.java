package io.ivp2p.app;

import java.util.concurrent.locks.ReentrantLock;

/**
 * What the app knows about one data channel (1..7) of a session: the stream or talk on it and how
 * far it has been read. docs/protocol.md, "Stream offsets": "The device counts the bytes it has
 * written on each channel since the session began. STREAM_OPENED carries the count at which the
 * new stream's first byte will be; STREAM_END the count after its last byte. The app discards bytes
 * below the start offset ... and reports the end of the stream once it has read up to the end
 * offset."
 *
 * <p>Fields are guarded by this object's monitor; {@link #consumed} is advanced only by the thread
 * holding {@link #reading}, so a read's bookkeeping never interleaves with another read's.
 */
final class ChannelState {
    enum Mode {
        /** Nothing requested (raw pass-through bytes are read as they come), or talk ended. */
        IDLE,
        /** STREAM_OPEN sent, no reply yet: the start offset is unknown, so reads wait. */
        OPENING,
        /** A stream is on; {@link #end} is set once STREAM_END arrived. */
        STREAM,
        /** STREAM_CLOSE sent; reads go on until STREAM_END's offset. */
        CLOSING,
        /** TALK_OPEN sent, no reply yet. */
        TALK_OPENING,
        /** Talk is on: each send is one chunk. */
        TALK
    }

    final int channel;
    final ReentrantLock reading = new ReentrantLock();
    final ReentrantLock sending = new ReentrantLock();

    Mode mode = Mode.IDLE;
    /** The mode an open or talk request returns to if it fails. */
    Mode beforeRequest = Mode.IDLE;
    /** Bytes of this channel read from the session so far, dropped ones included. */
    long consumed;
    /** Whether any stream was opened here: then reads are bounded by its offsets. */
    boolean hadStream;
    /** The current (or last) stream's start offset. */
    long start;
    /** Its end offset, or -1 until STREAM_END. */
    long end = -1;
    /** Request id of the STREAM_OPEN or TALK_OPEN awaiting its reply. */
    int pendingRequest;
    /** Request id of an open whose caller gave up (timeout): a late success is undone. */
    int abandonedRequest;

    /** Talk: the rest of a chunk that did not fit within its send's timeout (under {@link #sending}). */
    byte[] talkRest;
    int talkRestOffset;

    ChannelState(int channel) {
        this.channel = channel;
    }

    /** A stream or talk is on or requested: another cannot start (one at a time per channel). */
    boolean busy() {
        return switch (mode) {
            case IDLE -> false;
            case OPENING, TALK_OPENING, TALK -> true;
            case STREAM, CLOSING -> end < 0;
        };
    }

    @Override
    public String toString() {
        return "channel " + channel + " " + mode + " consumed=" + consumed + (hadStream ? " start=" + start
                + " end=" + end : "");
    }
}

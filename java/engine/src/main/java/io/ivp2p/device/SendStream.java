package io.ivp2p.device;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ivp2p.bridge.FirmwareBuffer;
import io.ivp2p.bridge.FirmwareCallbacks;
import io.ivp2p.bridge.IvEvent;
import io.ivp2p.path.SessionClosedException;
import io.ivp2p.session.Session;

/**
 * One send stream: what {@code send_init_cb} accepted for one channel of one app session. The pump
 * calls {@link #tick} every {@code sender_interval_ms}; each tick polls {@code send_get_cb} while it
 * returns data (at most {@link #MAX_POLLS_PER_TICK} times), the channel takes it, and the
 * watermarks allow. Its "send buffer" is what it took from the firmware and the app has not
 * acknowledged: bytes in the session not yet acknowledged plus the unwritten rest of the last
 * firmware buffer, which is held (not copied) until the session takes it and then freed through
 * {@code buf_free_fn}.
 *
 * <p>Lifecycle: OPENING (registered, not polled) → {@link #start} once STREAM_OPENED is written →
 * OPEN → (firmware returned {@code {NULL, (size_t)-1}}) DRAINING: no more polls,
 * STREAM_END to the app, {@code send_stop_cb} once the app has acknowledged everything → STOPPED.
 * The app closing the stream, its session ending, or exit stop it at once. {@code send_stop_cb} runs
 * exactly once per accepted stream, and inside it {@code get_send_buf}/{@code get_send_status}
 * still answer for the handle with the final figures; the handle is unknown after it returns.
 */
final class SendStream {
    private static final Logger log = LoggerFactory.getLogger(SendStream.class);
    /**
     * Polls per tick while the firmware has data: a camera that queued several frames since the
     * last tick gets them all out now instead of one per sender_interval_ms, but one stream cannot
     * keep the pump (and every other stream) for long.
     */
    static final int MAX_POLLS_PER_TICK = 64;

    /** In lifecycle order (AppPeer compares them). */
    enum State { OPENING, OPEN, DRAINING, STOPPED }

    final long handle;
    final int channel;
    final AppPeer peer;
    final String params;
    /** Bytes written on the channel before this stream's first byte (the app's start offset). */
    final long startOffset;
    private final WatermarkTracker watermarks = new WatermarkTracker();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private FirmwareBuffer pending;
    private ByteBuffer pendingView;
    private volatile long pendingBytes;
    private volatile State state = State.OPENING;
    /** Bytes taken from the firmware (including what is pending). */
    private long taken;
    private long polls;

    SendStream(long handle, int channel, AppPeer peer, String params, long startOffset) {
        this.handle = handle;
        this.channel = channel;
        this.peer = peer;
        this.params = params;
        this.startOffset = startOffset;
    }

    State state() {
        return state;
    }

    /**
     * Lets the pump poll. Called once STREAM_OPENED is written to the control channel: the app
     * ignores a STREAM_END for a channel whose stream it has not seen open (docs/protocol.md,
     * "Stream offsets"), so a firmware that ends the stream at its first poll must not be polled
     * before that. No-op if the stream was stopped meanwhile.
     */
    synchronized void start() {
        if (state == State.OPENING) {
            state = State.OPEN;
        }
    }

    CompletableFuture<Void> stopped() {
        return stopped;
    }

    /** Un-acknowledged bytes: get_send_buf's answer and what the watermarks watch. */
    long unacked() {
        try {
            return peer.session().unacked(channel) + pendingBytes;
        } catch (RuntimeException e) {
            return pendingBytes;
        }
    }

    SendStats stats() {
        try {
            Session.ChannelStats c = peer.session().stats(channel);
            long acked = Math.max(0, c.ackedTotal() - startOffset);
            return new SendStats(c.instantRate(), Math.min(c.ackedLastSecond(), acked), acked, 1);
        } catch (RuntimeException e) {
            return SendStats.NONE;
        }
    }

    /** One pump round. Runs on the pump thread. */
    synchronized void tick(FirmwareCallbacks fw, Watermarks marks, EventSink events) {
        if (state == State.STOPPED || state == State.OPENING) {
            return;
        }
        try {
            flushPending();
            if (state == State.DRAINING) {
                if (pending == null && peer.session().unacked(channel) == 0) {
                    stop(fw, "the firmware ended the stream and the app has all of it");
                }
                return;
            }
            if (!checkMarks(marks, events) || pending != null) {
                return;
            }
            for (int i = 0; i < MAX_POLLS_PER_TICK; i++) {
                FirmwareBuffer b = fw.sendGet(handle);
                polls++;
                if (b.isEnd()) {
                    log.info("{} ch{}: firmware ended the stream after {} bytes", peer.name(), channel, taken);
                    state = State.DRAINING;
                    peer.sendStreamEnd(this, "the device ended the stream");
                    return;
                }
                if (!b.hasData()) {
                    b.release(); // {buf, 0}: nothing to send, but a buffer with a free_fn is still freed
                    return;
                }
                pending = b;
                pendingView = b.view();
                pendingBytes = b.size();
                taken += b.size();
                flushPending();
                if (!checkMarks(marks, events) || pending != null) {
                    return;
                }
            }
        } catch (SessionClosedException e) {
            // The peer's teardown stops this stream (send_stop_cb) from the control thread.
            log.debug("{} ch{}: session closed under the pump", peer.name(), channel);
        }
    }

    /** Evaluates the watermarks, sends their events; false while polling is paused. */
    private boolean checkMarks(Watermarks marks, EventSink events) {
        List<IvEvent> fired = watermarks.update(unacked(), marks);
        for (IvEvent e : fired) {
            events.streamEvent(e, handle);
        }
        return !watermarks.paused();
    }

    /** Hands the session what fits of the pending firmware buffer; frees it once all is taken. */
    private void flushPending() {
        if (pending == null) {
            return;
        }
        int n = peer.writeStream(channel, pendingView);
        pendingBytes -= n;
        if (!pendingView.hasRemaining()) {
            FirmwareBuffer done = pending;
            pending = null;
            pendingView = null;
            pendingBytes = 0;
            done.release();
        }
    }

    /**
     * Stops the stream: frees the held buffer, calls {@code send_stop_cb} (once), and tells the
     * peer, which sends STREAM_END if the app does not know yet. Any thread; idempotent.
     */
    synchronized void stop(FirmwareCallbacks fw, String reason) {
        if (state == State.STOPPED) {
            return;
        }
        boolean ended = state == State.DRAINING;
        state = State.STOPPED;
        try {
            if (pending != null) {
                FirmwareBuffer b = pending;
                pending = null;
                pendingView = null;
                pendingBytes = 0;
                b.release();
            }
            log.info("{} ch{}: stream {} stopped ({}): {} bytes from {} polls", peer.name(), channel,
                    params, reason, taken, polls);
            try {
                fw.sendStop(handle);
            } catch (RuntimeException e) {
                log.error("{} ch{}: send_stop_cb for handle 0x{} failed", peer.name(), channel,
                        Long.toHexString(handle), e);
            }
        } finally {
            stopped.complete(null);
            peer.streamStopped(this, ended, reason);
        }
    }

    /** Where watermark events go (the engine, which calls event_notify_cb). */
    interface EventSink {
        void streamEvent(IvEvent event, long handle);
    }

    @Override
    public String toString() {
        return "stream{handle=0x" + Long.toHexString(handle) + ", ch" + channel + ", " + peer.name() + "}";
    }
}

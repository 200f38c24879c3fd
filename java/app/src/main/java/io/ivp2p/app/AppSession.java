package io.ivp2p.app;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ivp2p.control.ControlChannel;
import io.ivp2p.control.ControlError;
import io.ivp2p.control.ControlFrame;
import io.ivp2p.control.FrameType;
import io.ivp2p.control.TalkChunks;
import io.ivp2p.path.SessionClosedException;
import io.ivp2p.path.SessionHandle;
import io.ivp2p.session.CloseReason;
import io.ivp2p.time.Wakeups;

/**
 * One app↔device session as the app sees it: the control channel (HELLO, streams, talk, commands
 * both ways) and the receive state of channels 1..7 (docs/protocol.md).
 *
 * <p>Threads: any number of application threads call in; at most one reads and one sends per
 * channel at a time (the others wait their turn within their timeout). The control channel's reader
 * thread applies replies and STREAM_END and hands device commands to this session's command
 * thread, so a slow {@link CommandHandler} never holds up the replies the app waits for.
 *
 * <p>Readers do not block inside the transport: they poll it without waiting and sleep on this
 * session's own wake-up counter, which both data arrival ({@link SessionHandle#onActivity}) and
 * control events (STREAM_END, a reply, the close) advance. A reader waiting for bytes on a channel
 * therefore also sees the end of its stream, which arrives on channel 0.
 */
final class AppSession implements ControlChannel.Handler {
    private static final Logger log = LoggerFactory.getLogger(AppSession.class);
    static final int FIRST_CHANNEL = 1;
    static final int LAST_CHANNEL = 7;
    /**
     * Channel-0 writes that are not part of a timed call (replies to device commands, STREAM_CLOSE)
     * wait at most this long for room. Only a device that stopped reading its control channel makes
     * them wait at all; ControlChannel ends such a session.
     */
    static final long CONTROL_SEND_TIMEOUT_MS = 5000;
    private static final int DISCARD_CHUNK = 16 * 1024;

    final int handle;
    final String deviceId;
    final SessionHandle session;
    private final SessionInfo.Mode mode;
    private final String name;
    private final ControlChannel control;
    private final ChannelState[] channels = new ChannelState[LAST_CHANNEL + 1];
    private final ThreadPoolExecutor commandThread;
    private final Supplier<CommandHandler> defaultHandler;
    private final Executor worker;
    private final Wakeups wakeups = new Wakeups();
    private volatile CommandHandler handler;
    private volatile String peerName;
    private volatile boolean disconnected;

    /**
     * @param defaultHandler the client-wide handler, asked per command (it may change)
     * @param worker         runs clean-ups that must not run on the control reader thread
     */
    AppSession(int handle, String deviceId, SessionHandle session, SessionInfo.Mode mode, int commandQueue,
            Supplier<CommandHandler> defaultHandler, Executor worker) {
        this.handle = handle;
        this.deviceId = deviceId;
        this.session = session;
        this.mode = mode;
        this.name = deviceId + "#h" + handle;
        this.defaultHandler = defaultHandler;
        this.worker = worker;
        for (int c = FIRST_CHANNEL; c <= LAST_CHANNEL; c++) {
            channels[c] = new ChannelState(c);
        }
        this.commandThread = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(commandQueue), r -> {
                    Thread t = new Thread(r, "ivp2p-app-commands-" + name);
                    t.setDaemon(true);
                    return t;
                });
        commandThread.allowCoreThreadTimeOut(true); // an idle session holds no thread
        this.control = new ControlChannel(session, name, this);
    }

    /** Starts reading the control channel. */
    void start() {
        session.onActivity(this::wake);
        control.start();
    }

    /**
     * HELLO → WELCOME ("version=1&device=<id>&peer=<peer>"): the device names this session.
     *
     * @throws P2pException TIME_OUT, INVALID_ID (WELCOME from another device), a close code
     *                      (MAX_SESSION when the device is at its limit)
     */
    void hello(long timeoutMs) throws P2pException {
        ControlFrame reply = call(ControlFrame.of(FrameType.HELLO, 0, control.newRequestId(), "version=1"),
                timeoutMs);
        if (reply.type() == FrameType.ERROR) {
            throw new P2pException(ErrorCodes.ofControlError(reply.errorCode()), "HELLO: " + reply.errorReason());
        }
        if (reply.type() != FrameType.WELCOME) {
            throw protocolViolation("HELLO answered with " + reply);
        }
        Map<String, String> welcome = parseParams(reply.text());
        String device = welcome.get("device");
        if (device != null && !device.equals(deviceId)) {
            throw new P2pException(P2pError.INVALID_ID, "connected to " + deviceId + " but WELCOME names " + device);
        }
        peerName = welcome.getOrDefault("peer", "");
        log.info("{}: connected to {} at {} as peer '{}'", name, deviceId, session.peer(), peerName);
    }

    String peerName() {
        return peerName;
    }

    SessionInfo info() {
        return new SessionInfo(deviceId, peerName, mode, session.peer(), session.smoothedRttMicros(), closeCode());
    }

    void setHandler(CommandHandler h) {
        handler = h;
    }

    /** 0 while the session is open, else the code reads return once nothing is left. */
    int closeCode() {
        CloseReason r = session.closed().getNow(null);
        return r == null ? P2pError.SUCCESSFUL : ErrorCodes.ofClose(r);
    }

    // ------------------------------------------------------------------------- reading

    /** See {@link P2pClient#read(int, int, byte[], int, int, int)}. */
    int read(int channel, byte[] buf, int off, int len, long timeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        ChannelState ch = channels[channel];
        if (!lock(ch.reading, deadline)) {
            return P2pError.TIME_OUT;
        }
        try {
            while (true) {
                long seen = wakeups.count();
                int r = readNow(ch, buf, off, len);
                if (r != 0) {
                    return r;
                }
                if (!wakeups.await(seen, deadline)) {
                    return P2pError.TIME_OUT;
                }
            }
        } finally {
            ch.reading.unlock();
        }
    }

    /** One step without waiting: bytes read (> 0), a negative code, or 0 for "nothing yet". */
    private int readNow(ChannelState ch, byte[] buf, int off, int len) {
        try {
            while (true) {
                long limit;
                synchronized (ch) {
                    if (ch.mode == ChannelState.Mode.OPENING) {
                        // Until STREAM_OPENED says where the new stream starts, any byte may still
                        // be the tail of the previous one.
                        return session.isOpen() ? 0 : closeCode();
                    }
                    if (!ch.hadStream) {
                        limit = len; // raw pass-through
                    } else if (ch.consumed < ch.start) {
                        limit = -(ch.start - ch.consumed); // to discard
                    } else if (ch.end >= 0 && ch.consumed >= ch.end) {
                        return P2pError.STREAM_ENDED;
                    } else {
                        limit = ch.end < 0 ? len : Math.min(len, ch.end - ch.consumed);
                    }
                }
                if (limit < 0) {
                    int n = discard(ch, -limit);
                    if (n > 0) {
                        continue;
                    }
                    return n;
                }
                int n = session.read(ch.channel, buf, off, (int) limit, 0);
                if (n > 0) {
                    synchronized (ch) {
                        ch.consumed += n;
                    }
                    return n;
                }
                return n == 0 ? 0 : finished();
            }
        } catch (SessionClosedException e) {
            return ErrorCodes.ofClose(e.reason() != null ? e.reason() : session.closed().getNow(null));
        }
    }

    /** Reads and drops up to {@code n} bytes below the stream's start; same results as {@link #readNow}. */
    private int discard(ChannelState ch, long n) {
        byte[] scratch = new byte[(int) Math.min(n, DISCARD_CHUNK)];
        int got = session.read(ch.channel, scratch, 0, scratch.length, 0);
        if (got > 0) {
            synchronized (ch) {
                ch.consumed += got;
            }
            log.debug("{}: dropped {} bytes of an earlier stream on channel {}", name, got, ch.channel);
            return got;
        }
        return got == 0 ? 0 : finished();
    }

    /**
     * The device finished the channel: it closes the whole session gracefully (Session.close
     * finishes every channel first), so this is "wait for the close", then its code.
     */
    private int finished() {
        return session.isOpen() ? 0 : closeCode();
    }

    // ------------------------------------------------------------------------- sending

    /** See {@link P2pClient#send}. */
    int send(int channel, byte[] buf, int len, long timeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        ChannelState ch = channels[channel];
        if (!lock(ch.sending, deadline)) {
            return P2pError.TIME_OUT;
        }
        try {
            ChannelState.Mode mode;
            synchronized (ch) {
                mode = ch.mode;
            }
            if (mode == ChannelState.Mode.TALK_OPENING) {
                return P2pError.CHANNEL_BUSY; // framing starts with TALK_OPENED; bytes before it would break it
            }
            if (mode == ChannelState.Mode.TALK && (len < 1 || len > TalkChunks.MAX_CHUNK)) {
                return P2pError.INVALID_PARAMETER; // a chunk is 1..64 KiB; 0 would end the talk (stopTalk)
            }
            if (!flushTalkRest(ch, deadline)) {
                return P2pError.TIME_OUT;
            }
            if (len == 0) {
                return 0;
            }
            if (mode == ChannelState.Mode.TALK) {
                byte[] chunk = new byte[4 + len];
                System.arraycopy(TalkChunks.header(len), 0, chunk, 0, 4);
                System.arraycopy(buf, 0, chunk, 4, len);
                int w = session.write(channel, chunk, 0, chunk.length, remainingMs(deadline));
                if (w == 0) {
                    return P2pError.TIME_OUT;
                }
                if (w < chunk.length) {
                    // Begun chunks are finished before anything else goes on the channel, or the
                    // device would read the next bytes as the rest of this chunk.
                    ch.talkRest = chunk;
                    ch.talkRestOffset = w;
                }
                return len;
            }
            int w = session.write(channel, buf, 0, len, remainingMs(deadline));
            return w == 0 ? P2pError.TIME_OUT : w;
        } catch (SessionClosedException e) {
            return closedCode(e);
        } finally {
            ch.sending.unlock();
        }
    }

    /** Writes what is left of a talk chunk; false if it did not all go before the deadline. Under {@code sending}. */
    private boolean flushTalkRest(ChannelState ch, long deadline) {
        while (ch.talkRest != null) {
            int left = ch.talkRest.length - ch.talkRestOffset;
            int w = session.write(ch.channel, ch.talkRest, ch.talkRestOffset, left, remainingMs(deadline));
            ch.talkRestOffset += w;
            if (ch.talkRestOffset == ch.talkRest.length) {
                ch.talkRest = null;
            } else if (remainingMs(deadline) == 0) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------- streams and talk

    /** STREAM_OPEN → STREAM_OPENED; see {@link P2pClient#openStream}. */
    void openStream(int channel, String params, long timeoutMs) throws P2pException {
        request(channel, FrameType.STREAM_OPEN, params, timeoutMs);
    }

    /** TALK_OPEN → TALK_OPENED; see {@link P2pClient#startTalk}. */
    void startTalk(int channel, String params, long timeoutMs) throws P2pException {
        request(channel, FrameType.TALK_OPEN, params, timeoutMs);
    }

    private void request(int channel, FrameType type, String params, long timeoutMs) throws P2pException {
        boolean talk = type == FrameType.TALK_OPEN;
        ChannelState.Mode requesting = talk ? ChannelState.Mode.TALK_OPENING : ChannelState.Mode.OPENING;
        ChannelState.Mode granted = talk ? ChannelState.Mode.TALK : ChannelState.Mode.STREAM;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        int id = control.newRequestId();
        ChannelState ch = channels[channel];
        // "A channel carries one stream (or talk) at a time; a new one can be opened once
        // STREAM_END was sent": after closeStream, wait for that STREAM_END.
        while (true) {
            long seen = wakeups.count();
            synchronized (ch) {
                if (!(ch.mode == ChannelState.Mode.CLOSING && ch.end < 0)) {
                    if (ch.busy()) {
                        throw new P2pException(P2pError.CHANNEL_BUSY, "channel " + channel + " is " + ch.mode);
                    }
                    ch.beforeRequest = ch.mode;
                    ch.mode = requesting;
                    ch.pendingRequest = id;
                    break;
                }
            }
            if (!session.isOpen()) {
                throw new P2pException(closeCode(), "while channel " + channel + " was closing");
            }
            if (!wakeups.await(seen, deadline)) {
                throw new P2pException(P2pError.TIME_OUT, "the stream closed on channel " + channel
                        + " did not end (STREAM_END) in time");
            }
        }
        ControlFrame reply;
        try {
            reply = call(ControlFrame.of(type, channel, id, params), remainingMs(deadline));
        } catch (P2pException e) {
            synchronized (ch) {
                if (ch.mode == granted && ch.pendingRequest == id) {
                    return; // the grant arrived just as the wait ended: it is on, so say so
                }
                if (ch.mode == requesting && ch.pendingRequest == id) {
                    ch.mode = ch.beforeRequest;
                    if (e.code() == P2pError.TIME_OUT) {
                        ch.abandonedRequest = id;
                    }
                }
            }
            wake();
            throw e;
        }
        synchronized (ch) {
            if (ch.mode == granted && ch.pendingRequest == id) {
                log.info("{}: {} on channel {} ({})", name, talk ? "talk" : "stream from offset " + ch.start,
                        channel, params);
                return; // onReply applied it, before any STREAM_END that follows
            }
            if (ch.mode == requesting && ch.pendingRequest == id) {
                ch.mode = ch.beforeRequest;
            }
        }
        wake();
        switch (reply.type()) {
            case STREAM_REFUSED, TALK_REFUSED -> throw new P2pException(P2pError.STREAM_REFUSED,
                    "channel " + channel + ": " + reply.text());
            case ERROR -> throw new P2pException(ErrorCodes.ofControlError(reply.errorCode()),
                    type + " on channel " + channel + ": " + reply.errorReason());
            default -> throw protocolViolation(type + " on channel " + channel + " answered with " + reply);
        }
    }

    /** STREAM_CLOSE; see {@link P2pClient#closeStream}. */
    void closeStream(int channel) throws P2pException {
        ChannelState ch = channels[channel];
        synchronized (ch) {
            if (ch.mode != ChannelState.Mode.STREAM || ch.end >= 0) {
                return; // nothing open, closing already, or ended by the device
            }
            ch.mode = ChannelState.Mode.CLOSING;
        }
        try {
            control.send(new ControlFrame(FrameType.STREAM_CLOSE, channel, control.newRequestId(), null),
                    CONTROL_SEND_TIMEOUT_MS);
            log.info("{}: closing the stream on channel {}", name, channel);
        } catch (TimeoutException e) {
            synchronized (ch) {
                if (ch.mode == ChannelState.Mode.CLOSING && ch.end < 0) {
                    ch.mode = ChannelState.Mode.STREAM;
                }
            }
            throw new P2pException(P2pError.TIME_OUT, "STREAM_CLOSE on channel " + channel + ": " + e.getMessage());
        } catch (SessionClosedException e) {
            throw new P2pException(closedCode(e), "STREAM_CLOSE on channel " + channel);
        }
    }

    /** Writes the end-of-talk chunk; see {@link P2pClient#stopTalk}. */
    void stopTalk(int channel, long timeoutMs) throws P2pException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        ChannelState ch = channels[channel];
        if (!lock(ch.sending, deadline)) {
            throw new P2pException(P2pError.TIME_OUT, "another send on channel " + channel + " is in progress");
        }
        try {
            synchronized (ch) {
                if (ch.mode != ChannelState.Mode.TALK) {
                    throw new P2pException(P2pError.INVALID_PARAMETER, "no talk on channel " + channel);
                }
            }
            if (!flushTalkRest(ch, deadline)) {
                throw new P2pException(P2pError.TIME_OUT, "the last talk chunk did not go out in time");
            }
            byte[] end = TalkChunks.header(0);
            int w = session.write(channel, end, 0, end.length, remainingMs(deadline));
            if (w == 0) {
                throw new P2pException(P2pError.TIME_OUT, "end of talk on channel " + channel);
            }
            if (w < end.length) {
                ch.talkRest = end;
                ch.talkRestOffset = w;
            }
            synchronized (ch) {
                ch.mode = ChannelState.Mode.IDLE;
            }
            log.info("{}: talk on channel {} ended", name, channel);
        } catch (SessionClosedException e) {
            throw new P2pException(closedCode(e), "end of talk on channel " + channel);
        } finally {
            ch.sending.unlock();
        }
    }

    // ------------------------------------------------------------------------- commands

    /** COMMAND → COMMAND_REPLY; see {@link P2pClient#command}. */
    byte[] command(byte[] cmd, long timeoutMs) throws P2pException {
        ControlFrame reply = call(new ControlFrame(FrameType.COMMAND, 0, control.newRequestId(), cmd), timeoutMs);
        return switch (reply.type()) {
            case COMMAND_REPLY -> reply.payload();
            case COMMAND_CLOSED -> throw new P2pException(P2pError.COMMAND_CLOSED, reply.text());
            case ERROR -> throw new P2pException(ErrorCodes.ofControlError(reply.errorCode()),
                    "COMMAND: " + reply.errorReason());
            default -> throw protocolViolation("COMMAND answered with " + reply);
        };
    }

    private void onDeviceCommand(ControlFrame f) {
        if (handler == null && defaultHandler.get() == null) {
            reply(FrameType.DEVICE_COMMAND_UNHANDLED, f, "no command handler".getBytes(StandardCharsets.UTF_8));
            return;
        }
        try {
            commandThread.execute(() -> runHandler(f));
        } catch (RejectedExecutionException e) {
            log.warn("{}: device command of {} bytes not handled: {} commands already wait for the handler",
                    name, f.payload().length, commandThread.getQueue().size());
            reply(FrameType.DEVICE_COMMAND_UNHANDLED, f, "app busy".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** On the command thread. */
    private void runHandler(ControlFrame f) {
        CommandHandler h = handler != null ? handler : defaultHandler.get();
        byte[] answer;
        String unhandled = null;
        if (h == null) {
            answer = null;
            unhandled = "no command handler";
        } else {
            try {
                answer = h.onCommand(handle, f.payload());
                if (answer == null) {
                    unhandled = "no reply";
                } else if (answer.length > ControlFrame.MAX_PAYLOAD) {
                    log.warn("{}: command handler replied {} bytes, more than the protocol's {}", name,
                            answer.length, ControlFrame.MAX_PAYLOAD);
                    unhandled = "reply too large";
                }
            } catch (RuntimeException e) {
                log.warn("{}: command handler failed", name, e);
                answer = null;
                unhandled = "handler failed: " + e;
            }
        }
        if (unhandled != null) {
            reply(FrameType.DEVICE_COMMAND_UNHANDLED, f, unhandled.getBytes(StandardCharsets.UTF_8));
        } else {
            reply(FrameType.DEVICE_COMMAND_REPLY, f, answer);
        }
    }

    private void reply(FrameType type, ControlFrame request, byte[] payload) {
        sendQuietly(new ControlFrame(type, 0, request.requestId(), payload));
    }

    private void sendQuietly(ControlFrame f) {
        try {
            control.send(f, CONTROL_SEND_TIMEOUT_MS);
        } catch (TimeoutException | SessionClosedException e) {
            log.info("{}: {} not sent: {}", name, f, e.getMessage());
        }
    }

    // ------------------------------------------------------------------------- control reader thread

    @Override
    public void onRequest(ControlFrame f) {
        switch (f.type()) {
            case STREAM_END -> onStreamEnd(f);
            case DEVICE_COMMAND -> onDeviceCommand(f);
            case HELLO, STREAM_OPEN, TALK_OPEN, COMMAND -> {
                log.warn("{}: the device sent {}, a request only apps send", name, f);
                sendQuietly(ControlFrame.error(f.requestId(), ControlError.INVALID, f.type() + " is an app's request"));
            }
            default -> log.debug("{}: ignored {}", name, f);
        }
    }

    private void onStreamEnd(ControlFrame f) {
        if (f.channel() < FIRST_CHANNEL || f.payload().length < 8) {
            log.warn("{}: malformed {}", name, f);
            return;
        }
        ChannelState ch = channels[f.channel()];
        synchronized (ch) {
            if ((ch.mode == ChannelState.Mode.STREAM || ch.mode == ChannelState.Mode.CLOSING) && ch.end < 0) {
                ch.end = f.offset();
                log.info("{}: stream on channel {} ended at offset {} ({} read): {}", name, f.channel(), ch.end,
                        ch.consumed, f.textAfterOffset());
            } else {
                log.debug("{}: STREAM_END on {} ignored", name, ch);
            }
        }
        wake();
    }

    @Override
    public void onReply(ControlFrame f) {
        boolean stream = f.type() == FrameType.STREAM_OPENED;
        if ((!stream && f.type() != FrameType.TALK_OPENED) || f.channel() < FIRST_CHANNEL) {
            return;
        }
        if (stream && f.payload().length < 8) {
            log.warn("{}: STREAM_OPENED without an offset: {}", name, f);
            return; // the caller finds the channel not granted and ends the session
        }
        ChannelState ch = channels[f.channel()];
        boolean undo = false;
        synchronized (ch) {
            ChannelState.Mode requesting = stream ? ChannelState.Mode.OPENING : ChannelState.Mode.TALK_OPENING;
            boolean pending = ch.mode == requesting && ch.pendingRequest == f.requestId();
            boolean late = !pending && ch.abandonedRequest == f.requestId() && !ch.busy();
            if (pending || late) {
                if (stream) {
                    ch.mode = late ? ChannelState.Mode.CLOSING : ChannelState.Mode.STREAM;
                    ch.hadStream = true;
                    ch.start = f.offset();
                    ch.end = -1;
                } else {
                    ch.mode = ChannelState.Mode.TALK;
                }
                undo = late;
            }
        }
        if (undo) {
            // The caller timed out, so the app does not know of this stream or talk: end it.
            log.info("{}: {} arrived after its request timed out; ending it", name, f);
            int channel = f.channel();
            Runnable undoIt = stream
                    ? () -> sendQuietly(new ControlFrame(FrameType.STREAM_CLOSE, channel, control.newRequestId(), null))
                    : () -> {
                        try {
                            stopTalk(channel, CONTROL_SEND_TIMEOUT_MS);
                        } catch (P2pException e) {
                            log.info("{}: ending the late talk on channel {}: {}", name, channel, e.getMessage());
                        }
                    };
            try {
                worker.execute(undoIt);
            } catch (RejectedExecutionException e) {
                log.debug("{}: client shutting down; not ending the late {}", name, f);
            }
        }
        wake();
    }

    @Override
    public void onClosed(CloseReason reason) {
        if (!disconnected) {
            log.info("{}: session ended: {}", name, reason);
        }
        commandThread.getQueue().clear();
        commandThread.shutdown();
        wake();
    }

    // ------------------------------------------------------------------------- closing

    /**
     * Graceful close: what was sent is delivered first, for at most {@code lingerMs}; then the
     * session is ended regardless. Later calls on the handle are the caller's to refuse.
     */
    void disconnect(long lingerMs) {
        disconnected = true;
        try {
            session.close();
            session.closed().get(lingerMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.info("{}: device did not acknowledge within {} ms of disconnect; ending the session", name, lingerMs);
            session.abort("disconnect");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.abort("disconnect interrupted");
        } catch (java.util.concurrent.ExecutionException | RuntimeException e) {
            session.abort("disconnect: " + e);
        }
        control.stop();
        commandThread.getQueue().clear();
        commandThread.shutdown();
        wake();
    }

    /** Ends the session now (connect given up, client shut down). */
    void abort(String why) {
        disconnected = true;
        try {
            session.abort(why);
        } catch (RuntimeException e) {
            log.debug("{}: abort: {}", name, e.toString());
        }
        control.stop();
        commandThread.getQueue().clear();
        commandThread.shutdown();
        wake();
    }

    // ------------------------------------------------------------------------- helpers

    private ControlFrame call(ControlFrame request, long timeoutMs) throws P2pException {
        try {
            return control.call(request, timeoutMs);
        } catch (TimeoutException e) {
            throw new P2pException(P2pError.TIME_OUT, "no reply to " + request.type() + " within " + timeoutMs + " ms");
        } catch (SessionClosedException e) {
            throw new P2pException(closedCode(e), request.type() + ": " + e.getMessage());
        }
    }

    private int closedCode(SessionClosedException e) {
        CloseReason r = session.closed().getNow(null);
        return ErrorCodes.ofClose(r != null ? r : e.reason());
    }

    /** The device broke the protocol: end the session and fail the call. */
    private P2pException protocolViolation(String what) {
        log.warn("{}: {}; ending the session", name, what);
        session.abort(CloseReason.PROTOCOL_VIOLATION, what);
        return new P2pException(P2pError.SESSION_CLOSED_REMOTE, what);
    }

    private void wake() {
        wakeups.signal();
    }

    private static boolean lock(ReentrantLock lock, long deadline) {
        try {
            return lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long remainingMs(long deadline) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    /** "a=b&c=d" → {a: b, c: d}; the WELCOME payload. */
    static Map<String, String> parseParams(String s) {
        Map<String, String> m = new HashMap<>();
        for (String part : s.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                m.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return m;
    }

    @Override
    public String toString() {
        return name;
    }
}

package io.ivp2p.device;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLongArray;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ivp2p.bridge.FirmwareBuffer;
import io.ivp2p.bridge.FirmwareCallbacks;
import io.ivp2p.bridge.IvError;
import io.ivp2p.bridge.IvException;
import io.ivp2p.control.ControlChannel;
import io.ivp2p.control.ControlError;
import io.ivp2p.control.ControlFrame;
import io.ivp2p.control.FrameType;
import io.ivp2p.path.SessionClosedException;
import io.ivp2p.path.SessionHandle;
import io.ivp2p.session.CloseReason;

/**
 * One app session on the device: its peer name, its control channel, the streams and talks on its
 * channels, and the queue of its requests that call firmware. Requests are served on the session's
 * {@link SerialExecutor} (never on the control reader), so a slow {@code command_cb} delays only
 * this app's next request, never its replies to {@code iv_avt_p2p_send_command} nor any media.
 */
final class AppPeer implements ControlChannel.Handler {
    private static final Logger log = LoggerFactory.getLogger(AppPeer.class);
    /** Longest a control frame waits for room; the app reads channel 0 all the time, so this only
     *  runs out when the app is stuck, and then the session is ended. */
    static final long CONTROL_SEND_TIMEOUT_MS = 2000;
    /** Requests of one app waiting for the firmware; more are answered "busy" (ERROR 2). */
    static final int MAX_QUEUED_REQUESTS = 32;
    /** Params strings are short key=value lists; this bounds what we copy into C. */
    static final int MAX_PARAMS_BYTES = 4096;

    private final DeviceEngine engine;
    private final FirmwareCallbacks fw;
    private final SessionHandle session;
    private final String name;
    private final ControlChannel control;
    private final SerialExecutor requests;
    /** Bytes this device has written on each channel since the session began (stream offsets). */
    private final AtomicLongArray written = new AtomicLongArray(8);
    // Under this.
    private final SendStream[] streams = new SendStream[8];
    private final TalkReceiver[] talks = new TalkReceiver[8];
    private boolean ended;
    /** Requests refused as busy since the last one queued; control reader thread only. */
    private long refusedInARow;

    AppPeer(DeviceEngine engine, SessionHandle session, String name) {
        this.engine = engine;
        this.fw = engine.callbacks();
        this.session = session;
        this.name = name;
        this.control = new ControlChannel(session, name, this);
        this.requests = new SerialExecutor(engine.requestPool(), MAX_QUEUED_REQUESTS, name);
    }

    String name() {
        return name;
    }

    SessionHandle session() {
        return session;
    }

    ControlChannel control() {
        return control;
    }

    void start() {
        control.start();
    }

    /** Writes stream bytes without waiting, counting them for the stream offsets. */
    int writeStream(int channel, ByteBuffer data) {
        int n = session.writeNow(channel, data);
        written.addAndGet(channel, n);
        return n;
    }

    // ------------------------------------------------------------------ control reader thread

    @Override
    public void onRequest(ControlFrame f) {
        switch (f.type()) {
            case STREAM_CLOSE -> closeStream(f.channel());
            case HELLO, STREAM_OPEN, TALK_OPEN, COMMAND -> {
                if (requests.offer(() -> serve(f))) {
                    if (refusedInARow > 1) {
                        log.warn("{}: {} more requests were refused as busy before this one was taken", name,
                                refusedInARow - 1);
                    }
                    refusedInARow = 0;
                } else {
                    // One line per busy spell, not per frame: an app flooding commands must not flood the log.
                    if (refusedInARow++ == 0) {
                        log.warn("{}: {} refused: {} requests already waiting for the firmware; further refusals"
                                + " are counted until one is taken", name, f, MAX_QUEUED_REQUESTS);
                    }
                    reply(ControlFrame.error(f.requestId(), ControlError.BUSY, MAX_QUEUED_REQUESTS
                            + " requests of this app are waiting for the device; try again later"));
                }
            }
            default -> {
                log.debug("{}: unexpected {} from the app", name, f);
                if (f.requestId() != 0) {
                    reply(ControlFrame.error(f.requestId(), ControlError.INVALID, f.type()
                            + " is not a request an app sends"));
                }
            }
        }
    }

    @Override
    public void onClosed(CloseReason reason) {
        engine.peerEnded(this, reason);
    }

    // ------------------------------------------------------------------ request executor

    private void serve(ControlFrame f) {
        try {
            switch (f.type()) {
                case HELLO -> reply(ControlFrame.of(FrameType.WELCOME, 0, f.requestId(), "version=1&device="
                        + engine.deviceId() + "&peer=" + name));
                case STREAM_OPEN -> openStream(f);
                case TALK_OPEN -> openTalk(f);
                case COMMAND -> command(f);
                default -> throw new IllegalStateException(f.toString());
            }
        } catch (IllegalStateException e) {
            if (fw.gate().isClosed() || engine.isClosing()) {
                reply(ControlFrame.error(f.requestId(), ControlError.SHUTTING_DOWN, "the device is shutting down"));
            } else {
                throw e;
            }
        }
    }

    private String checkedParams(ControlFrame f) {
        if (f.channel() < 1 || f.channel() > 7) {
            reply(ControlFrame.error(f.requestId(), ControlError.INVALID, "channel " + f.channel()
                    + ": streams and talk use channels 1..7"));
            return null;
        }
        if (f.payload().length > MAX_PARAMS_BYTES || f.text().indexOf('\0') >= 0) {
            reply(ControlFrame.error(f.requestId(), ControlError.INVALID, "params of "
                    + f.payload().length + " bytes: at most " + MAX_PARAMS_BYTES + ", no NUL"));
            return null;
        }
        return f.text();
    }

    /** Waits for a stream that is on its way out; false (CHANNEL_BUSY sent) if the channel stays taken. */
    private boolean channelFree(ControlFrame f) {
        SendStream old;
        TalkReceiver talk;
        synchronized (this) {
            old = streams[f.channel()];
            talk = talks[f.channel()];
        }
        if (talk == null && old != null && old.state().compareTo(SendStream.State.DRAINING) >= 0) {
            // Ended by the firmware and draining, or stopping: the app has its STREAM_END (or
            // gets it now), so the new stream may start after the old one's last byte.
            old.stop(fw, "the app opened a new stream on its channel");
            try {
                old.stopped().get(CONTROL_SEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                log.warn("{} ch{}: previous stream did not stop in time", name, f.channel());
            }
            synchronized (this) {
                old = streams[f.channel()];
            }
        }
        if (talk != null || old != null) {
            reply(ControlFrame.error(f.requestId(), ControlError.CHANNEL_BUSY, "channel " + f.channel()
                    + " already carries " + (talk != null ? "talk" : "a stream (" + old.params + ")")));
            return false;
        }
        return true;
    }

    private void openStream(ControlFrame f) {
        String params = checkedParams(f);
        if (params == null || !channelFree(f)) {
            return;
        }
        int ch = f.channel();
        SendStream s;
        fw.gate().enter("stream open");
        try {
            long h = fw.sendInit(params, name);
            if (h == 0) {
                log.info("{} ch{}: send_init_cb refused \"{}\"", name, ch, params);
                reply(ControlFrame.of(FrameType.STREAM_REFUSED, ch, f.requestId(),
                        "the device refused the stream: send_init_cb returned NULL for \"" + params + "\""));
                return;
            }
            s = new SendStream(h, ch, this, params, written.get(ch));
            String refused = register(s);
            if (refused != null) {
                reply(ControlFrame.of(FrameType.STREAM_REFUSED, ch, f.requestId(), refused));
                return;
            }
        } finally {
            fw.gate().leave();
        }
        log.info("{} ch{}: stream \"{}\" open, handle 0x{}, offset {}", name, ch, params,
                Long.toHexString(s.handle), s.startOffset);
        reply(ControlFrame.withOffset(FrameType.STREAM_OPENED, ch, f.requestId(), s.startOffset, ""));
        s.start(); // only now: its STREAM_END must follow this reply on the control channel
    }

    /** Registers a stream send_init_cb accepted, or stops it again; returns why it was refused. */
    private String register(SendStream s) {
        synchronized (this) {
            if (!ended && engine.registerStream(s)) {
                streams[s.channel] = s;
                return null;
            }
        }
        if (ended || engine.isClosing()) {
            s.stop(fw, "the session ended during send_init_cb");
            return "the session ended while the device opened the stream";
        }
        // Two open streams with one handle would make get_send_buf and send_stop_cb ambiguous.
        log.error("{} ch{}: send_init_cb returned handle 0x{}, which an open stream already uses;"
                + " refusing the new stream (its handle gets no send_stop_cb)", name, s.channel,
                Long.toHexString(s.handle));
        return "the device returned a stream handle that is already in use";
    }

    private void openTalk(ControlFrame f) {
        String params = checkedParams(f);
        if (params == null || !channelFree(f)) {
            return;
        }
        int ch = f.channel();
        if (!fw.acceptsTalk()) {
            reply(ControlFrame.of(FrameType.TALK_REFUSED, ch, f.requestId(),
                    "the device takes no talk (no recv_init_cb registered)"));
            return;
        }
        TalkReceiver t;
        fw.gate().enter("talk open");
        try {
            long h = fw.recvInit(params, name);
            if (h == 0) {
                log.info("{} ch{}: recv_init_cb refused \"{}\"", name, ch, params);
                reply(ControlFrame.of(FrameType.TALK_REFUSED, ch, f.requestId(),
                        "the device refused talk: recv_init_cb returned NULL for \"" + params + "\""));
                return;
            }
            t = new TalkReceiver(h, ch, this, fw);
            boolean ok;
            synchronized (this) {
                ok = !ended;
                if (ok) {
                    talks[ch] = t;
                }
            }
            if (!ok) {
                t.end("the session ended during recv_init_cb");
                return;
            }
        } finally {
            fw.gate().leave();
        }
        log.info("{} ch{}: talk \"{}\" open, handle 0x{}", name, ch, params, Long.toHexString(t.handle));
        t.start();
        reply(ControlFrame.of(FrameType.TALK_OPENED, ch, f.requestId(), ""));
    }

    private void command(ControlFrame f) {
        if (!fw.hasCommand()) {
            reply(ControlFrame.of(FrameType.COMMAND_CLOSED, 0, f.requestId(),
                    "the device takes no commands (no command_cb registered)"));
            return;
        }
        byte[] reply;
        fw.gate().enter("command");
        try {
            FirmwareBuffer b = fw.command(f.payload(), name);
            try {
                if (!b.hasData()) {
                    reply = null;
                } else if (Long.compareUnsigned(b.size(), ControlFrame.MAX_PAYLOAD) > 0) {
                    log.error("{}: command_cb returned a reply of {} bytes; replies are limited to {}",
                            name, Long.toUnsignedString(b.size()), ControlFrame.MAX_PAYLOAD);
                    reply(ControlFrame.error(f.requestId(), ControlError.INVALID, "the device's reply of "
                            + Long.toUnsignedString(b.size()) + " bytes exceeds " + ControlFrame.MAX_PAYLOAD));
                    return;
                } else {
                    reply = b.copy();
                }
            } finally {
                b.release();
            }
        } finally {
            fw.gate().leave();
        }
        if (reply == null) {
            reply(ControlFrame.of(FrameType.COMMAND_CLOSED, 0, f.requestId(),
                    "the device closed the command channel: command_cb returned no reply"));
        } else {
            reply(new ControlFrame(FrameType.COMMAND_REPLY, 0, f.requestId(), reply));
        }
    }

    // ------------------------------------------------------------------ streams and talk

    private void closeStream(int channel) {
        SendStream s;
        synchronized (this) {
            s = channel >= 1 && channel <= 7 ? streams[channel] : null;
        }
        if (s == null) {
            log.debug("{}: STREAM_CLOSE for channel {} without a stream", name, channel);
            return;
        }
        engine.stopLater(s, "the app closed the stream");
    }

    /** The firmware ended the stream: tell the app where its data ends. Pump thread. */
    void sendStreamEnd(SendStream s, String reason) {
        reply(ControlFrame.withOffset(FrameType.STREAM_END, s.channel, 0, written.get(s.channel), reason));
    }

    /** After send_stop_cb: unregister, and tell the app unless it knows already. */
    void streamStopped(SendStream s, boolean endSent, String reason) {
        synchronized (this) {
            if (streams[s.channel] == s) {
                streams[s.channel] = null;
            }
        }
        engine.unregisterStream(s);
        if (!endSent && session.isOpen()) {
            reply(ControlFrame.withOffset(FrameType.STREAM_END, s.channel, 0, written.get(s.channel), reason));
        }
    }

    void talkEnded(TalkReceiver t) {
        synchronized (this) {
            if (talks[t.channel] == t) {
                talks[t.channel] = null;
            }
        }
    }

    /** Marks the peer ended and returns what is still open, for the caller to stop. */
    synchronized List<Object> end() {
        ended = true;
        List<Object> open = new ArrayList<>();
        for (int ch = 0; ch < 8; ch++) {
            if (streams[ch] != null) {
                open.add(streams[ch]);
            }
            if (talks[ch] != null) {
                open.add(talks[ch]);
            }
        }
        return open;
    }

    // ------------------------------------------------------------------ device → app commands

    /** iv_avt_p2p_send_command to this app; see {@link DeviceEngine#sendCommand}. */
    byte[] sendCommand(byte[] message, long timeoutMillis) {
        ControlFrame request = new ControlFrame(FrameType.DEVICE_COMMAND, 0, control.newRequestId(), message);
        ControlFrame r;
        try {
            r = control.call(request, timeoutMillis);
        } catch (TimeoutException e) {
            throw new IvException(IvError.AVT_SEND_DATA_TIMEOUT, "app " + name + " did not answer within "
                    + timeoutMillis + " ms");
        } catch (SessionClosedException e) {
            throw new IvException(IvError.AVT_CHN_NOT_EXIT, "the session of app " + name + " ended: "
                    + e.getMessage());
        }
        switch (r.type()) {
            case DEVICE_COMMAND_REPLY:
                return r.payload();
            case DEVICE_COMMAND_UNHANDLED:
                throw new IvException(IvError.AVT_FAILED, "app " + name + " did not take the command: " + r.text());
            default:
                throw new IvException(IvError.AVT_FAILED, "app " + name + " answered " + r.type()
                        + (r.type() == FrameType.ERROR ? ": " + r.errorReason() : ""));
        }
    }

    // ------------------------------------------------------------------ sending

    private void reply(ControlFrame f) {
        try {
            control.send(f, CONTROL_SEND_TIMEOUT_MS);
        } catch (TimeoutException e) {
            log.warn("{}: the app has not read its control channel for {} ms; ending the session",
                    name, CONTROL_SEND_TIMEOUT_MS);
            session.abort("control channel not read for " + CONTROL_SEND_TIMEOUT_MS + " ms");
        } catch (SessionClosedException e) {
            log.debug("{}: {} not sent, session closed", name, f);
        }
    }

    @Override
    public String toString() {
        return name + "@" + session.peer();
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}

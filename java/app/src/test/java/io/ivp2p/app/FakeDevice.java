package io.ivp2p.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.ivp2p.control.ControlChannel;
import io.ivp2p.control.ControlError;
import io.ivp2p.control.ControlFrame;
import io.ivp2p.control.ControlProtocolException;
import io.ivp2p.control.FrameType;
import io.ivp2p.control.TalkChunks;
import io.ivp2p.discovery.LanMessage;
import io.ivp2p.path.SessionClosedException;
import io.ivp2p.path.SessionEndpoint;
import io.ivp2p.path.SessionHandle;
import io.ivp2p.session.CloseReason;

/**
 * The device side of docs/protocol.md, small and scriptable, for the app SDK's tests while the
 * real device engine is being written: a session endpoint on loopback that answers LAN probes on
 * its session port, admits any user id that knows the key, and serves streams, talk and commands.
 *
 * <p>Stream params (STREAM_OPEN) select the behaviour:
 * <ul>
 * <li>{@code mode=fixed&bytes=N&tag=T}: N bytes of {@link #pattern}(T), then STREAM_END;
 * <li>{@code mode=endless&tag=T}: the pattern until STREAM_CLOSE, then STREAM_END;
 * <li>{@code mode=refuse}: STREAM_REFUSED; {@code mode=error&code=C}: ERROR C; {@code mode=mute}:
 * no reply; {@code mode=silent}: STREAM_OPENED and then nothing.
 * </ul>
 * Commands: "close" → COMMAND_CLOSED, "busy" → ERROR 2, "mute" → no reply, else {@link #commandReply}.
 */
public final class FakeDevice implements AutoCloseable {
    public static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    final String deviceId;
    private final byte[] key;
    final SessionEndpoint endpoint;
    public final BlockingQueue<DeviceSession> accepted = new LinkedBlockingQueue<>();
    final List<DeviceSession> sessions = new CopyOnWriteArrayList<>();
    final AtomicInteger probes = new AtomicInteger();
    final CountDownLatch probed = new CountDownLatch(1);
    private final AtomicInteger sessionCount = new AtomicInteger();
    volatile int maxSessions = 32;
    public volatile boolean answerProbes = true;
    volatile boolean answerFull;
    volatile boolean answerHello = true;
    volatile boolean refuseTalk;
    /** When set, probe answers wait for it (so another answerer can be first). */
    volatile CountDownLatch answerGate;
    volatile Function<byte[], byte[]> commandReply = cmd -> concat("re:".getBytes(StandardCharsets.UTF_8), cmd);

    public FakeDevice(String deviceId, String key) throws IOException {
        this.deviceId = deviceId;
        this.key = key.getBytes(StandardCharsets.UTF_8);
        this.endpoint = SessionEndpoint.open(LOOPBACK, SessionEndpoint.Config.defaults(), id -> this.key.clone(),
                this::onSession);
        endpoint.onOtherDatagram(this::onDatagram);
    }

    public InetSocketAddress address() {
        return endpoint.localAddress();
    }

    /** In the event loop: must not block. */
    private void onDatagram(InetSocketAddress from, ByteBuffer d) {
        LanMessage.Probe p = LanMessage.parseProbe(d);
        if (p == null || !p.deviceId().equals(deviceId)) {
            return;
        }
        probes.incrementAndGet();
        probed.countDown();
        if (!answerProbes) {
            return;
        }
        byte[] answer = LanMessage.answer(p.nonce(), answerFull ? LanMessage.FLAG_FULL : 0, address().getPort(),
                deviceId, key);
        CountDownLatch gate = answerGate;
        if (gate == null) {
            endpoint.sendDatagram(from, ByteBuffer.wrap(answer));
            return;
        }
        Thread t = new Thread(() -> {
            try {
                if (gate.await(10, TimeUnit.SECONDS)) {
                    endpoint.sendDatagram(from, ByteBuffer.wrap(answer));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fake-device-gated-answer");
        t.setDaemon(true);
        t.start();
    }

    /** In the event loop: must not block. */
    private void onSession(SessionHandle h) {
        int n = sessionCount.incrementAndGet();
        long open = sessions.stream().filter(s -> s.handle.isOpen()).count();
        if (open >= maxSessions) {
            h.abort(CloseReason.SESSION_LIMIT, "device at its connection limit of " + maxSessions);
            return;
        }
        DeviceSession s = new DeviceSession(h, h.peerIdentity() + "#" + n);
        sessions.add(s);
        s.control.start();
        accepted.add(s);
    }

    public DeviceSession nextSession() throws InterruptedException {
        DeviceSession s = accepted.poll(10, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("no session reached the device within 10 s");
        }
        return s;
    }

    @Override
    public void close() {
        endpoint.close();
    }

    /** Byte {@code i} of stream {@code tag}. */
    static byte patternByte(int tag, long i) {
        return (byte) (tag * 31 + i * 7 + (i >>> 8));
    }

    public static byte[] pattern(int tag, long from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = patternByte(tag, from + i);
        }
        return b;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** One talk chunk as the device got it; an empty {@code data} is the end marker. */
    public record TalkEvent(int channel, byte[] data) {}

    /** One app session on the device. */
    public final class DeviceSession implements ControlChannel.Handler {
        public final SessionHandle handle;
        public final String peer;
        final ControlChannel control;
        public final BlockingQueue<TalkEvent> talk = new LinkedBlockingQueue<>();
        final BlockingQueue<ControlFrame> requests = new LinkedBlockingQueue<>();
        private final long[] written = new long[8];
        private final Writer[] writers = new Writer[8];
        private final boolean[] talkReaders = new boolean[8];

        DeviceSession(SessionHandle handle, String peer) {
            this.handle = handle;
            this.peer = peer;
            this.control = new ControlChannel(handle, "fake-" + peer, this);
        }

        @Override
        public void onRequest(ControlFrame f) {
            requests.add(f);
            switch (f.type()) {
                case HELLO -> {
                    if (answerHello) {
                        send(ControlFrame.of(FrameType.WELCOME, 0, f.requestId(),
                                "version=1&device=" + deviceId + "&peer=" + peer));
                    }
                }
                case STREAM_OPEN -> openStream(f);
                case STREAM_CLOSE -> {
                    Writer w;
                    synchronized (this) {
                        w = writers[f.channel()];
                    }
                    if (w != null) {
                        w.stop = true;
                    }
                }
                case TALK_OPEN -> openTalk(f);
                case COMMAND -> command(f);
                default -> { }
            }
        }

        private void openStream(ControlFrame f) {
            Map<String, String> p = AppSession.parseParams(f.text());
            int c = f.channel();
            switch (p.getOrDefault("mode", "")) {
                case "refuse" -> send(ControlFrame.of(FrameType.STREAM_REFUSED, c, f.requestId(), "send_init_cb returned NULL"));
                case "error" -> send(ControlFrame.error(f.requestId(), Integer.parseInt(p.get("code")), "scripted"));
                case "mute" -> { }
                // Open, and never a byte: a camera with nothing to send yet.
                case "silent" -> send(ControlFrame.withOffset(FrameType.STREAM_OPENED, c, f.requestId(), written[c], ""));
                default -> {
                    Writer w;
                    synchronized (this) {
                        if (writers[c] != null) {
                            send(ControlFrame.error(f.requestId(), ControlError.CHANNEL_BUSY, "channel " + c + " busy"));
                            return;
                        }
                        long bytes = p.containsKey("bytes") ? Long.parseLong(p.get("bytes")) : Long.MAX_VALUE;
                        w = new Writer(c, Integer.parseInt(p.getOrDefault("tag", "1")), bytes);
                        writers[c] = w;
                        send(ControlFrame.withOffset(FrameType.STREAM_OPENED, c, f.requestId(), written[c], ""));
                    }
                    Thread t = new Thread(w, "fake-stream-" + peer + "-" + c);
                    t.setDaemon(true);
                    t.start();
                }
            }
        }

        private void openTalk(ControlFrame f) {
            int c = f.channel();
            if (refuseTalk) {
                send(ControlFrame.of(FrameType.TALK_REFUSED, c, f.requestId(), "recv_init_cb returned NULL"));
                return;
            }
            send(new ControlFrame(FrameType.TALK_OPENED, c, f.requestId(), null));
            synchronized (this) {
                if (talkReaders[c]) {
                    return; // talk after talk continues on the same byte stream
                }
                talkReaders[c] = true;
            }
            Thread t = new Thread(() -> readTalk(c), "fake-talk-" + peer + "-" + c);
            t.setDaemon(true);
            t.start();
        }

        private void readTalk(int c) {
            TalkChunks chunks = new TalkChunks();
            byte[] buf = new byte[8192];
            try {
                while (true) {
                    int n = handle.read(c, buf, 0, buf.length, 1000);
                    if (n < 0) {
                        return;
                    }
                    for (byte[] chunk : chunks.feed(buf, 0, n)) {
                        talk.add(new TalkEvent(c, chunk));
                    }
                }
            } catch (SessionClosedException | ControlProtocolException e) {
                // session over
            }
        }

        private void command(ControlFrame f) {
            String text = f.text();
            switch (text) {
                case "close" -> send(ControlFrame.of(FrameType.COMMAND_CLOSED, 0, f.requestId(), "command_cb returned NULL"));
                case "busy" -> send(ControlFrame.error(f.requestId(), ControlError.BUSY, "too many requests waiting"));
                case "mute" -> { }
                default -> send(new ControlFrame(FrameType.COMMAND_REPLY, 0, f.requestId(),
                        commandReply.apply(f.payload())));
            }
        }

        /** iv_avt_p2p_send_command: a DEVICE_COMMAND and the app's reply frame. */
        public ControlFrame deviceCommand(byte[] msg, long timeoutMs) throws TimeoutException {
            return control.call(new ControlFrame(FrameType.DEVICE_COMMAND, 0, control.newRequestId(), msg), timeoutMs);
        }

        void send(ControlFrame f) {
            try {
                control.send(f, 5000);
            } catch (TimeoutException | SessionClosedException e) {
                // the test sees the consequence
            }
        }

        @Override
        public void onClosed(CloseReason reason) {
            for (Writer w : writers) {
                if (w != null) {
                    w.stop = true;
                }
            }
        }

        /** Writes one stream's bytes on its channel, then STREAM_END at the channel's count. */
        private final class Writer implements Runnable {
            final int channel;
            final int tag;
            final long bytes;
            volatile boolean stop;

            Writer(int channel, int tag, long bytes) {
                this.channel = channel;
                this.tag = tag;
                this.bytes = bytes;
            }

            @Override
            public void run() {
                long sent = 0;
                try {
                    while (!stop && sent < bytes) {
                        int n = (int) Math.min(8192, bytes - sent);
                        byte[] chunk = pattern(tag, sent, n);
                        int off = 0;
                        while (off < n && !stop) {
                            int w = handle.write(channel, chunk, off, n - off, 200);
                            off += w;
                            synchronized (DeviceSession.this) {
                                written[channel] += w;
                            }
                        }
                        sent += off;
                    }
                    long end;
                    synchronized (DeviceSession.this) {
                        end = written[channel];
                        writers[channel] = null; // the channel is free before STREAM_END is out
                    }
                    send(ControlFrame.withOffset(FrameType.STREAM_END, channel, 0, end,
                            stop ? "closed by the app" : "firmware ended the stream"));
                } catch (SessionClosedException e) {
                    // session over
                }
            }
        }
    }
}

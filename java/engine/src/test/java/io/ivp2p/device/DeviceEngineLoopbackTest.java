package io.ivp2p.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.ivp2p.bridge.FirmwareCallbacks;
import io.ivp2p.bridge.IvError;
import io.ivp2p.bridge.IvException;
import io.ivp2p.bridge.P2pParams;
import io.ivp2p.control.ControlError;
import io.ivp2p.control.ControlFrame;
import io.ivp2p.control.FrameType;
import io.ivp2p.control.TalkChunks;
import io.ivp2p.path.SessionEndpoint;
import io.ivp2p.session.CloseReason;

/**
 * The device engine with a firmware behind native function pointers and an app speaking the
 * protocol frame by frame, over real UDP on loopback. Timeouts are liveness bounds only.
 */
class DeviceEngineLoopbackTest {
    static final String KEY = "0123456789abcdef-test-key";
    private final TestFirmware fw = new TestFirmware();
    private final List<RawApp> apps = new ArrayList<>();
    private DeviceEngine engine;
    private FirmwareCallbacks callbacks;
    private InetSocketAddress device;

    private void start(DeviceSettings settings) {
        P2pParams params = new P2pParams(fw.callbacks(), new P2pParams.KeepAlive(5, 3),
                new P2pParams.InitParams(2, null, 0, 0, 0, 10, 10, 10, 0),
                new P2pParams.NetInfo(0, 0, "127.0.0.1", null, "cam_1"));
        callbacks = new FirmwareCallbacks(params.callbacks());
        engine = new DeviceEngine(params, callbacks, settings);
        engine.start();
        device = engine.sessionAddress();
    }

    private void start() {
        start(DeviceSettings.of(null, KEY));
    }

    private RawApp app(String uid) throws Exception {
        RawApp a = new RawApp(device, uid, KEY);
        apps.add(a);
        return a;
    }

    @AfterEach
    void exit() throws Exception {
        for (RawApp a : apps) {
            a.close();
        }
        if (engine != null) {
            engine.close();
            callbacks.gate().close(5000);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    private static void checkPattern(TestFirmware.Stream s, byte[] got, long from) {
        for (int i = 0; i < got.length; i++) {
            if (got[i] != TestFirmware.pattern(s.handle, from + i)) {
                throw new AssertionError("byte " + (from + i) + " of " + s.params + " differs");
            }
        }
    }

    private TestFirmware.Stream open(RawApp a, int channel, String params) throws Exception {
        ControlFrame opened = a.request(FrameType.STREAM_OPEN, channel, params);
        assertEquals(FrameType.STREAM_OPENED, opened.type(), opened.text());
        return fw.streams.values().stream().filter(s -> s.params.equals(params)).findFirst().orElseThrow();
    }

    @Test
    void aStreamDeliversTheFirmwareBytesInOrderAndStopsOnceWhenTheAppClosesIt() throws Exception {
        start();
        assertFalse(engine.pumpTicking(), "no stream open: the pump sleeps");
        RawApp app = app("alice");
        assertEquals("alice#1", app.hello());
        TestFirmware.Stream s = open(app, 1, "action=live&channel=0");
        assertEquals("alice#1", s.peer);
        assertTrue(engine.pumpTicking());
        checkPattern(s, app.readFully(1, 300_000), 0);
        app.send(new ControlFrame(FrameType.STREAM_CLOSE, 1, 0, null));
        ControlFrame end = app.next(FrameType.STREAM_END);
        assertTrue(end.offset() >= 300_000, "end offset " + end.offset());
        assertEquals(1, s.stops.get());
        assertEquals(0, s.getsAfterStop.get());
        assertEquals(0, engine.sendBuffered(s.handle), "handle unknown after send_stop_cb");
        await(() -> fw.outstanding.isEmpty(), "every buffer freed");
        assertEquals(0, fw.badFrees.get());
        await(() -> !engine.pumpTicking(), "the pump asleep once the last stream stopped");

        // The channel opens again (and the pump wakes); the new stream starts where the old one's bytes end.
        TestFirmware.Stream s2 = open(app, 1, "action=playback&channel=0");
        app.readFully(1, (int) (end.offset() - 300_000)); // the old stream's tail
        checkPattern(s2, app.readFully(1, 50_000), 0);
    }

    @Test
    void theFirmwareEndingAStreamEndsItAtTheAppAndStopsItOnceAllIsAcknowledged() throws Exception {
        fw.streamBytes = 100_000;
        start();
        RawApp app = app("bob");
        app.hello();
        long[] atStop = new long[3];
        fw.duringStop = h -> {
            SendStats st = engine.sendStats(h);
            atStop[0] = st.sumSentAcked();
            atStop[1] = engine.sendBuffered(h);
            atStop[2] = st.linkMode();
        };
        TestFirmware.Stream s = open(app, 3, "action=download&file_name=a.mp4");
        checkPattern(s, app.readFully(3, 100_000), 0);
        assertEquals(100_000, app.next(FrameType.STREAM_END).offset());
        await(() -> s.stops.get() == 1, "send_stop_cb after the end");
        assertEquals(100_000, atStop[0], "sum_sent_acked inside send_stop_cb = bytes the app received");
        assertEquals(0, atStop[1]);
        assertEquals(1, atStop[2], "link_mode direct");
        assertEquals(0, s.getsAfterStop.get());
    }

    /**
     * docs/protocol.md: STREAM_OPENED carries where the stream starts and STREAM_END where it ends;
     * an app ignores a STREAM_END for a channel it has no stream on yet. A firmware that ends the
     * stream at its first poll must therefore not be polled before STREAM_OPENED is on its way.
     * (The race this guards against was seen in CI: the app waited for an end it had dropped.)
     */
    @Test
    void aStreamThatEndsAtItsFirstPollIsOpenedBeforeItEnds() throws Exception {
        fw.streamBytes = 0;
        start();
        RawApp app = app("erin");
        app.hello();
        int rounds = 40;
        for (int i = 0; i < rounds; i++) {
            TestFirmware.Stream s = open(app, 1, "action=live&round=" + i);
            assertEquals(s.produced.get(), app.next(FrameType.STREAM_END).offset());
            await(() -> s.stops.get() == 1, "send_stop_cb after the end");
        }
        List<FrameType> got = app.arrivalTypes().stream()
                .filter(t -> t == FrameType.STREAM_OPENED || t == FrameType.STREAM_END).toList();
        assertEquals(2 * rounds, got.size(), got.toString());
        for (int i = 0; i < rounds; i++) {
            assertEquals(List.of(FrameType.STREAM_OPENED, FrameType.STREAM_END), got.subList(2 * i, 2 * i + 2),
                    "round " + i + " of " + rounds);
        }
    }

    @Test
    void aReaderThatStopsReadingRaisesWarnAndHighAndPausesPollingThenLowWhenItReads() throws Exception {
        // 1 KiB buffers: the marks are checked after each one, so the buffer crosses them in
        // small steps.
        fw.chunk = 1024;
        start();
        engine.setWatermarks(new Watermarks(LOW_MARK, 160 * 1024, 256 * 1024));
        RawApp app = app("carol");
        app.hello();
        TestFirmware.Stream s = open(app, 1, "action=live");
        String h = "@" + Long.toHexString(s.handle);
        // Before the stall, start-up (the congestion window growing, ACKs late on a loaded
        // machine) may take the buffer past warn, even past high, and back below low: WARN, LOW
        // and WARN, HIGH, LOW runs. So the first HIGH is not yet the stall. The stall is steady
        // once the app has acknowledged its whole receive window (it never reads, so it grants no
        // more): from then on nothing is sent or acknowledged, the buffer can only grow, and a
        // HIGH with the buffer still at or above low is never followed by a LOW. Checked in this
        // order (acknowledged, then buffered, then the last event), each reading stays true.
        long window = SessionEndpoint.Config.defaults().session().receiveWindowPerChannel();
        await(() -> engine.sendStats(s.handle).sumSentAcked() == window
                && engine.sendBuffered(s.handle) >= LOW_MARK
                && lastEvent().equals("WATERMARK_HIGH" + h), "HIGH, and the app's window full");
        // Whatever came before, it follows the contract.
        checkWatermarkSequence(fw.events(), h);
        int before = fw.events().size();
        long produced = s.produced.get();
        // Paused: the firmware is not asked for more however long the app waits.
        assertEquals(produced, s.produced.get());
        byte[] buf = new byte[64 * 1024];
        while (!fw.events().contains("WATERMARK_LOW" + h) || fw.events().size() == before) {
            assertTrue(app.session.read(1, buf, 0, buf.length, 10_000) > 0);
        }
        assertEquals("WATERMARK_LOW" + h, fw.events().get(before), "one LOW once the app reads");
        checkWatermarkSequence(fw.events(), h);
        await(() -> s.produced.get() > produced, "polling resumes after LOW");
    }

    private static final long LOW_MARK = 96 * 1024;

    private String lastEvent() {
        List<String> e = fw.events();
        return e.isEmpty() ? "" : e.get(e.size() - 1);
    }

    /** WARN, then HIGH or LOW; HIGH, then LOW; LOW, then WARN: the only orders the contract allows. */
    private static void checkWatermarkSequence(List<String> events, String h) {
        String state = "NORMAL";
        for (String e : events) {
            String next = switch (state + ">" + e.replace(h, "")) {
                case "NORMAL>WATERMARK_WARN" -> "WARNED";
                case "WARNED>WATERMARK_HIGH" -> "HIGH";
                case "WARNED>WATERMARK_LOW", "HIGH>WATERMARK_LOW" -> "NORMAL";
                default -> throw new AssertionError(e + " in state " + state + ": " + events);
            };
            state = next;
        }
    }

    @Test
    void refusedStreamAndBadChannelAreClearErrors() throws Exception {
        start();
        RawApp app = app("dave");
        app.hello();
        fw.refuseStreams = true;
        ControlFrame r = app.request(FrameType.STREAM_OPEN, 1, "action=live");
        assertEquals(FrameType.STREAM_REFUSED, r.type());
        assertTrue(r.text().contains("send_init_cb returned NULL"), r.text());
        fw.refuseStreams = false;
        ControlFrame bad = app.request(FrameType.STREAM_OPEN, 0, "action=live");
        assertEquals(FrameType.ERROR, bad.type());
        assertEquals(ControlError.INVALID, bad.errorCode());
        open(app, 2, "action=live&x=1");
        ControlFrame busy = app.request(FrameType.STREAM_OPEN, 2, "action=live&x=2");
        assertEquals(ControlError.CHANNEL_BUSY, busy.errorCode());
    }

    @Test
    void talkChunksArriveInOrderWithTheirBoundariesAndEndOnce() throws Exception {
        start();
        RawApp app = app("erin");
        app.hello();
        assertEquals(FrameType.TALK_OPENED, app.request(FrameType.TALK_OPEN, 2, "action=talk&codec=g711a").type());
        TestFirmware.Talk t = fw.talks.values().iterator().next();
        assertEquals("action=talk&codec=g711a", t.params);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        int[] sizes = {320, 1, 4000, 320, 65536};
        for (int k = 0; k < sizes.length; k++) {
            byte[] chunk = new byte[sizes[k]];
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = (byte) (k * 7 + i);
            }
            byte[] framed = ByteBuffer.allocate(4 + chunk.length).put(TalkChunks.header(chunk.length))
                    .put(chunk).array();
            assertEquals(framed.length, app.session.write(2, framed, 0, framed.length, 5000));
            sent.writeBytes(chunk);
        }
        app.session.write(2, TalkChunks.header(0), 0, 4, 5000);
        await(() -> {
            synchronized (t) {
                return t.ends == 1;
            }
        }, "the end marker");
        synchronized (t) {
            assertEquals(List.of(320, 1, 4000, 320, 65536), t.chunkSizes);
            assertArrayEquals(sent.toByteArray(), t.received.toByteArray());
            assertEquals(0, t.chunksAfterEnd);
        }
        // A second talk on the same channel, ended by the session's end.
        assertEquals(FrameType.TALK_OPENED, app.request(FrameType.TALK_OPEN, 2, "action=talk").type());
        TestFirmware.Talk t2 = fw.talks.values().stream().filter(x -> x != t).findFirst().orElseThrow();
        app.session.abort("app crashed");
        await(() -> {
            synchronized (t2) {
                return t2.ends == 1;
            }
        }, "(NULL, 0) when the session dies");
        assertEquals(1, t.ends);
    }

    @Test
    void commandsGetTheFirmwareReplyAndASlowCommandDoesNotStallMedia() throws Exception {
        start();
        RawApp app = app("frank");
        String peer = app.hello();
        ControlFrame r = app.request(FrameType.COMMAND, 0, "get_info".getBytes(StandardCharsets.UTF_8));
        assertEquals(FrameType.COMMAND_REPLY, r.type());
        assertEquals("re:get_info", r.text());
        assertEquals(List.of(peer), fw.commandPeers);
        await(() -> fw.outstanding.isEmpty(), "the reply buffer freed");

        fw.commandReply = c -> null;
        ControlFrame closed = app.request(FrameType.COMMAND, 0, "x".getBytes(StandardCharsets.UTF_8));
        assertEquals(FrameType.COMMAND_CLOSED, closed.type());

        // command_cb blocks; the stream of the same app keeps flowing meanwhile.
        CountDownLatch release = new CountDownLatch(1);
        fw.commandReply = c -> "late".getBytes(StandardCharsets.UTF_8);
        fw.duringCommand = who -> {
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        TestFirmware.Stream s = open(app, 1, "action=live");
        CompletableFuture<ControlFrame> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return app.request(FrameType.COMMAND, 0, "slow".getBytes(StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await(() -> fw.commandPeers.size() == 3, "the slow command reached command_cb");
        checkPattern(s, app.readFully(1, 500_000), 0);
        assertTrue(!slow.isDone(), "command_cb is still blocked");
        release.countDown();
        assertEquals("late", slow.get(10, TimeUnit.SECONDS).text());
    }

    @Test
    void sendCommandReachesTheAppAndReportsTimeoutAndUnknownPeer() throws Exception {
        start();
        RawApp app = app("gina");
        String peer = app.hello();
        byte[] big = new byte[16 * 1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        // The reply takes four thread hops, the test thread's next() among them: a liveness bound.
        CompletableFuture<byte[]> reply = CompletableFuture.supplyAsync(() -> engine.sendCommand(peer, big, 20_000));
        ControlFrame cmd = app.next(FrameType.DEVICE_COMMAND);
        assertArrayEquals(big, cmd.payload());
        app.send(ControlFrame.of(FrameType.DEVICE_COMMAND_REPLY, 0, cmd.requestId(), "ok"));
        assertEquals("ok", new String(reply.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8));

        IvException timeout = assertThrows(IvException.class, () -> engine.sendCommand(peer, big, 200));
        assertEquals(IvError.AVT_SEND_DATA_TIMEOUT, timeout.error());
        IvException unknown = assertThrows(IvException.class, () -> engine.sendCommand("gina#99", big, 5000));
        assertEquals(IvError.AVT_CHN_NOT_EXIT, unknown.error());
    }

    @Test
    void sessionsBeyondTheLimitAreRefusedWithTheLimitCode() throws Exception {
        start(DeviceSettings.of(null, KEY).withMaxConnections(2));
        app("u1").hello();
        app("u2").hello();
        RawApp third = app("u3");
        await(() -> third.closed != null, "the third session is ended");
        assertEquals(CloseReason.Kind.REMOTE, third.closed.kind());
        assertEquals(CloseReason.SESSION_LIMIT, third.closed.code());
        assertEquals(2, engine.peerCount());
    }

    @Test
    void appsLeavingFireTheirEventsAndStopTheirStreams() throws Exception {
        start();
        RawApp polite = app("polite");
        polite.hello();
        TestFirmware.Stream s = open(polite, 1, "action=live&who=polite");
        polite.session.close();
        await(() -> fw.events().size() == 2, "events of a graceful close");
        assertEquals(List.of("CLI_SEND_CLOSE", "LINK_DISCONNECT"), fw.events());
        await(() -> s.stops.get() == 1, "its stream stopped");

        RawApp rude = app("rude");
        rude.hello();
        TestFirmware.Stream s2 = open(rude, 1, "action=live&who=rude");
        rude.session.abort("crash");
        await(() -> fw.events().size() == 4, "events of a session that died");
        assertEquals(List.of("PEER_ERROR", "LINK_DISCONNECT"), fw.events().subList(2, 4));
        await(() -> s2.stops.get() == 1, "its stream stopped");
        assertEquals(0, engine.peerCount());
    }

    @Test
    void exitWithStreamsOpenStopsEachOnceFreesEveryBufferAndClosesTheApps() throws Exception {
        start();
        List<TestFirmware.Stream> streams = new ArrayList<>();
        for (int a = 0; a < 3; a++) {
            RawApp app = app("exit" + a);
            app.hello();
            streams.add(open(app, 1, "action=live&app=" + a));
            streams.add(open(app, 3, "action=playback&app=" + a));
        }
        engine.close();
        assertTrue(callbacks.gate().close(5000));
        for (TestFirmware.Stream s : streams) {
            assertEquals(1, s.stops.get(), s.params);
        }
        assertTrue(fw.outstanding.isEmpty(), "no buffer left unfreed");
        for (RawApp a : apps) {
            await(() -> a.closed != null, "app told of the end");
        }
        assertTrue(fw.events().stream().noneMatch(e -> e.startsWith("LINK") || e.startsWith("PEER")),
                "no session events from exit: " + fw.events());
        engine = null;
    }

    @Test
    void anAppThatStopsReadingFloodsCommandsOrVanishesDoesNotDisturbAnother() throws Exception {
        start();
        RawApp good = app("good");
        good.hello();
        TestFirmware.Stream gs = open(good, 1, "action=live&who=good");
        RawApp stalled = app("stalled");
        stalled.hello();
        open(stalled, 1, "action=live&who=stalled"); // never read
        RawApp flooder = app("flooder");
        String flooderPeer = flooder.hello();
        CountDownLatch release = new CountDownLatch(1);
        fw.duringCommand = peer -> {
            if (peer.equals(flooderPeer)) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        for (int i = 0; i < 500; i++) {
            flooder.send(ControlFrame.of(FrameType.COMMAND, 0, flooder.control.newRequestId(), "spam" + i));
        }
        // Frames are handled in order: once this is answered, all 500 were (1 running, 32 queued).
        ControlFrame busy = flooder.request(FrameType.HELLO, 0, "version=1");
        assertEquals(ControlError.BUSY, busy.errorCode(), busy.toString());
        RawApp vanishing = app("vanishing");
        vanishing.hello();
        open(vanishing, 1, "action=live&who=vanishing");
        vanishing.endpoint.close();

        long got = 0;
        for (int round = 0; round < 10; round++) {
            checkPattern(gs, good.readFully(1, 200_000), got);
            got += 200_000;
            ControlFrame r = good.request(FrameType.COMMAND, 0, "mine".getBytes(StandardCharsets.UTF_8));
            assertEquals("re:mine", r.text(), "the good app's command is answered meanwhile");
        }
        release.countDown();
        // The queue drains (the one running and the 32 queued), then the app may send again.
        await(() -> fw.commandsFrom(flooderPeer) == 1 + AppPeer.MAX_QUEUED_REQUESTS,
                "the queued commands served");
        ControlFrame last;
        do {
            last = flooder.request(FrameType.COMMAND, 0, "last".getBytes(StandardCharsets.UTF_8));
        } while (last.type() == FrameType.ERROR && last.errorCode() == ControlError.BUSY); // the last one still running
        assertEquals("re:last", last.text());
        long served = fw.commandsFrom(flooderPeer);
        assertEquals(1 + AppPeer.MAX_QUEUED_REQUESTS + 1, served,
                "the one running, the queue's worth, and the last: the rest were refused as busy");
    }

    @Test
    void anAddressChangeKeepsTheSessionAndFiresPeerAddrChanged() throws Exception {
        start();
        try (io.ivp2p.testnet.ImpairmentProxy proxy = new io.ivp2p.testnet.ImpairmentProxy(device,
                io.ivp2p.testnet.ImpairmentProxy.Impairment.NONE, io.ivp2p.testnet.ImpairmentProxy.Impairment.NONE, 1)) {
            RawApp app = new RawApp(proxy.address(), "roamer", KEY);
            apps.add(app);
            app.hello();
            proxy.rebind();
            ControlFrame r = app.request(FrameType.COMMAND, 0, "after".getBytes(StandardCharsets.UTF_8));
            assertEquals("re:after", r.text());
            await(() -> fw.events().contains("PEER_ADDR_CHANGED"), "PEER_ADDR_CHANGED");
            assertEquals(1, engine.peerCount());
        }
    }

    @Test
    void eightAppsWithFourStreamsEachGetTheirOwnBytes() throws Exception {
        start();
        List<CompletableFuture<Void>> readers = new ArrayList<>();
        for (int a = 0; a < 8; a++) {
            RawApp app = app("multi" + a);
            app.hello();
            for (int ch = 1; ch <= 4; ch++) {
                TestFirmware.Stream s = open(app, ch, "action=live&app=" + a + "&ch=" + ch);
                int channel = ch;
                readers.add(CompletableFuture.runAsync(() -> checkPattern(s, app.readFully(channel, 200_000), 0)));
            }
        }
        CompletableFuture.allOf(readers.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
        assertEquals(32, fw.streams.size());
    }
}

package io.ivp2p.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.ivp2p.discovery.LanMessage;
import io.ivp2p.session.CloseReason;

/** LAN discovery, the handshake and HELLO/WELCOME, and every way a connect can fail. */
class ConnectTest extends AppTestSupport {

    @Test
    void discoveryFindsTheDeviceAndWelcomeNamesTheSession() throws Exception {
        FakeDevice d = device();
        P2pClient app = client(d.address());
        CompletableFuture<int[]> result = new CompletableFuture<>();
        int trace = app.connect(DEVICE_ID, P2pClient.LAN_FIRST, TIMEOUT, (t, h) -> result.complete(new int[] {t, h}));
        assertTrue(trace > 0, "trace id " + trace);
        int[] r = result.get(15, TimeUnit.SECONDS);
        assertEquals(trace, r[0]);
        assertTrue(r[1] >= 0, P2pError.describe(r[1]));
        FakeDevice.DeviceSession s = d.nextSession();
        assertEquals("user_1", s.handle.peerIdentity());
        assertEquals(s.peer, app.peerName(r[1]));
        assertEquals("user_1#1", app.peerName(r[1]));
        assertEquals(P2pError.SUCCESSFUL, app.activeCheck(r[1]));
        assertTrue(d.probes.get() >= 1);
        SessionInfo info = app.sessionInfo(r[1]);
        assertEquals(DEVICE_ID, info.deviceId());
        assertEquals("user_1#1", info.peerName());
        assertEquals(SessionInfo.Mode.LAN, info.mode());
        assertEquals(d.address(), info.remoteAddress());
        assertTrue(info.smoothedRttMicros() > 0, "rtt " + info.smoothedRttMicros());
        assertEquals(P2pError.SUCCESSFUL, info.closeCode());
    }

    @Test
    void internetModeFallsBackToTheLan() throws Exception {
        FakeDevice d = device();
        P2pClient app = client(d.address());
        int h = app.connectBlocking(DEVICE_ID, P2pClient.INTERNET_FIRST, TIMEOUT);
        assertTrue(h >= 0, P2pError.describe(h));
    }

    @Test
    void connectDirectSkipsDiscovery() throws Exception {
        FakeDevice d = device();
        d.answerProbes = false;
        P2pClient app = client(d.address());
        int h = app.connectDirect(DEVICE_ID, d.address(), TIMEOUT);
        assertTrue(h >= 0, P2pError.describe(h));
        assertEquals(0, d.probes.get(), "no probe sent");
        assertEquals(SessionInfo.Mode.DIRECT, app.sessionInfo(h).mode());
    }

    /** Answers every probe with a well-formed answer MACed under the wrong key. */
    private static Thread forger(DatagramSocket socket, CountDownLatch answered) {
        return answerer(socket, answered, null, OTHER_KEY);
    }

    /** Answers every probe, as {@code id} (null: the id probed for), MACed under {@code key}. */
    private static Thread answerer(DatagramSocket socket, CountDownLatch answered, String id, String key) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[2048];
            try {
                while (!socket.isClosed()) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    LanMessage.Probe probe = LanMessage.parseProbe(ByteBuffer.wrap(buf, 0, p.getLength()));
                    if (probe == null) {
                        continue;
                    }
                    byte[] forged = LanMessage.answer(probe.nonce(), 0, socket.getLocalPort(),
                            id != null ? id : probe.deviceId(), key.getBytes(StandardCharsets.UTF_8));
                    socket.send(new DatagramPacket(forged, forged.length, p.getSocketAddress()));
                    answered.countDown();
                }
            } catch (java.io.IOException e) {
                // closed by the test
            }
        }, "forger");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void aForgedAnswerThatArrivesFirstIsIgnored() throws Exception {
        FakeDevice d = device();
        CountDownLatch forgedSent = new CountDownLatch(1);
        d.answerGate = forgedSent; // the real answer goes out only after the forger's
        try (DatagramSocket forgerSocket = new DatagramSocket(FakeDevice.LOOPBACK)) {
            forger(forgerSocket, forgedSent);
            P2pClient app = client((InetSocketAddress) forgerSocket.getLocalSocketAddress(), d.address());
            int h = app.connectBlocking(DEVICE_ID, P2pClient.LAN_FIRST, TIMEOUT);
            assertTrue(h >= 0, P2pError.describe(h));
            assertEquals(0, forgedSent.getCount(), "the forger did answer");
            assertEquals("user_1#1", app.peerName(h), "connected to the real device");
        }
    }

    @Test
    void withOnlyAForgerTheDeviceIsNotOnline() throws Exception {
        CountDownLatch forgedSent = new CountDownLatch(1);
        try (DatagramSocket forgerSocket = new DatagramSocket(FakeDevice.LOOPBACK)) {
            forger(forgerSocket, forgedSent);
            P2pClient app = client((InetSocketAddress) forgerSocket.getLocalSocketAddress());
            assertEquals(P2pError.DEVICE_NOT_ONLINE, app.connectBlocking(DEVICE_ID, P2pClient.LAN_FIRST, 1500));
            // The forger's thread may answer the probe it got only after the connect gave up (a
            // loaded machine): wait for it instead of expecting it done already.
            assertTrue(forgedSent.await(10, TimeUnit.SECONDS), "the forger did answer");
        }
    }

    @Test
    void aGenuineAnswerOfAnotherDeviceIsIgnored() throws Exception {
        CountDownLatch answered = new CountDownLatch(1);
        try (DatagramSocket other = new DatagramSocket(FakeDevice.LOOPBACK)) {
            answerer(other, answered, "cam_02", KEY); // right key, right nonce, another id
            P2pClient app = client((InetSocketAddress) other.getLocalSocketAddress());
            assertEquals(P2pError.DEVICE_NOT_ONLINE, app.connectBlocking(DEVICE_ID, P2pClient.LAN_FIRST, 1000));
            // As above: the answerer's thread may be late, not absent.
            assertTrue(answered.await(10, TimeUnit.SECONDS), "the other device did answer");
        }
    }

    @Test
    void aWrongKeyFailsTheHandshake() throws Exception {
        FakeDevice d = device(DEVICE_ID, OTHER_KEY);
        P2pClient app = client(d.address());
        assertEquals(P2pError.AUTH_FAILED, app.connectDirect(DEVICE_ID, d.address(), TIMEOUT));
        assertEquals(0, d.sessions.size(), "nothing unauthenticated reached the device");
    }

    @Test
    void aWrongKeyOnTheLanIsNoAuthenticatedAnswer() throws Exception {
        FakeDevice d = device(DEVICE_ID, OTHER_KEY);
        P2pClient app = client(d.address());
        assertEquals(P2pError.DEVICE_NOT_ONLINE, app.connectBlocking(DEVICE_ID, P2pClient.LAN_FIRST, 1000));
        // The device's event loop counts a probe when it gets to it, maybe after the connect gave up.
        assertTrue(d.probed.await(10, TimeUnit.SECONDS), "the device was probed");
    }

    @Test
    void aDeviceAtItsLimitClosesWithCodeThreeAndTheAppReportsMaxSession() throws Exception {
        FakeDevice d = device();
        d.maxSessions = 0;
        P2pClient app = client(d.address());
        assertEquals(P2pError.MAX_SESSION, app.connectBlocking(DEVICE_ID, P2pClient.LAN_FIRST, TIMEOUT));
    }

    @Test
    void aFullLanAnswerFailsAtOnceWithMaxSession() throws Exception {
        FakeDevice d = device();
        d.answerFull = true;
        P2pClient app = client(d.address());
        assertEquals(P2pError.MAX_SESSION, app.connectBlocking(DEVICE_ID, P2pClient.LAN_FIRST, TIMEOUT));
        assertEquals(0, d.sessions.size());
    }

    @Test
    void breakConnectDuringDiscoveryReportsUserConnectBreak() throws Exception {
        FakeDevice d = device();
        d.answerProbes = false;
        P2pClient app = client(d.address());
        CompletableFuture<Integer> result = new CompletableFuture<>();
        int trace = app.connect(DEVICE_ID, P2pClient.LAN_FIRST, 60_000, (t, h) -> result.complete(h));
        assertTrue(d.probed.await(10, TimeUnit.SECONDS), "discovery is running");
        assertEquals(P2pError.SUCCESSFUL, app.breakConnect(trace));
        assertEquals(P2pError.USER_CONNECT_BREAK, result.get(10, TimeUnit.SECONDS));
        assertEquals(P2pError.INVALID_PARAMETER, app.breakConnect(trace), "finished: nothing to break");
        assertEquals(P2pError.INVALID_PARAMETER, app.breakConnect(12345));
    }

    @Test
    void breakConnectDuringHelloReportsUserConnectBreakAndEndsTheSession() throws Exception {
        FakeDevice d = device();
        d.answerHello = false;
        P2pClient app = client(d.address());
        CompletableFuture<Integer> result = new CompletableFuture<>();
        int trace = app.connect(DEVICE_ID, P2pClient.LAN_FIRST, 60_000, (t, h) -> result.complete(h));
        FakeDevice.DeviceSession s = d.nextSession();
        s.requests.poll(10, TimeUnit.SECONDS); // HELLO arrived: the app waits for WELCOME
        assertEquals(P2pError.SUCCESSFUL, app.breakConnect(trace));
        assertEquals(P2pError.USER_CONNECT_BREAK, result.get(10, TimeUnit.SECONDS));
        assertEquals(CloseReason.Kind.REMOTE, s.handle.closed().get(10, TimeUnit.SECONDS).kind());
    }

    @Test
    void breakAllConnectsCancelsABlockingConnect() throws Exception {
        FakeDevice d = device();
        d.answerProbes = false;
        P2pClient app = client(d.address());
        CompletableFuture<Integer> result = CompletableFuture.supplyAsync(
                () -> app.connectBlocking(DEVICE_ID, P2pClient.LAN_FIRST, 60_000));
        assertTrue(d.probed.await(10, TimeUnit.SECONDS));
        assertEquals(1, app.breakAllConnects());
        assertEquals(P2pError.USER_CONNECT_BREAK, result.get(10, TimeUnit.SECONDS));
    }

    @Test
    void noAnswerHelloIsATimeout() throws Exception {
        FakeDevice d = device();
        d.answerHello = false;
        P2pClient app = client(d.address());
        // The timeout must cover discovery and the DTLS handshake (on a loaded machine, seconds)
        // so that it is the missing WELCOME that runs it out: a handshake cut short is TIME_OUT
        // too, but then no session reaches the device. It is also how long this test takes.
        assertEquals(P2pError.TIME_OUT, app.connectBlocking(DEVICE_ID, P2pClient.LAN_FIRST, 5000));
        FakeDevice.DeviceSession s = d.nextSession();
        assertEquals(CloseReason.Kind.REMOTE, s.handle.closed().get(10, TimeUnit.SECONDS).kind(),
                "the half-made session is ended");
    }

    @Test
    void aSecondSessionWithTheSameDeviceFromOneClientIsRefused() throws Exception {
        FakeDevice d = device();
        P2pClient app = client(d.address());
        connect(app);
        assertEquals(P2pError.ALREADY_CONNECTED, app.connectBlocking(DEVICE_ID, P2pClient.LAN_FIRST, TIMEOUT));
    }

    @Test
    void handlesAreNeverReusedAcrossReconnects() throws Exception {
        FakeDevice d = device();
        P2pClient app = client(d.address());
        int first = connect(app);
        assertEquals(P2pError.SUCCESSFUL, app.disconnect(first));
        int second = connect(app);
        assertNotEquals(first, second);
        assertEquals(P2pError.INVALID_SESSION_HANDLE, app.activeCheck(first));
        assertEquals(P2pError.SUCCESSFUL, app.activeCheck(second));
    }

    @Test
    void connectInputIsCheckedBeforeAnythingIsSent() throws Exception {
        FakeDevice d = device();
        P2pClient app = client(d.address());
        ConnectCallback ignore = (t, h) -> { };
        assertEquals(P2pError.INVALID_ID, app.connect("bad-id", P2pClient.LAN_FIRST, TIMEOUT, ignore));
        assertEquals(P2pError.INVALID_ID, app.connect(null, P2pClient.LAN_FIRST, TIMEOUT, ignore));
        assertEquals(P2pError.INVALID_PARAMETER, app.connect(DEVICE_ID, 2, TIMEOUT, ignore));
        assertEquals(P2pError.INVALID_PARAMETER, app.connect(DEVICE_ID, P2pClient.LAN_FIRST, 0, ignore));
        assertEquals(P2pError.INVALID_PARAMETER, app.connect(DEVICE_ID, P2pClient.LAN_FIRST, TIMEOUT, null));
        assertEquals(P2pError.NO_KEY, app.connect("cam_99", P2pClient.LAN_FIRST, TIMEOUT, ignore));
        assertEquals(P2pError.INVALID_PARAMETER, app.connectDirect(DEVICE_ID, null, TIMEOUT));
        assertEquals(P2pError.INVALID_PARAMETER,
                app.connectDirect(DEVICE_ID, InetSocketAddress.createUnresolved("nowhere", 1), TIMEOUT));
        assertEquals(0, d.probes.get());
        assertEquals(P2pError.SUCCESSFUL, app.setDeviceKey("cam_99", KEY));
        assertEquals(P2pError.INVALID_PARAMETER, app.setDeviceKey("cam_99", "short"));
        assertEquals(P2pError.INVALID_ID, app.setDeviceKey("cam 99", KEY));
    }
}

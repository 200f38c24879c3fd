package io.ivp2p.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.ivp2p.session.CloseReason;

/** init/deInit, disconnect, the ends of sessions and the codes every call gives before init. */
class LifecycleTest extends AppTestSupport {

    @Test
    void everyCallBeforeInitIsNotInitialized() {
        P2pClient app = new P2pClient();
        byte[] buf = new byte[4];
        assertEquals(P2pError.NOT_INITIALIZED, app.connect(DEVICE_ID, P2pClient.LAN_FIRST, TIMEOUT, (t, h) -> { }));
        assertEquals(P2pError.NOT_INITIALIZED, app.connect(DEVICE_ID, P2pClient.LAN_FIRST, TIMEOUT, null));
        assertEquals(P2pError.NOT_INITIALIZED, app.connectBlocking(DEVICE_ID, P2pClient.LAN_FIRST, TIMEOUT));
        assertEquals(P2pError.NOT_INITIALIZED,
                app.connectDirect(DEVICE_ID, new InetSocketAddress("127.0.0.1", 1), TIMEOUT));
        assertEquals(P2pError.NOT_INITIALIZED, app.breakConnect(1));
        assertEquals(P2pError.NOT_INITIALIZED, app.breakAllConnects());
        assertEquals(P2pError.NOT_INITIALIZED, app.disconnect(0));
        assertEquals(P2pError.NOT_INITIALIZED, app.read(0, 1, buf, 10));
        assertEquals(P2pError.NOT_INITIALIZED, app.send(0, 1, buf, 4, 10));
        assertEquals(P2pError.NOT_INITIALIZED, app.sendTalk(0, 1, buf, 4, 10));
        assertEquals(P2pError.NOT_INITIALIZED, app.activeCheck(0));
        assertEquals(P2pError.NOT_INITIALIZED, app.setDeviceKey(DEVICE_ID, KEY));
        assertEquals(P2pError.NOT_INITIALIZED, app.deInit());
        assertEquals(P2pError.NOT_INITIALIZED,
                assertThrows(P2pException.class, () -> app.openStream(0, 1, "x", 10)).code());
        assertEquals(P2pError.NOT_INITIALIZED, assertThrows(P2pException.class, () -> app.closeStream(0, 1)).code());
        assertEquals(P2pError.NOT_INITIALIZED, assertThrows(P2pException.class, () -> app.peerName(0)).code());
        assertEquals(P2pError.NOT_INITIALIZED,
                assertThrows(P2pException.class, () -> app.command(0, buf, 10)).code());
        assertEquals(P2pError.NOT_INITIALIZED,
                assertThrows(P2pException.class, () -> app.setCommandHandler(0, (h, m) -> m)).code());
        assertEquals(P2pError.NOT_INITIALIZED,
                assertThrows(P2pException.class, () -> app.startTalk(0, 1, "x", 10)).code());
        assertEquals(P2pError.NOT_INITIALIZED, assertThrows(P2pException.class, () -> app.stopTalk(0, 1, 10)).code());
        assertFalse(app.version().isEmpty());
        assertEquals(null, app.localAddress());
    }

    @Test
    void initChecksItsArgumentsAndRefusesASecondInit() {
        P2pClient app = new P2pClient();
        clients.add(app);
        AppConfig loopback = AppConfig.defaults().withBindAddress(FakeDevice.LOOPBACK);
        assertEquals(P2pError.INVALID_ID, app.init("bad uid", new DeviceKeys(), loopback));
        assertEquals(P2pError.INVALID_ID, app.init(null, new DeviceKeys(), loopback));
        assertEquals(P2pError.INVALID_ID, app.init("x".repeat(65), new DeviceKeys(), loopback));
        assertEquals(P2pError.INVALID_PARAMETER, app.init("user_1", null, loopback));
        assertEquals(P2pError.INVALID_PARAMETER, app.init("user_1", new DeviceKeys(), null));
        assertEquals(P2pError.SUCCESSFUL, app.init("user.name@example-1", new DeviceKeys(), loopback));
        assertEquals(P2pError.ALREADY_INITIALIZED, app.init("user_1", new DeviceKeys(), loopback));
        assertEquals(P2pError.SUCCESSFUL, app.deInit());
        assertEquals(P2pError.SUCCESSFUL, app.init("user_1", new DeviceKeys(), loopback), "init again after deInit");
    }

    @Test
    void aPortInUseIsUdpPortBindFailed() throws Exception {
        P2pClient first = client(new InetSocketAddress("127.0.0.1", 9)); // never probed here
        P2pClient second = new P2pClient();
        clients.add(second);
        assertEquals(P2pError.UDP_PORT_BIND_FAILED, second.init("user_2", new DeviceKeys(),
                AppConfig.defaults().withBindAddress(first.localAddress())));
    }

    @Test
    void afterDisconnectTheHandleIsInvalidAndTheDeviceSeesAGracefulClose() throws Exception {
        FakeDevice d = device();
        P2pClient app = client(d.address());
        int h = connect(app);
        FakeDevice.DeviceSession s = d.nextSession();
        assertEquals(P2pError.SUCCESSFUL, app.disconnect(h));
        assertEquals(CloseReason.Kind.REMOTE, s.handle.closed().get(10, TimeUnit.SECONDS).kind());
        byte[] buf = new byte[4];
        assertEquals(P2pError.INVALID_SESSION_HANDLE, app.disconnect(h));
        assertEquals(P2pError.INVALID_SESSION_HANDLE, app.read(h, 1, buf, 10));
        assertEquals(P2pError.INVALID_SESSION_HANDLE, app.send(h, 1, buf, 4, 10));
        assertEquals(P2pError.INVALID_SESSION_HANDLE, app.activeCheck(h));
        assertEquals(P2pError.INVALID_SESSION_HANDLE, assertThrows(P2pException.class,
                () -> app.command(h, buf, TIMEOUT)).code());
        assertEquals(P2pError.INVALID_SESSION_HANDLE, assertThrows(P2pException.class,
                () -> app.openStream(h, 1, "x", TIMEOUT)).code());
        assertEquals(P2pError.INVALID_SESSION_HANDLE, assertThrows(P2pException.class, () -> app.peerName(h)).code());
    }

    @Test
    void aRemoteCloseIsSessionClosedRemoteOnceNothingIsLeft() throws Exception {
        FakeDevice d = device();
        P2pClient app = client(d.address());
        int h = connect(app);
        FakeDevice.DeviceSession s = d.nextSession();
        byte[] last = {1, 2, 3};
        s.handle.write(4, last, 0, last.length, 5000);
        s.handle.close();
        byte[] buf = new byte[16];
        assertEquals(3, app.read(h, 4, buf, TIMEOUT), "what was sent before the close is still read");
        assertEquals(P2pError.SESSION_CLOSED_REMOTE, app.read(h, 4, buf, TIMEOUT));
        assertEquals(P2pError.SESSION_CLOSED_REMOTE, app.read(h, 1, buf, TIMEOUT));
        assertEquals(P2pError.SESSION_CLOSED_REMOTE, app.activeCheck(h));
        assertEquals(P2pError.SESSION_CLOSED_REMOTE, app.send(h, 1, buf, 4, TIMEOUT));
        assertEquals(P2pError.SESSION_CLOSED_REMOTE, assertThrows(P2pException.class,
                () -> app.command(h, buf, TIMEOUT)).code());
        assertEquals(P2pError.SUCCESSFUL, app.disconnect(h), "the handle is still the app's to release");
    }

    @Test
    void aReaderWaitingWhenTheDeviceAbortsGetsTheCloseCode() throws Exception {
        FakeDevice d = device();
        P2pClient app = client(d.address());
        int h = connect(app);
        FakeDevice.DeviceSession s = d.nextSession();
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> app.read(h, 1, new byte[8], 60_000));
        s.handle.abort("device exiting");
        assertEquals(P2pError.SESSION_CLOSED_REMOTE, reader.get(10, TimeUnit.SECONDS));
    }

    @Test
    void deInitClosesEverySessionAndCancelsConnects() throws Exception {
        FakeDevice a = device("cam_01", KEY);
        FakeDevice b = device("cam_02", KEY);
        FakeDevice silent = device("cam_03", KEY);
        silent.answerProbes = false;
        P2pClient app = client("user_1", DeviceKeys.of(java.util.Map.of("cam_01", KEY, "cam_02", KEY, "cam_03", KEY)),
                a.address(), b.address(), silent.address());
        int ha = app.connectBlocking("cam_01", P2pClient.LAN_FIRST, TIMEOUT);
        int hb = app.connectBlocking("cam_02", P2pClient.LAN_FIRST, TIMEOUT);
        assertTrue(ha >= 0 && hb >= 0);
        CompletableFuture<Integer> pending = new CompletableFuture<>();
        assertTrue(app.connect("cam_03", P2pClient.LAN_FIRST, 60_000, (t, h) -> pending.complete(h)) > 0);
        assertTrue(silent.probed.await(10, TimeUnit.SECONDS));
        List<FakeDevice.DeviceSession> onDevices = List.of(a.nextSession(), b.nextSession());

        assertEquals(P2pError.SUCCESSFUL, app.deInit());
        assertEquals(P2pError.USER_CONNECT_BREAK, pending.get(10, TimeUnit.SECONDS));
        for (FakeDevice.DeviceSession s : onDevices) {
            assertEquals(CloseReason.Kind.REMOTE, s.handle.closed().get(10, TimeUnit.SECONDS).kind());
        }
        assertEquals(P2pError.NOT_INITIALIZED, app.read(ha, 1, new byte[1], 10));
        assertEquals(P2pError.NOT_INITIALIZED, app.activeCheck(hb));
        assertEquals(P2pError.NOT_INITIALIZED, app.deInit());
    }

    @Test
    void deInitFromAConnectCallbackClosesTheNewSession() throws Exception {
        FakeDevice d = device();
        P2pClient app = client(d.address());
        CompletableFuture<Integer> deInit = new CompletableFuture<>();
        app.connect(DEVICE_ID, P2pClient.LAN_FIRST, TIMEOUT, (t, h) -> deInit.complete(app.deInit()));
        assertEquals(P2pError.SUCCESSFUL, deInit.get(20, TimeUnit.SECONDS));
        assertEquals(CloseReason.Kind.REMOTE, d.nextSession().handle.closed().get(10, TimeUnit.SECONDS).kind());
        assertEquals(P2pError.NOT_INITIALIZED, app.activeCheck(0));
    }

    @Test
    void errorCodesHaveNamesAndDescriptions() {
        int[] codes = {0, -1, -2, -3, -4, -5, -6, -11, -12, -13, -14, -17, -18, -19, -100, -101, -102, -103, -104,
                -105, -106, -107};
        for (int c : codes) {
            assertFalse(P2pError.name(c).equals("UNKNOWN"), "code " + c);
            assertTrue(P2pError.describe(c).startsWith(P2pError.name(c) + ": "), P2pError.describe(c));
        }
        assertEquals("UNKNOWN", P2pError.name(-7));
        assertEquals(P2pError.DEVICE_NOT_ONLINE, new P2pException(-6, "x").code());
    }
}

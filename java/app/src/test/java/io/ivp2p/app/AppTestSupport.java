package io.ivp2p.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;

/**
 * A fake device on loopback and an app client whose probes go to the device's session port
 * (never broadcast). Every wait is bounded; timeouts are liveness bounds, not timing assertions.
 */
abstract class AppTestSupport {
    static final String DEVICE_ID = "cam_01";
    static final String KEY = "device-access-key-0123456789";
    static final String OTHER_KEY = "a-different-key-9876543210";
    static final int TIMEOUT = 10_000;

    final List<FakeDevice> devices = new ArrayList<>();
    final List<P2pClient> clients = new ArrayList<>();

    FakeDevice device(String id, String key) throws Exception {
        FakeDevice d = new FakeDevice(id, key);
        devices.add(d);
        return d;
    }

    FakeDevice device() throws Exception {
        return device(DEVICE_ID, KEY);
    }

    /** A client probing {@code targets}, with keys of DEVICE_ID (KEY) and of anything in {@code keys}. */
    P2pClient client(String uid, DeviceKeys keys, InetSocketAddress... targets) {
        P2pClient c = new P2pClient();
        clients.add(c);
        AppConfig config = AppConfig.defaults().withBindAddress(FakeDevice.LOOPBACK)
                .withProbeTargets(List.of(targets));
        assertEquals(P2pError.SUCCESSFUL, c.init(uid, keys, config));
        return c;
    }

    P2pClient client(InetSocketAddress... targets) {
        return client("user_1", DeviceKeys.of(DEVICE_ID, KEY), targets);
    }

    /** Connects {@code c} to DEVICE_ID; fails the test on an error. */
    static int connect(P2pClient c) {
        int h = c.connectBlocking(DEVICE_ID, P2pClient.LAN_FIRST, TIMEOUT);
        assertTrue(h >= 0, "connect: " + P2pError.describe(h));
        return h;
    }

    @AfterEach
    void tearDown() {
        for (P2pClient c : clients) {
            c.deInit();
        }
        for (FakeDevice d : devices) {
            d.close();
        }
    }
}

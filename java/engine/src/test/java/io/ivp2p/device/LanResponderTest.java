package io.ivp2p.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.ivp2p.bridge.FirmwareCallbacks;
import io.ivp2p.bridge.IvError;
import io.ivp2p.bridge.IvException;
import io.ivp2p.bridge.P2pParams;
import io.ivp2p.discovery.LanMessage;

/** LAN discovery answers from the device engine, on loopback, probed on both of its ports. */
class LanResponderTest {
    private static final String KEY = "lan-test-access-key-0001";
    private final TestFirmware fw = new TestFirmware();
    private DeviceEngine engine;
    private FirmwareCallbacks callbacks;

    private int freePort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    @AfterEach
    void exit() throws Exception {
        engine.close();
        callbacks.gate().close(5000);
    }

    private ByteBuffer probe(DatagramSocket app, int port, String id, byte[] nonce) throws Exception {
        byte[] p = LanMessage.probe(nonce, id);
        app.send(new DatagramPacket(p, p.length, InetAddress.getLoopbackAddress(), port));
        byte[] buf = new byte[512];
        DatagramPacket in = new DatagramPacket(buf, buf.length);
        try {
            app.receive(in);
        } catch (SocketTimeoutException e) {
            return null;
        }
        assertEquals(engine.sessionAddress().getPort(), in.getPort(), "answered from the session port");
        return ByteBuffer.wrap(buf, 0, in.getLength());
    }

    /**
     * Starts the engine with a probe port that was free a moment ago. Another process may take it
     * in between (CI runs other tests beside this one): then start fails with AVT_FAILED and
     * another port is tried.
     */
    private int startWithAFreeProbePort() throws Exception {
        for (int attempt = 1; ; attempt++) {
            int probePort = freePort();
            P2pParams params = new P2pParams(fw.callbacks(), new P2pParams.KeepAlive(5, 3),
                    new P2pParams.InitParams(2, null, 0, 0, 0, 10, 10, 10, 0),
                    new P2pParams.NetInfo(probePort, 0, "127.0.0.1", "vendor", "cam_lan"));
            callbacks = new FirmwareCallbacks(params.callbacks());
            engine = new DeviceEngine(params, callbacks, DeviceSettings.of(null, KEY));
            try {
                engine.start();
                return probePort;
            } catch (IvException e) {
                if (e.error() != IvError.AVT_FAILED || attempt == 5) {
                    throw e;
                }
                callbacks.gate().close(5000); // start closed the engine already
            }
        }
    }

    @Test
    void probesOnTheProbePortAndTheSessionPortGetAnAuthenticatedAnswerOnlyForThisDevice() throws Exception {
        int probePort = startWithAFreeProbePort();
        byte[] key = KEY.getBytes(StandardCharsets.UTF_8);
        SecureRandom rnd = new SecureRandom();
        try (DatagramSocket app = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            // A bound for an answer that comes (a liveness bound, generous for a loaded machine).
            app.setSoTimeout(10_000);
            for (int port : new int[] {probePort, engine.sessionAddress().getPort()}) {
                byte[] nonce = new byte[LanMessage.NONCE];
                rnd.nextBytes(nonce);
                ByteBuffer answer = probe(app, port, "cam_lan", nonce);
                assertNotNull(answer, "answer to a probe on port " + port);
                LanMessage.Answer a = LanMessage.parseAnswer(answer);
                assertNotNull(a);
                assertTrue(a.verify(key, nonce), "MAC under the access key, echoing the nonce");
                assertEquals("cam_lan", a.deviceId());
                assertEquals(engine.sessionAddress().getPort(), a.sessionPort());
                assertTrue(!a.full());
                assertTrue(!a.verify("some-other-key-0123456".getBytes(StandardCharsets.UTF_8), nonce));
            }
            app.setSoTimeout(300);
            assertNull(probe(app, probePort, "cam_other", new byte[LanMessage.NONCE]),
                    "another device's probe is not answered");
        }
        // LAN mode on: LOCAL_NET_READY once listening.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!fw.events().contains("LOCAL_NET_READY") && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(java.util.List.of("LOCAL_NET_READY"), fw.events());
    }
}

package io.ivp2p.path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.ivp2p.session.CloseReason;
import io.ivp2p.session.SessionConfig;
import io.ivp2p.testnet.ImpairmentProxy;

/**
 * Real sockets through the user-space impairment proxy: loss, delay, a rate cap, and a NAT
 * rebinding in the middle of a stream. Timeouts are liveness bounds only.
 */
class ImpairedLoopbackTest {
    private static final byte[] KEY = "access-key-for-the-impaired-test".getBytes(StandardCharsets.UTF_8);
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private SessionEndpoint device;
    private SessionEndpoint app;
    private ImpairmentProxy proxy;

    @AfterEach
    void close() throws Exception {
        if (app != null) {
            app.close();
        }
        if (device != null) {
            device.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + (i >>> 10));
        }
        return b;
    }

    @Test
    void aStreamSurvivesLossDelayARateCapAndANatRebinding() throws Exception {
        CompletableFuture<SessionHandle> accepted = new CompletableFuture<>();
        device = SessionEndpoint.open(ANY_LOOPBACK, SessionEndpoint.Config.defaults(), id -> KEY.clone(),
                accepted::complete);
        app = SessionEndpoint.open(ANY_LOOPBACK, SessionEndpoint.Config.defaults(), null, null);
        // 3 % loss each way, 10 ms each way, 4 MB/s towards the app with a 64 KB queue.
        proxy = new ImpairmentProxy(device.localAddress(),
                new ImpairmentProxy.Impairment(0.03, 10_000, 0, 0),
                new ImpairmentProxy.Impairment(0.03, 10_000, 4_000_000, 64_000), 17);
        SessionHandle client = app.connect(proxy.address(), "viewer", KEY).get(30, TimeUnit.SECONDS);
        SessionHandle server = accepted.get(30, TimeUnit.SECONDS);
        InetSocketAddress before = server.peer();

        byte[] video = pattern(4_000_000);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            int off = 0;
            while (off < video.length) {
                off += server.write(1, video, off, video.length - off, 30_000);
            }
            server.finish(1);
        });
        byte[] got = new byte[video.length];
        int n = 0;
        boolean rebound = false;
        while (n < got.length) {
            int r = client.read(1, got, n, got.length - n, 30_000);
            assertTrue(r > 0, "stream keeps flowing (" + n + " of " + got.length + ")");
            n += r;
            if (!rebound && n > got.length / 3) {
                proxy.rebind();
                rebound = true;
            }
        }
        writer.get(60, TimeUnit.SECONDS);
        assertArrayEquals(video, got);
        assertEquals(-1, client.read(1, new byte[1], 0, 1, 30_000));
        assertNotEquals(before, server.peer(), "the device follows the app's new address");
        assertEquals(1, device.stats().addressChanges);
        assertTrue(proxy.dropped.get() > 0, "the proxy did drop packets");
        assertTrue(server.isOpen() && client.isOpen());
    }

    @Test
    void whenThePeerVanishesMidStreamBothEndsDeclareItDeadAfterTheKeepAliveBound() throws Exception {
        // 300 ms x 3: dead after 900 ms of silence (vendor time_inter_s x max_attempt_num).
        SessionEndpoint.Config config = new SessionEndpoint.Config(
                SessionEndpoint.Config.defaults().session().withKeepAlive(300 * SessionConfig.MS, 3),
                SessionEndpoint.Config.defaults().dtls(), 32, 8);
        CompletableFuture<SessionHandle> accepted = new CompletableFuture<>();
        device = SessionEndpoint.open(ANY_LOOPBACK, config, id -> KEY.clone(), accepted::complete);
        app = SessionEndpoint.open(ANY_LOOPBACK, config, null, null);
        proxy = new ImpairmentProxy(device.localAddress(), ImpairmentProxy.Impairment.NONE,
                ImpairmentProxy.Impairment.NONE, 5);
        SessionHandle client = app.connect(proxy.address(), "viewer", KEY).get(30, TimeUnit.SECONDS);
        SessionHandle server = accepted.get(30, TimeUnit.SECONDS);
        byte[] chunk = pattern(64 * 1024);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                while (true) {
                    server.write(1, chunk, 0, chunk.length, 30_000);
                }
            } catch (SessionClosedException e) {
                // the end this test waits for
            }
        });
        byte[] buf = new byte[chunk.length];
        long got = 0;
        while (got < 1_000_000) {
            got += client.read(1, buf, 0, buf.length, 30_000);
        }
        proxy.close(); // the path is gone: nothing more arrives either way, and no CLOSE is sent

        CloseReason deviceSide = server.closed().get(30, TimeUnit.SECONDS);
        CloseReason appSide = client.closed().get(30, TimeUnit.SECONDS);
        writer.get(30, TimeUnit.SECONDS);
        for (CloseReason r : new CloseReason[] {deviceSide, appSide}) {
            assertEquals(CloseReason.Kind.TIMEOUT, r.kind(), r.toString());
            assertTrue(r.detail().contains("keep-alive 300 ms x 3"), r.toString());
        }
        assertEquals(0, device.sessionCount(), "the dead session's resources are released");
        assertEquals(0, app.sessionCount());
        // What had arrived stays readable; then the reader learns the session is gone.
        assertThrows(SessionClosedException.class, () -> {
            while (true) {
                client.read(1, buf, 0, buf.length, 1000);
            }
        });
    }
}


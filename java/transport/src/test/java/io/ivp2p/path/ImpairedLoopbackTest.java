package io.ivp2p.path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
}

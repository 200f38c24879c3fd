package io.ivp2p.path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.ivp2p.security.PskLookup;
import io.ivp2p.session.CloseReason;

/**
 * Real UDP sockets on loopback: two endpoints, DTLS-PSK, sessions carrying data both ways.
 * Timeouts are liveness bounds only.
 */
class LoopbackSessionTest {
    private static final byte[] KEY = "device-access-key-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final InetSocketAddress ANY_LOOPBACK =
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private SessionEndpoint device;
    private SessionEndpoint app;
    private final CompletableFuture<SessionHandle> accepted = new CompletableFuture<>();

    private void open(PskLookup keys) throws Exception {
        device = SessionEndpoint.open(ANY_LOOPBACK, SessionEndpoint.Config.defaults(), keys, accepted::complete);
        app = SessionEndpoint.open(ANY_LOOPBACK, SessionEndpoint.Config.defaults(), null, null);
    }

    @AfterEach
    void close() {
        if (app != null) {
            app.close();
        }
        if (device != null) {
            device.close();
        }
    }

    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed + (i >>> 9));
        }
        return b;
    }

    private static byte[] readFully(SessionHandle h, int channel, int n) {
        byte[] out = new byte[n];
        int got = 0;
        while (got < n) {
            int r = h.read(channel, out, got, n - got, 10_000);
            assertTrue(r > 0, "data keeps arriving (got " + got + " of " + n + ")");
            got += r;
        }
        return out;
    }

    @Test
    void anAppAndADeviceExchangeDataOnSeveralChannelsOverLoopback() throws Exception {
        open(identity -> identity.equals("user_42") ? KEY.clone() : null);
        SessionHandle client = app.connect(device.localAddress(), "user_42", KEY).get(15, TimeUnit.SECONDS);
        SessionHandle server = accepted.get(15, TimeUnit.SECONDS);
        assertEquals("user_42", server.peerIdentity());

        byte[] video = pattern(3_000_000, 1);
        byte[] command = "{\"cmd\":\"get_info\"}".getBytes(StandardCharsets.UTF_8);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            int off = 0;
            while (off < video.length) {
                off += server.write(1, video, off, video.length - off, 10_000);
            }
            server.finish(1);
        });
        assertEquals(command.length, client.write(0, command, 0, command.length, 5_000));
        assertArrayEquals(command, readFully(server, 0, command.length));
        assertArrayEquals(video, readFully(client, 1, video.length));
        writer.get(30, TimeUnit.SECONDS);
        assertEquals(-1, client.read(1, new byte[1], 0, 1, 5_000), "the FIN follows the data");
        // Reading everything does not mean the last ACK has reached the sender yet.
        assertTrue(waitFor(() -> server.stats(1).unacked() == 0), "all acknowledged");
        assertEquals(video.length, server.stats(1).ackedTotal());

        client.close();
        CloseReason reason = server.closed().get(15, TimeUnit.SECONDS);
        assertEquals(CloseReason.Kind.REMOTE, reason.kind());
        assertThrows(SessionClosedException.class, () -> server.write(2, command, 0, 1, 100));
    }

    @Test
    void aWrongAccessKeyFailsTheConnectWithAClearReason() throws Exception {
        open(identity -> KEY.clone());
        byte[] wrong = "not-the-device-key".getBytes(StandardCharsets.UTF_8);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> app.connect(device.localAddress(), "user_42", wrong).get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("handshake"), e.getCause().getMessage());
        assertTrue(!accepted.isDone(), "nothing unauthenticated reaches the layer above");
    }

    @Test
    void anUnknownIdentityIsRefused() throws Exception {
        open(identity -> null);
        assertThrows(ExecutionException.class,
                () -> app.connect(device.localAddress(), "stranger", KEY).get(30, TimeUnit.SECONDS));
        assertEquals(0, device.sessionCount());
    }

    @Test
    void oneSocketServesManySessions() throws Exception {
        open(identity -> KEY.clone());
        SessionEndpoint[] apps = new SessionEndpoint[5];
        try {
            for (int i = 0; i < apps.length; i++) {
                apps[i] = SessionEndpoint.open(ANY_LOOPBACK, SessionEndpoint.Config.defaults(), null, null);
                SessionHandle h = apps[i].connect(device.localAddress(), "user_" + i, KEY).get(15, TimeUnit.SECONDS);
                byte[] hello = ("hello " + i).getBytes(StandardCharsets.UTF_8);
                h.write(4, hello, 0, hello.length, 5_000);
            }
            assertTrue(waitFor(() -> device.sessionCount() == 5), "5 sessions on one device socket");
        } finally {
            for (SessionEndpoint a : apps) {
                if (a != null) {
                    a.close();
                }
            }
        }
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 1000 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10); // liveness poll, not a timing assertion
        }
        return condition.getAsBoolean();
    }
}

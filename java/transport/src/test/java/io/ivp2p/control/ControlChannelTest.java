package io.ivp2p.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.ivp2p.path.SessionClosedException;
import io.ivp2p.path.SessionEndpoint;
import io.ivp2p.path.SessionHandle;
import io.ivp2p.session.CloseReason;

/** Channel 0 over a real loopback session: calls, replies in order with later frames, close. */
class ControlChannelTest {
    private static final byte[] KEY = "device-access-key-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private SessionEndpoint device;
    private SessionEndpoint app;
    private SessionHandle appSide;
    private SessionHandle deviceSide;

    @BeforeEach
    void connect() throws Exception {
        CompletableFuture<SessionHandle> accepted = new CompletableFuture<>();
        device = SessionEndpoint.open(LOOPBACK, SessionEndpoint.Config.defaults(), id -> KEY.clone(),
                accepted::complete);
        app = SessionEndpoint.open(LOOPBACK, SessionEndpoint.Config.defaults(), null, null);
        appSide = app.connect(device.localAddress(), "user_1", KEY).get(15, TimeUnit.SECONDS);
        deviceSide = accepted.get(15, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        app.close();
        device.close();
    }

    /** Records what the app's handler saw, in order. */
    private static final class Recorder implements ControlChannel.Handler {
        final List<String> events = new CopyOnWriteArrayList<>();
        final CountDownLatch streamEnd = new CountDownLatch(1);
        final CompletableFuture<CloseReason> closed = new CompletableFuture<>();

        @Override
        public void onRequest(ControlFrame frame) {
            events.add("request " + frame.type());
            if (frame.type() == FrameType.STREAM_END) {
                streamEnd.countDown();
            }
        }

        @Override
        public void onReply(ControlFrame reply) {
            events.add("reply " + reply.type());
        }

        @Override
        public void onClosed(CloseReason reason) {
            events.add("closed");
            closed.complete(reason);
        }
    }

    /** A device that answers STREAM_OPEN with STREAM_OPENED and ends the stream right away. */
    private ControlChannel startDevice() {
        ControlChannel[] self = new ControlChannel[1];
        self[0] = new ControlChannel(deviceSide, "device", new ControlChannel.Handler() {
            @Override
            public void onRequest(ControlFrame f) {
                if (f.type() != FrameType.STREAM_OPEN) {
                    return;
                }
                try {
                    self[0].send(ControlFrame.withOffset(FrameType.STREAM_OPENED, f.channel(), f.requestId(), 100, ""), 5000);
                    self[0].send(ControlFrame.withOffset(FrameType.STREAM_END, f.channel(), 0, 100, "empty"), 5000);
                } catch (TimeoutException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void onClosed(CloseReason reason) {
            }
        });
        self[0].start();
        return self[0];
    }

    @Test
    void aReplyReachesTheHandlerBeforeTheCallerAndBeforeTheFrameAfterIt() throws Exception {
        startDevice();
        Recorder rec = new Recorder();
        ControlChannel cc = new ControlChannel(appSide, "app", rec);
        cc.start();
        ControlFrame reply = cc.call(ControlFrame.of(FrameType.STREAM_OPEN, 1, cc.newRequestId(), "action=live"), 10_000);
        assertEquals(FrameType.STREAM_OPENED, reply.type());
        assertEquals(100, reply.offset());
        assertEquals("reply STREAM_OPENED", rec.events.get(0), "applied before call() returned");
        assertTrue(rec.streamEnd.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("reply STREAM_OPENED", "request STREAM_END"), rec.events.subList(0, 2));
    }

    @Test
    void aCallWaitingForAReplyFailsWhenTheSessionCloses() throws Exception {
        // The device reads channel 0 but never answers.
        ControlChannel silent = new ControlChannel(deviceSide, "device", new ControlChannel.Handler() {
            @Override
            public void onRequest(ControlFrame frame) {
                deviceSide.abort(CloseReason.SESSION_LIMIT, "full");
            }

            @Override
            public void onClosed(CloseReason reason) {
            }
        });
        silent.start();
        Recorder rec = new Recorder();
        ControlChannel cc = new ControlChannel(appSide, "app", rec);
        cc.start();
        SessionClosedException e = assertThrows(SessionClosedException.class,
                () -> cc.call(ControlFrame.of(FrameType.HELLO, 0, cc.newRequestId(), "version=1"), 10_000));
        assertEquals(CloseReason.SESSION_LIMIT, e.reason().code());
        assertEquals(CloseReason.Kind.REMOTE, rec.closed.get(10, TimeUnit.SECONDS).kind());
        assertThrows(SessionClosedException.class,
                () -> cc.call(ControlFrame.of(FrameType.HELLO, 0, cc.newRequestId(), "version=1"), 1000));
    }

    @Test
    void noReplyInTimeIsATimeout() throws Exception {
        Recorder rec = new Recorder();
        ControlChannel cc = new ControlChannel(appSide, "app", rec);
        cc.start();
        assertThrows(TimeoutException.class,
                () -> cc.call(ControlFrame.of(FrameType.COMMAND, 0, cc.newRequestId(), "x"), 200));
    }
}

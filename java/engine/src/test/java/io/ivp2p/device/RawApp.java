package io.ivp2p.device;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.ivp2p.control.ControlChannel;
import io.ivp2p.control.ControlFrame;
import io.ivp2p.control.FrameType;
import io.ivp2p.path.SessionEndpoint;
import io.ivp2p.path.SessionHandle;
import io.ivp2p.session.CloseReason;

/**
 * The app side spoken frame by frame (docs/protocol.md), without the app SDK: the device engine's
 * tests check the protocol itself with it. Unsolicited frames (STREAM_END, DEVICE_COMMAND) queue
 * up in {@link #unsolicited}.
 */
final class RawApp implements AutoCloseable, ControlChannel.Handler {
    final SessionEndpoint endpoint;
    final SessionHandle session;
    final ControlChannel control;
    final LinkedBlockingQueue<ControlFrame> unsolicited = new LinkedBlockingQueue<>();
    /** Every frame the device sent, replies and unsolicited ones, in the order they arrived. */
    final List<ControlFrame> arrivals = Collections.synchronizedList(new ArrayList<>());
    volatile CloseReason closed;
    String peer;

    RawApp(InetSocketAddress device, String uid, String key) throws Exception {
        endpoint = SessionEndpoint.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                SessionEndpoint.Config.defaults(), null, null);
        session = endpoint.connect(device, uid, key.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
        control = new ControlChannel(session, "test-" + uid, this);
        control.start();
    }

    String hello() throws Exception {
        ControlFrame w = control.call(ControlFrame.of(FrameType.HELLO, 0, control.newRequestId(), "version=1"), 10_000);
        for (String kv : w.text().split("&")) {
            if (kv.startsWith("peer=")) {
                peer = kv.substring(5);
            }
        }
        return peer;
    }

    ControlFrame request(FrameType type, int channel, String text) throws Exception {
        return control.call(ControlFrame.of(type, channel, control.newRequestId(), text), 10_000);
    }

    ControlFrame request(FrameType type, int channel, byte[] payload) throws Exception {
        return control.call(new ControlFrame(type, channel, control.newRequestId(), payload), 10_000);
    }

    void send(ControlFrame f) throws Exception {
        control.send(f, 5000);
    }

    ControlFrame next(FrameType type) throws Exception {
        ControlFrame f = unsolicited.poll(10, TimeUnit.SECONDS);
        if (f == null || f.type() != type) {
            throw new AssertionError("expected " + type + ", got " + f);
        }
        return f;
    }

    /** Reads exactly {@code n} bytes of {@code channel}. */
    byte[] readFully(int channel, int n) {
        byte[] out = new byte[n];
        int got = 0;
        while (got < n) {
            int r = session.read(channel, out, got, n - got, 10_000);
            if (r <= 0) {
                throw new AssertionError("channel " + channel + " stopped after " + got + " of " + n);
            }
            got += r;
        }
        return out;
    }

    @Override
    public void onRequest(ControlFrame frame) {
        arrivals.add(frame);
        unsolicited.add(frame);
    }

    @Override
    public void onReply(ControlFrame reply) {
        arrivals.add(reply);
    }

    /** The types of {@link #arrivals} so far, copied under the list's lock. */
    List<FrameType> arrivalTypes() {
        synchronized (arrivals) {
            return arrivals.stream().map(ControlFrame::type).toList();
        }
    }

    @Override
    public void onClosed(CloseReason reason) {
        closed = reason;
    }

    @Override
    public void close() {
        endpoint.close();
    }
}

package io.ivp2p.path;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.ivp2p.session.CloseReason;
import io.ivp2p.session.Session;
import io.ivp2p.time.Wakeups;

/**
 * A thread-safe, blocking view of one established session for the layers above (device engine,
 * app SDK). Every call runs in the endpoint's event loop on the calling thread (see
 * {@link io.ivp2p.time.EventLoop#call}); blocking calls wait at most their timeout, woken when data
 * arrives or buffer room frees. Reads return bytes as they arrive (channels are byte streams).
 */
public final class SessionHandle {
    private final SessionEndpoint endpoint;
    private final SessionEndpoint.Connection connection;
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    /** Data arrived, room freed, or the session closed: what blocked readers and writers wait for. */
    private final Wakeups signals = new Wakeups();
    private volatile InetSocketAddress peer;
    private volatile Consumer<InetSocketAddress> addressListener = a -> { };
    private volatile Runnable activityListener = () -> { };

    SessionHandle(SessionEndpoint endpoint, SessionEndpoint.Connection connection) {
        this.endpoint = endpoint;
        this.connection = connection;
        this.peer = connection.peer;
    }

    /** The peer's current address (it changes if the peer's NAT rebinds). */
    public InetSocketAddress peer() {
        return peer;
    }

    /** The PSK identity the peer authenticated with (the app's user id on a device). */
    public String peerIdentity() {
        return connection.association.peerIdentity();
    }

    /** Completes when the session ends, with why. */
    public CompletableFuture<CloseReason> closed() {
        return closed;
    }

    public boolean isOpen() {
        return !closed.isDone();
    }

    /** Called (in the event loop) when the peer's address changed; must not block. */
    public void onAddressChange(Consumer<InetSocketAddress> listener) {
        addressListener = listener;
    }

    /** Called (in the event loop) whenever data arrived or buffer room freed; must not block. */
    public void onActivity(Runnable listener) {
        activityListener = listener;
    }

    /**
     * Writes {@code len} bytes to {@code channel}, waiting up to {@code timeoutMillis} for buffer
     * room. Returns the bytes written (less than {@code len}, possibly 0, on timeout).
     *
     * @throws SessionClosedException if the session is (or becomes) closed
     */
    public int write(int channel, byte[] b, int off, int len, long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        int done = 0;
        while (true) {
            int start = done;
            long seen = signals.count();
            int n = endpoint.callOnLoop(() -> {
                Session s = connection.session;
                if (s.state() != Session.State.OPEN) {
                    return -1;
                }
                int w = s.write(channel, ByteBuffer.wrap(b, off + start, len - start));
                connection.pump();
                return w;
            });
            if (n < 0) {
                throw closedException();
            }
            done += n;
            if (done == len || !signals.await(seen, deadline)) {
                return done;
            }
        }
    }

    /**
     * Writes what fits of {@code src} to {@code channel} now, without waiting (the position of
     * {@code src} advances past what was taken). For a pump that serves many streams from one
     * thread and must not block on any of them.
     *
     * @return the bytes taken
     * @throws SessionClosedException if the session is closed
     */
    public int writeNow(int channel, ByteBuffer src) {
        int n = endpoint.callOnLoop(() -> {
            Session s = connection.session;
            if (s.state() != Session.State.OPEN) {
                return -1;
            }
            int w = s.write(channel, src);
            if (w > 0) {
                connection.pump();
            }
            return w;
        });
        if (n < 0) {
            throw closedException();
        }
        return n;
    }

    /**
     * Reads up to {@code len} bytes of {@code channel}, waiting up to {@code timeoutMillis} for
     * some. Returns the count, 0 on timeout, or -1 once the peer finished the channel and all was
     * read.
     *
     * @throws SessionClosedException if the session closed with nothing left to read
     */
    public int read(int channel, byte[] b, int off, int len, long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            long seen = signals.count();
            int n = endpoint.callOnLoop(() -> {
                Session s = connection.session;
                int r = s.read(channel, ByteBuffer.wrap(b, off, len));
                if (r == 0 && s.state() == Session.State.CLOSED) {
                    return Integer.MIN_VALUE;
                }
                if (r != 0) {
                    connection.pump(); // a window update may be due
                }
                return r;
            });
            if (n == Integer.MIN_VALUE) {
                throw closedException();
            }
            if (n != 0 || !signals.await(seen, deadline)) {
                return n;
            }
        }
    }

    /** Bytes readable on {@code channel} now. */
    public long readable(int channel) {
        return endpoint.callOnLoop(() -> connection.session.readable(channel));
    }

    /** Ends the sending direction of {@code channel}. */
    public void finish(int channel) {
        endpoint.callOnLoop(() -> {
            if (connection.session.state() == Session.State.OPEN) {
                connection.session.finish(channel);
                connection.pump();
            }
            return null;
        });
    }

    /** Per-channel send statistics. */
    public Session.ChannelStats stats(int channel) {
        return endpoint.callOnLoop(() -> connection.session.channelStats(channel, endpoint.loop().nanos()));
    }

    /** The session's counters and RTT, for logs and benchmarks. */
    public String describe() {
        return endpoint.callOnLoop(() -> connection.session.stats() + " srtt="
                + connection.session.rtt().smoothedRtt() / 1000 + "us cwnd="
                + connection.session.congestionController().congestionWindow());
    }

    /**
     * The smoothed round-trip time in microseconds (RFC 9002 section 5.3 {@code smoothed_rtt}; its
     * initial value until the first sample).
     */
    public long smoothedRttMicros() {
        return endpoint.callOnLoop(() -> connection.session.rtt().smoothedRtt() / 1000);
    }

    /** Graceful close: written data is delivered first (bounded by the close timeout). */
    public void close() {
        endpoint.callOnLoop(() -> {
            connection.session.close(endpoint.loop().nanos());
            connection.pump();
            return null;
        });
    }

    /** Ends the session now. */
    public void abort(String reason) {
        abort(CloseReason.APPLICATION, reason);
    }

    /** Ends the session now, telling the peer {@code code} (a {@link CloseReason} code) and why. */
    public void abort(long code, String reason) {
        endpoint.callOnLoop(() -> {
            connection.session.abort(endpoint.loop().nanos(), code, reason);
            return null;
        });
    }

    /** Bytes the session's channel buffers hold now, both directions (for memory figures). */
    public long bufferedBytes() {
        return endpoint.callOnLoop(() -> connection.session.bufferedBytes());
    }

    /** Unacknowledged bytes written to {@code channel}. */
    public long unacked(int channel) {
        return endpoint.callOnLoop(() -> connection.session.unacked(channel));
    }

    // ---------------------------------------------------------------- from the event loop

    void signal() {
        signals.signal();
        activityListener.run();
    }

    void onAddressChanged(InetSocketAddress now) {
        peer = now;
        addressListener.accept(now);
    }

    void onClosed(CloseReason reason) {
        closed.complete(reason);
        signal();
    }

    private SessionClosedException closedException() {
        CloseReason r = closed.getNow(null);
        if (r == null) {
            r = connection.session.closeReason();
        }
        return new SessionClosedException(r);
    }
}

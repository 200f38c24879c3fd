package io.ivp2p.control;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ivp2p.path.SessionClosedException;
import io.ivp2p.path.SessionHandle;
import io.ivp2p.session.CloseReason;

/**
 * Channel 0 of one session, used the same way by the device engine and the app SDK: a daemon
 * thread reads and decodes frames; replies complete the request they answer (by request id),
 * requests go to the {@link Handler}. Writers send whole frames under one lock, so frames of
 * different threads never interleave.
 *
 * <p>The handler runs on the reader thread and must not block for long: everything that may wait
 * (firmware callbacks, the app's handlers) belongs on another thread, or the replies this session
 * is waiting for are not read meanwhile.
 */
public final class ControlChannel {
    private static final Logger log = LoggerFactory.getLogger(ControlChannel.class);
    public static final int CHANNEL = 0;
    private static final int READ_CHUNK = 16 * 1024;
    /** How long the reader waits per read before it checks whether it was stopped. */
    private static final long READ_POLL_MS = 1000;

    /** What the owner does with incoming requests and the end of the session. */
    public interface Handler {
        /** A request (or unsolicited frame such as STREAM_END); runs on the reader thread. */
        void onRequest(ControlFrame frame);

        /** The session ended (or broke the protocol); called once, on the reader thread. */
        void onClosed(CloseReason reason);

        /**
         * A reply arrived; runs on the reader thread before the request waiting for it (if any,
         * it may have timed out) is woken, so state a reply carries (STREAM_OPENED's start offset)
         * is applied in order with the frames after it (that stream's STREAM_END). Must not block.
         */
        default void onReply(ControlFrame reply) {
        }
    }

    private final SessionHandle session;
    private final String name;
    private final Handler handler;
    private final Object writeLock = new Object();
    private final AtomicInteger nextRequestId = new AtomicInteger();
    private final Map<Integer, CompletableFuture<ControlFrame>> pending = new ConcurrentHashMap<>();
    private final ControlDecoder decoder = new ControlDecoder();
    private volatile boolean stopped;
    private volatile CloseReason closedWith;
    private Thread reader;

    /** @param name for the reader thread's name and log lines (the peer, or the device id) */
    public ControlChannel(SessionHandle session, String name, Handler handler) {
        this.session = session;
        this.name = name;
        this.handler = handler;
    }

    public SessionHandle session() {
        return session;
    }

    /** Starts the reader thread. */
    public synchronized void start() {
        if (reader != null) {
            throw new IllegalStateException("started already");
        }
        reader = new Thread(this::readLoop, "ivp2p-control-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** A fresh request id (never 0, so 0 can mean "no request"). */
    public int newRequestId() {
        int id;
        do {
            id = nextRequestId.incrementAndGet();
        } while (id == 0);
        return id;
    }

    /**
     * Sends a whole frame, waiting up to {@code timeoutMillis} for channel room.
     *
     * @throws TimeoutException       nothing was written within the timeout (the frame is not sent)
     * @throws SessionClosedException the session is closed, or was ended because a frame stayed
     *                                half-written past the timeout (the peer stopped reading
     *                                channel 0, so it is broken anyway)
     */
    public void send(ControlFrame frame, long timeoutMillis) throws TimeoutException {
        byte[] bytes = frame.encode();
        synchronized (writeLock) {
            int n = session.write(CHANNEL, bytes, 0, bytes.length, timeoutMillis);
            if (n == bytes.length) {
                return;
            }
            if (n == 0) {
                throw new TimeoutException("control channel full for " + timeoutMillis + " ms");
            }
            String why = "control channel blocked for " + timeoutMillis + " ms in the middle of " + frame;
            log.warn("{}: {}; ending the session", name, why);
            session.abort(why);
            throw new SessionClosedException(new CloseReason(CloseReason.Kind.LOCAL,
                    CloseReason.APPLICATION, why));
        }
    }

    /**
     * Sends a request and waits for its reply, all within {@code timeoutMillis}.
     *
     * @throws TimeoutException       no reply in time
     * @throws SessionClosedException the session ended first
     */
    public ControlFrame call(ControlFrame request, long timeoutMillis) throws TimeoutException {
        if (request.requestId() == 0) {
            throw new IllegalArgumentException("a request needs a request id: " + request);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        CompletableFuture<ControlFrame> reply = new CompletableFuture<>();
        if (pending.putIfAbsent(request.requestId(), reply) != null) {
            throw new IllegalStateException("request id " + request.requestId() + " in use");
        }
        try {
            CloseReason closed = closedWith;
            if (closed != null) {
                throw new SessionClosedException(closed);
            }
            send(request, timeoutMillis);
            long left = Math.max(0, deadline - System.nanoTime());
            return reply.get(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted while waiting for the reply to " + request);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SessionClosedException sce) {
                throw new SessionClosedException(sce.reason());
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pending.remove(request.requestId(), reply);
        }
    }

    /** Stops reading (the session itself belongs to the caller) and fails waiting requests. */
    public void stop() {
        stopped = true;
        failPending(new CloseReason(CloseReason.Kind.LOCAL, CloseReason.NORMAL, "control channel stopped"));
    }

    private void readLoop() {
        byte[] buf = new byte[READ_CHUNK];
        CloseReason reason = null;
        try {
            while (!stopped) {
                int n = session.read(CHANNEL, buf, 0, buf.length, READ_POLL_MS);
                if (n < 0) {
                    reason = new CloseReason(CloseReason.Kind.REMOTE, CloseReason.NORMAL,
                            "peer finished the control channel");
                    break;
                }
                if (n == 0) {
                    continue;
                }
                List<ControlFrame> frames = decoder.feed(buf, 0, n);
                for (ControlFrame f : frames) {
                    dispatch(f);
                }
            }
        } catch (SessionClosedException e) {
            reason = e.reason();
        } catch (ControlProtocolException e) {
            log.warn("{}: {}; ending the session", name, e.getMessage());
            session.abort(CloseReason.PROTOCOL_VIOLATION, e.getMessage());
            reason = new CloseReason(CloseReason.Kind.PROTOCOL_ERROR, CloseReason.PROTOCOL_VIOLATION,
                    e.getMessage());
        } catch (RuntimeException e) {
            log.error("{}: control reader failed; ending the session", name, e);
            session.abort("control reader failed: " + e);
            reason = new CloseReason(CloseReason.Kind.LOCAL, CloseReason.APPLICATION, e.toString());
        }
        if (reason == null) {
            return; // stopped by the owner
        }
        failPending(reason);
        try {
            handler.onClosed(reason);
        } catch (RuntimeException e) {
            log.error("{}: close handler failed", name, e);
        }
    }

    private void dispatch(ControlFrame f) {
        if (f.type().isReply()) {
            try {
                handler.onReply(f);
            } catch (RuntimeException e) {
                log.error("{}: handling reply {} failed", name, f, e);
            }
            CompletableFuture<ControlFrame> waiting = pending.remove(f.requestId());
            if (waiting != null) {
                waiting.complete(f);
            } else {
                // Its requester timed out and left: normal under load, worth a trace.
                log.debug("{}: reply {} arrived after its request was given up", name, f);
            }
            return;
        }
        try {
            handler.onRequest(f);
        } catch (RuntimeException e) {
            log.error("{}: handling {} failed", name, f, e);
        }
    }

    private void failPending(CloseReason reason) {
        closedWith = reason;
        for (CompletableFuture<ControlFrame> f : pending.values()) {
            f.completeExceptionally(new SessionClosedException(reason));
        }
        pending.clear();
    }
}

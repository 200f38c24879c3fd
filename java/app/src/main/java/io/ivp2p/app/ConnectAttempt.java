package io.ivp2p.app;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.bouncycastle.tls.TlsTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ivp2p.path.SessionHandle;

/**
 * One connect, from its trace id to a session handle or an error, within its timeout: LAN
 * discovery (unless an address is given), the DTLS handshake, then HELLO/WELCOME. {@link #cancel}
 * from any thread ends it promptly with USER_CONNECT_BREAK by closing what the current stage
 * waits on: the discovery socket, the handshake wait, or the new session.
 */
final class ConnectAttempt {
    private static final Logger log = LoggerFactory.getLogger(ConnectAttempt.class);

    private enum State { RUNNING, CANCELLED, DONE }

    final int traceId;
    private final ClientContext ctx;
    private final String deviceId;
    private final InetSocketAddress direct;
    private final int mode;
    private final int timeoutMs;
    private final CompletableFuture<Void> cancelled = new CompletableFuture<>();
    // Under this object's monitor:
    private State state = State.RUNNING;
    private LanDiscovery discovery;
    private AppSession session;

    /** @param direct the device's session address, or null to find it on the LAN */
    ConnectAttempt(int traceId, ClientContext ctx, String deviceId, InetSocketAddress direct, int mode, int timeoutMs) {
        this.traceId = traceId;
        this.ctx = ctx;
        this.deviceId = deviceId;
        this.direct = direct;
        this.mode = mode;
        this.timeoutMs = timeoutMs;
    }

    /** Runs the connect on this thread; returns the handle (≥ 0) or a {@link P2pError} code. */
    int run() {
        long started = System.nanoTime();
        long deadline = started + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        byte[] key = ctx.keys.keyFor(deviceId);
        try {
            if (key == null) {
                throw new P2pException(P2pError.NO_KEY, deviceId);
            }
            checkRunning();
            if (mode == P2pClient.INTERNET_FIRST && direct == null) {
                log.info("Internet mode not available yet: using LAN");
            }
            InetSocketAddress target = direct != null ? direct : discover(key, deadline);
            SessionHandle handle = handshake(target, key, deadline);
            AppSession s = new AppSession(ctx.nextHandle.getAsInt(), deviceId, handle,
                    direct != null ? SessionInfo.Mode.DIRECT : SessionInfo.Mode.LAN, ctx.config.commandQueue(),
                    ctx.defaultHandler, ctx.worker);
            synchronized (this) {
                if (state != State.RUNNING) {
                    s.abort("connect cancelled");
                    throw new P2pException(P2pError.USER_CONNECT_BREAK, "after the handshake");
                }
                session = s;
            }
            s.start();
            s.hello(remainingMs(deadline));
            synchronized (this) {
                if (state != State.RUNNING) {
                    throw new P2pException(P2pError.USER_CONNECT_BREAK, "after WELCOME");
                }
                state = State.DONE;
                ctx.sessions.put(s.handle, s);
            }
            log.info("connect {} (trace {}): handle {}, peer '{}', {} ms", deviceId, traceId, s.handle, s.peerName(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return s.handle;
        } catch (P2pException e) {
            AppSession s;
            boolean wasCancelled;
            synchronized (this) {
                s = session;
                wasCancelled = state == State.CANCELLED;
                state = State.DONE;
            }
            if (s != null) {
                s.abort("connect failed: " + e.getMessage());
            }
            int code = wasCancelled ? P2pError.USER_CONNECT_BREAK : e.code();
            log.info("connect {} (trace {}) failed after {} ms: {}", deviceId, traceId,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                    wasCancelled ? P2pError.describe(code) : e.getMessage());
            return code;
        } finally {
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
        }
    }

    /** Stops the connect if it is still running; false if it has finished already. */
    boolean cancel() {
        LanDiscovery d;
        AppSession s;
        synchronized (this) {
            if (state != State.RUNNING) {
                return false;
            }
            state = State.CANCELLED;
            d = discovery;
            s = session;
        }
        log.info("connect {} (trace {}) cancelled", deviceId, traceId);
        cancelled.complete(null);
        if (d != null) {
            d.close();
        }
        if (s != null) {
            s.abort("connect cancelled");
        }
        return true;
    }

    private synchronized void checkRunning() throws P2pException {
        if (state != State.RUNNING) {
            throw new P2pException(P2pError.USER_CONNECT_BREAK, null);
        }
    }

    private InetSocketAddress discover(byte[] key, long deadline) throws P2pException {
        LanDiscovery d = new LanDiscovery(ctx.config.bindAddress());
        synchronized (this) {
            if (state != State.RUNNING) {
                d.close();
                throw new P2pException(P2pError.USER_CONNECT_BREAK, "before LAN discovery");
            }
            discovery = d;
        }
        try {
            return d.find(deviceId, key, ctx.config.probeTargets(), ctx.config.probeIntervalMs(), deadline);
        } finally {
            synchronized (this) {
                discovery = null;
            }
            d.close();
        }
    }

    private SessionHandle handshake(InetSocketAddress target, byte[] key, long deadline) throws P2pException {
        checkRunning();
        // The endpoint keys its sessions by the peer's address, so one per device per client.
        int open = 0;
        for (AppSession s : ctx.sessions.values()) {
            if (s.session.isOpen()) {
                open++;
                if (s.session.peer().equals(target)) {
                    throw new P2pException(P2pError.ALREADY_CONNECTED, deviceId + " at " + target + " is handle "
                            + s.handle);
                }
            }
        }
        if (open >= ctx.config.endpoint().maxSessions()) {
            throw new P2pException(P2pError.MAX_SESSION, "this client holds " + open + " sessions");
        }
        CompletableFuture<SessionHandle> f = ctx.endpoint.connect(target, ctx.uid, key);
        SessionHandle h = null;
        try {
            CompletableFuture.anyOf(f, cancelled).get(remainingMs(deadline), TimeUnit.MILLISECONDS);
            checkRunning();
            h = f.join();
            return h;
        } catch (TimeoutException e) {
            throw new P2pException(P2pError.TIME_OUT, "DTLS handshake with " + target + " not finished");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new P2pException(P2pError.USER_CONNECT_BREAK, "interrupted");
        } catch (ExecutionException | CompletionException e) {
            throw handshakeFailure(target, e.getCause() != null ? e.getCause() : e);
        } finally {
            if (h == null) {
                // Given up (timeout, cancel): a handshake that still completes is not wanted.
                f.thenAccept(late -> late.abort("connect given up"));
            }
        }
    }

    /** The endpoint reports failures as IOExceptions with a reason (and bctls' cause). */
    private P2pException handshakeFailure(InetSocketAddress target, Throwable e) {
        if (ctx.closed) {
            return new P2pException(P2pError.USER_CONNECT_BREAK, "client shut down");
        }
        if (e.getCause() instanceof TlsTimeoutException) {
            return new P2pException(P2pError.TIME_OUT, e.getMessage());
        }
        String m = String.valueOf(e.getMessage());
        if (m.contains("exists already")) {
            return new P2pException(P2pError.ALREADY_CONNECTED, m);
        }
        if (m.contains("session limit")) {
            return new P2pException(P2pError.MAX_SESSION, m);
        }
        // Wrong key (Finished does not verify), unknown identity, or a fatal alert.
        return new P2pException(P2pError.AUTH_FAILED, m);
    }

    private static long remainingMs(long deadline) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }
}

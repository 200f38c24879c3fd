package io.ivp2p.app;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ivp2p.path.SessionEndpoint;

/**
 * Everything a {@link P2pClient} holds between init and deInit: the one session endpoint (an
 * ephemeral UDP port all sessions share), the sessions by handle, the connects in progress, and
 * the worker threads connects run on.
 */
final class ClientContext {
    private static final Logger log = LoggerFactory.getLogger(ClientContext.class);
    private static final AtomicInteger CLIENTS = new AtomicInteger();
    /** The client whose worker runs the current thread (a connect callback may call deInit). */
    private static final ThreadLocal<ClientContext> WORKER_OF = new ThreadLocal<>();

    final String uid;
    final DeviceKeys keys;
    final AppConfig config;
    final SessionEndpoint endpoint;
    final ExecutorService worker;
    final Map<Integer, AppSession> sessions = new ConcurrentHashMap<>();
    final Map<Integer, ConnectAttempt> attempts = new ConcurrentHashMap<>();
    final IntSupplier nextHandle;
    final Supplier<CommandHandler> defaultHandler;
    volatile boolean closed;

    private ClientContext(String uid, DeviceKeys keys, AppConfig config, SessionEndpoint endpoint,
            IntSupplier nextHandle, Supplier<CommandHandler> defaultHandler) {
        this.uid = uid;
        this.keys = keys;
        this.config = config;
        this.endpoint = endpoint;
        this.nextHandle = nextHandle;
        this.defaultHandler = defaultHandler;
        int n = CLIENTS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.worker = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(() -> {
                WORKER_OF.set(this);
                r.run();
            }, "ivp2p-app-" + n + "-worker-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** @throws P2pException UDP_PORT_BIND_FAILED */
    static ClientContext open(String uid, DeviceKeys keys, AppConfig config, IntSupplier nextHandle,
            Supplier<CommandHandler> defaultHandler) throws P2pException {
        SessionEndpoint endpoint;
        try {
            endpoint = SessionEndpoint.open(config.bindAddress(), config.endpoint(), null, null);
        } catch (IOException | RuntimeException e) {
            throw new P2pException(P2pError.UDP_PORT_BIND_FAILED, "session socket on " + config.bindAddress() + ": " + e);
        }
        return new ClientContext(uid, keys, config, endpoint, nextHandle, defaultHandler);
    }

    /**
     * Cancels every connect in progress (each reports USER_CONNECT_BREAK), closes every session
     * gracefully within one linger for all, then closes the socket and threads.
     */
    void close() {
        closed = true;
        int cancelled = 0;
        for (ConnectAttempt a : attempts.values()) {
            if (a.cancel()) {
                cancelled++;
            }
        }
        List<AppSession> all = new ArrayList<>(sessions.values());
        sessions.clear();
        for (AppSession s : all) {
            try {
                s.session.close(); // all at once; each disconnect below then waits what is left
            } catch (RuntimeException e) {
                log.debug("{}: close: {}", s, e.toString());
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.disconnectLingerMs());
        for (AppSession s : all) {
            s.disconnect(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        endpoint.close();
        log.info("client {} shut down: {} sessions closed, {} connects cancelled", uid, all.size(), cancelled);
        worker.shutdown();
        if (WORKER_OF.get() == this) {
            // deInit from a connect callback: this thread is one of those to wait for.
            return;
        }
        try {
            // Cancelled connects finish at once; give them time to call their callbacks.
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("client {}: connect threads still running 5 s after deInit", uid);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

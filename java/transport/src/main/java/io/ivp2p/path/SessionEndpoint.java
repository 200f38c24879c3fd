package io.ivp2p.path;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ivp2p.security.DtlsAssociation;
import io.ivp2p.security.DtlsDemux;
import io.ivp2p.security.DtlsSettings;
import io.ivp2p.security.PskLookup;
import io.ivp2p.session.CloseReason;
import io.ivp2p.session.Session;
import io.ivp2p.session.SessionConfig;
import io.ivp2p.session.cc.Bbr;
import io.ivp2p.session.cc.Pacer;
import io.ivp2p.time.EventLoop;
import io.ivp2p.time.Scheduler;

/**
 * One UDP socket serving any number of encrypted sessions, in and out. Datagrams are sorted by
 * their first byte (RFC 7983: 0–3 STUN, 20–63 DTLS, the rest something else), DTLS records go to
 * their association by connection ID (RFC 9146) or, before the handshake set one, by source
 * address. A ClientHello from an unknown address starts a server association if inbound sessions
 * are enabled and the limits allow. Each established association carries one {@link Session}.
 *
 * <p>Threads: every session and association of the endpoint runs in one {@link EventLoop}, one
 * thread at a time: timers on the loop's thread, each received datagram on the socket's receive
 * thread (it decrypts and processes the datagram in the loop, without a hand-off), and the
 * {@link SessionHandle} calls on the application's threads. DTLS handshakes (blocking in bctls)
 * run on a small bounded pool.
 */
public final class SessionEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionEndpoint.class);
    private static final HexFormat HEX = HexFormat.of();
    /** Records kept for a session that is about to be created (a handshake's worth of flight). */
    private static final int MAX_EARLY_RECORDS = 64;

    /**
     * @param session       per-session limits and timers (its datagram size is the MTU)
     * @param dtls          DTLS settings
     * @param maxSessions   established sessions this endpoint keeps at once (the vendor documents 32)
     * @param maxHandshakes handshakes in progress at once (each holds a thread)
     */
    public record Config(SessionConfig session, DtlsSettings dtls, int maxSessions, int maxHandshakes) {
        public Config {
            if (maxSessions < 1 || maxHandshakes < 1) {
                throw new IllegalArgumentException("maxSessions and maxHandshakes must be >= 1");
            }
        }

        public static Config defaults() {
            return new Config(SessionConfig.defaults(), DtlsSettings.defaults(), 32, 8);
        }
    }

    /** Told of every inbound session once it is authenticated. Called in the event loop; must not block. */
    @FunctionalInterface
    public interface Acceptor {
        void onSession(SessionHandle session);
    }

    /**
     * Told of datagrams that are neither STUN nor DTLS (RFC 7983's "other" range: first byte above
     * 63), such as LAN discovery probes. Called in the event loop; must not block.
     */
    @FunctionalInterface
    public interface OtherHandler {
        void onDatagram(InetSocketAddress from, ByteBuffer datagram);
    }

    /** Counters of what arrived and was not for any session. */
    public static final class Stats {
        public volatile long stunDatagrams;
        public volatile long otherDatagrams;
        public volatile long unknownDtls;
        public volatile long refusedAtLimit;
        public volatile long addressChanges;
        /** Datagrams whose processing threw (a bug: logged with the stack). */
        public volatile long handlerFailures;
    }

    private final Config config;
    private final EventLoop loop;
    private final UdpSocket socket;
    private final ExecutorService handshakes;
    private final PskLookup serverKeys;
    private final Acceptor acceptor;
    private final Stats stats = new Stats();
    private final SplittableRandom random = new SplittableRandom();
    // Owned by the event loop thread.
    private final Map<InetSocketAddress, Connection> byAddress = new HashMap<>();
    private final Map<String, Connection> byCid = new HashMap<>();
    private final List<Connection> connections = new ArrayList<>();
    /** Connections that received datagrams in the batch being processed. */
    private final List<Connection> touched = new ArrayList<>();
    private boolean inBatch;
    private int handshakesInProgress;
    private volatile OtherHandler otherHandler;
    private volatile boolean closed;

    private SessionEndpoint(InetSocketAddress bind, Config config, PskLookup serverKeys, Acceptor acceptor)
            throws IOException {
        this.config = config;
        this.serverKeys = serverKeys;
        this.acceptor = acceptor;
        this.loop = new EventLoop("ivp2p-loop");
        AtomicInteger n = new AtomicInteger();
        this.handshakes = new ThreadPoolExecutor(0, config.maxHandshakes(), 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "ivp2p-dtls-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        try {
            this.socket = new UdpSocket(bind, batch -> loop.run(() -> onDatagrams(batch)));
        } catch (IOException e) {
            loop.close();
            handshakes.shutdownNow();
            throw e;
        }
    }

    /**
     * Opens an endpoint on {@code bind}. With {@code serverKeys} non-null it accepts sessions
     * from apps whose PSK identity it knows, and hands each to {@code acceptor}.
     */
    public static SessionEndpoint open(InetSocketAddress bind, Config config, PskLookup serverKeys,
            Acceptor acceptor) throws IOException {
        if ((serverKeys == null) != (acceptor == null)) {
            throw new IllegalArgumentException("serverKeys and acceptor go together");
        }
        return new SessionEndpoint(bind, config, serverKeys, acceptor);
    }

    public InetSocketAddress localAddress() {
        return socket.localAddress();
    }

    public Stats stats() {
        return stats;
    }

    /** Sets the handler of non-STUN, non-DTLS datagrams (null: count and drop them). */
    public void onOtherDatagram(OtherHandler handler) {
        otherHandler = handler;
    }

    /**
     * Sends one datagram from this endpoint's socket outside any session (a LAN discovery answer
     * goes out from the port sessions use, so the app learns where to connect). Non-blocking: a
     * full kernel buffer drops it, as for session traffic.
     */
    public void sendDatagram(InetSocketAddress to, ByteBuffer datagram) {
        socket.send(datagram, to);
    }

    EventLoop loop() {
        return loop;
    }

    /** Established sessions (a snapshot). */
    public int sessionCount() {
        return callOnLoop(() -> (int) connections.stream().filter(c -> c.handle != null).count());
    }

    /**
     * Opens a session to {@code peer}, authenticating with {@code identity}/{@code psk}. The
     * future fails with a clear reason (wrong key, timeout, limit) within the handshake timeout.
     */
    public CompletableFuture<SessionHandle> connect(InetSocketAddress peer, String identity, byte[] psk) {
        CompletableFuture<SessionHandle> result = new CompletableFuture<>();
        loop.execute(() -> {
            if (closed) {
                result.completeExceptionally(new IOException("endpoint closed"));
                return;
            }
            if (byAddress.containsKey(peer)) {
                result.completeExceptionally(new IOException("a session with " + peer + " exists already"));
                return;
            }
            if (!admit(peer)) {
                result.completeExceptionally(new IOException("session limit of " + config.maxSessions()
                        + " (or " + config.maxHandshakes() + " handshakes) reached"));
                return;
            }
            Connection c = new Connection(peer, result);
            c.association = DtlsAssociation.client(identity, psk.clone(), config.dtls(), peer,
                    socket::send, handshakes, c);
            start(c);
        });
        return result;
    }

    private boolean admit(InetSocketAddress peer) {
        if (connections.size() >= config.maxSessions() || handshakesInProgress >= config.maxHandshakes()) {
            stats.refusedAtLimit++;
            log.warn("refused {}: {} sessions, {} handshakes (limits {}, {})", peer, connections.size(),
                    handshakesInProgress, config.maxSessions(), config.maxHandshakes());
            return false;
        }
        return true;
    }

    private void start(Connection c) {
        connections.add(c);
        byAddress.put(c.peer, c);
        handshakesInProgress++;
        c.handshaking = true;
        c.association.start();
    }

    // ------------------------------------------------------------------ event loop side

    /**
     * A batch from the socket: each datagram is processed, then each connection that got any
     * sends what it may (its acknowledgements among it) and wakes its readers and writers, once
     * per batch rather than once per datagram.
     */
    private void onDatagrams(List<UdpSocket.Datagram> batch) {
        inBatch = true;
        try {
            for (UdpSocket.Datagram d : batch) {
                try {
                    onDatagram(d.from(), d.data());
                } catch (RuntimeException e) {
                    // A bug, not the peer's doing (bad input is dropped and counted before this):
                    // keep the rest of the batch, log with the source for the post-mortem.
                    stats.handlerFailures++;
                    log.error("processing a datagram from {} failed", d.from(), e);
                }
            }
        } finally {
            inBatch = false;
            for (Connection c : touched) {
                c.touched = false;
                c.pump();
                c.signalIfPending();
            }
            touched.clear();
        }
    }

    private void onDatagram(InetSocketAddress from, ByteBuffer datagram) {
        if (closed) {
            return;
        }
        switch (DtlsDemux.classify(datagram)) {
            case STUN -> stats.stunDatagrams++;
            case OTHER -> {
                stats.otherDatagrams++;
                OtherHandler h = otherHandler;
                if (h != null) {
                    h.onDatagram(from, datagram);
                }
            }
            default -> onDtls(from, datagram);
        }
    }

    private void onDtls(InetSocketAddress from, ByteBuffer datagram) {
        Connection c = null;
        byte[] cid = DtlsDemux.connectionId(datagram, config.dtls().connectionIdLength());
        if (cid != null) {
            c = byCid.get(HEX.formatHex(cid));
        }
        if (c == null) {
            c = byAddress.get(from);
        }
        if (c == null) {
            if (serverKeys == null || !DtlsDemux.isClientHello(datagram)) {
                stats.unknownDtls++;
                return;
            }
            if (!admit(from)) {
                return;
            }
            c = new Connection(from, null);
            c.association = DtlsAssociation.server(serverKeys, config.dtls(), from, socket::send,
                    handshakes, c);
            start(c);
        }
        c.onDatagram(from, datagram);
    }

    private void remove(Connection c) {
        connections.remove(c);
        byAddress.remove(c.peer, c);
        if (c.localCid != null) {
            byCid.remove(c.localCid, c);
        }
        if (c.handshaking) {
            c.handshaking = false;
            handshakesInProgress--;
        }
    }

    /** Runs {@code task} in the event loop on this thread (see {@link EventLoop#call}). */
    <T> T callOnLoop(java.util.concurrent.Callable<T> task) {
        try {
            return loop.call(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("event loop call failed: " + e, e);
        }
    }

    /** One association and, once established, its session. Touched only on the event loop. */
    final class Connection implements DtlsAssociation.Events, Session.Listener {
        final CompletableFuture<SessionHandle> pending;
        InetSocketAddress peer;
        DtlsAssociation association;
        Session session;
        SessionHandle handle;
        String localCid;
        boolean handshaking;
        Scheduler.Cancellable timer;
        long timerAt = Long.MAX_VALUE;
        /** In {@link #touched}; a reader or writer is to be woken at the end of the batch. */
        boolean touched;
        boolean signalPending;
        /**
         * Records decrypted after the handshake finished but before {@link #onEstablished}'s loop
         * task created the session (the peer's first packet often arrives in that gap). Dropping
         * them cost a retransmission timeout (about 1 s) on one loopback session in five.
         */
        private final List<ByteBuffer> early = new ArrayList<>();

        Connection(InetSocketAddress peer, CompletableFuture<SessionHandle> pending) {
            this.peer = peer;
            this.pending = pending;
        }

        void onDatagram(InetSocketAddress from, ByteBuffer datagram) {
            long now = loop.nanos();
            boolean moved = association.onDatagram(datagram, from, plaintext -> {
                if (session != null) {
                    session.onPacket(now, plaintext);
                } else if (early.size() < MAX_EARLY_RECORDS) {
                    early.add(ByteBuffer.allocate(plaintext.remaining()).put(plaintext.duplicate()).flip());
                }
            });
            if (moved) {
                byAddress.remove(peer, this);
                log.info("session {} moved from {} to {}", association.peerIdentity(), peer, from);
                peer = from;
                byAddress.put(from, this);
                stats.addressChanges++;
                if (handle != null) {
                    handle.onAddressChanged(from);
                }
            }
            if (inBatch) {
                if (!touched) {
                    touched = true;
                    SessionEndpoint.this.touched.add(this);
                }
            } else {
                pump();
            }
        }

        void signalIfPending() {
            if (signalPending && handle != null) {
                signalPending = false;
                handle.signal();
            }
        }

        private void signal() {
            if (inBatch) {
                signalPending = true;
            } else {
                handle.signal();
            }
        }

        @Override
        public void onEstablished(DtlsAssociation a) {
            loop.execute(() -> {
                if (closed || !connections.contains(this)) {
                    a.close();
                    return;
                }
                handshaking = false;
                handshakesInProgress--;
                SessionConfig sc = config.session().withDatagram(config.session().maxDatagramSize(),
                        a.recordOverhead());
                session = new Session(sc, loop.nanos(), new Bbr(sc.maxDatagramSize(), random.split()),
                        new Pacer(sc.maxDatagramSize()), this::sendPacket, this);
                localCid = a.localConnectionId() == null ? null : HEX.formatHex(a.localConnectionId());
                if (localCid != null) {
                    byCid.put(localCid, this);
                }
                handle = new SessionHandle(SessionEndpoint.this, this);
                // Records that arrived between the handshake's end and this task.
                long now = loop.nanos();
                a.processQueued(plaintext -> session.onPacket(now, plaintext));
                for (ByteBuffer p : early) {
                    session.onPacket(now, p); // (the session orders packets anyway)
                }
                early.clear();
                log.info("session with {} ({}) established", a.peerIdentity(), peer);
                if (pending != null) {
                    pending.complete(handle);
                } else {
                    acceptor.onSession(handle);
                }
                pump();
            });
        }

        @Override
        public void onFailed(DtlsAssociation a, String reason, Throwable cause) {
            loop.execute(() -> {
                log.warn("handshake with {} failed: {}", peer, reason);
                remove(this);
                if (pending != null) {
                    pending.completeExceptionally(new IOException("handshake with " + peer + " failed: " + reason, cause));
                }
            });
        }

        private void sendPacket(ByteBuffer packet) {
            if (association.state() == DtlsAssociation.State.ESTABLISHED) {
                association.send(packet);
            }
        }

        /**
         * Send what may go, then make sure the session timer fires by its next deadline. Called
         * after every datagram and every application call, so the timer is only moved when the
         * deadline came closer: re-arming costs a trip through the scheduler's queue (and a wake-up
         * of the loop thread) and most deadlines only move later (each ACK pushes loss detection
         * out). A timer that fires early finds nothing due ({@link Session#onTimer} checks every
         * deadline against the time) and is re-armed to the real one.
         */
        void pump() {
            if (session == null) {
                return;
            }
            session.flush(loop.nanos());
            long next = session.nextDeadline();
            if (next < timerAt) {
                if (timer != null) {
                    timer.cancel();
                }
                timerAt = next;
                timer = loop.schedule(next, this::fire);
            }
        }

        private void fire() {
            timerAt = Long.MAX_VALUE;
            timer = null;
            if (session != null) {
                session.onTimer(loop.nanos());
                pump();
            }
        }

        @Override
        public void onReadable(int channel) {
            signal();
        }

        @Override
        public void onWritable(int channel) {
            signal();
        }

        @Override
        public void onClosed(CloseReason reason) {
            log.info("session with {} ({}) closed: {}", association.peerIdentity(), peer, reason);
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
            association.close();
            remove(this);
            handle.onClosed(reason);
        }
    }

    /** Aborts every session, then closes the socket, the loop and the handshake pool. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            callOnLoop(() -> {
                closed = true;
                for (Connection c : new ArrayList<>(connections)) {
                    if (c.session != null) {
                        c.session.abort(loop.nanos(), CloseReason.NORMAL, "endpoint closed");
                    } else {
                        c.association.close();
                        remove(c);
                        if (c.pending != null) {
                            c.pending.completeExceptionally(new IOException("endpoint closed"));
                        }
                    }
                }
                return null;
            });
        } finally {
            closed = true;
            socket.close();
            handshakes.shutdownNow();
            loop.close();
        }
    }
}

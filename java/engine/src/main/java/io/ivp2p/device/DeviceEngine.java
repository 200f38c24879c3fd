package io.ivp2p.device;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ivp2p.bridge.FirmwareCallbacks;
import io.ivp2p.bridge.IvError;
import io.ivp2p.bridge.IvEvent;
import io.ivp2p.bridge.IvException;
import io.ivp2p.bridge.P2pParams;
import io.ivp2p.path.SessionEndpoint;
import io.ivp2p.path.SessionHandle;
import io.ivp2p.security.DtlsSettings;
import io.ivp2p.session.CloseReason;
import io.ivp2p.session.SessionConfig;

/**
 * The device side of ivp2p for one init..exit cycle: the session endpoint apps connect to, LAN
 * discovery, the app sessions ({@link AppPeer}, by peer name), the send streams (by the handle
 * {@code send_init_cb} returned), the pump that polls them, and the events.
 *
 * <p>Threads: the pump ("ivp2p-pump") polls every stream each {@code sender_interval_ms} (and sleeps
 * while no stream is open), calls {@code send_get_cb}, {@code buf_free_fn}, the watermark events and
 * (mostly) {@code send_stop_cb} and the other events, one at a time and in order; each app's
 * requests run on a pooled thread ("ivp2p-request-N"), one at a time per app; each talk has a reader thread calling
 * {@code recv_voice_cb}. Firmware callbacks must be thread-safe.
 *
 * <p>Events (iv_avt_event_e), when they fire:
 * <ul>
 * <li>LOCAL_NET_READY — once, after init, when LAN mode is on ({@code net_info} ports) and the
 *     session port (and probe port) are listening;
 * <li>WATERMARK_WARN / HIGH / LOW — per stream, see {@link WatermarkTracker};
 * <li>PEER_ADDR_CHANGED — an app's address changed (NAT rebinding, roaming), its session kept;
 * <li>CLI_SEND_CLOSE then LINK_DISCONNECT — an app closed its session;
 * <li>PEER_ERROR then LINK_DISCONNECT — an app's session died (keep-alive timeout, protocol
 *     error, aborted);
 * <li>PEER_READY and PEER_CONNECT_FAIL — not fired: they report the rendezvous server, which LAN
 *     mode does not use.
 * </ul>
 * No event fires after {@code iv_avt_p2p_exit} has begun.
 */
public final class DeviceEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeviceEngine.class);
    /** App user ids as PSK identities: printable, short, no separators that break peer names. */
    static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");
    /**
     * Sessions the endpoint completes beyond the connection limit, so that the app is told
     * "limit reached" (CLOSE code 3) instead of seeing its handshake time out.
     */
    static final int LIMIT_SLACK = 4;
    /** How long a talk's reader may go on delivering what an app sent before its session ended. */
    static final long TALK_DRAIN_WAIT_MS = 2_000;
    /** How long exit waits for the pump's current round. */
    static final long PUMP_STOP_WAIT_MS = 10_000;

    private final P2pParams params;
    private final FirmwareCallbacks callbacks;
    private final DeviceSettings settings;
    private final Map<Long, SendStream> streams = new ConcurrentHashMap<>();
    private final Map<String, AppPeer> peers = new ConcurrentHashMap<>();
    private final AtomicLong sessionCounter = new AtomicLong();
    private final ScheduledExecutorService pump;
    private final ThreadPoolExecutor requestPool;
    private volatile Watermarks watermarks = Watermarks.DISABLED;
    /**
     * The pump's round, scheduled every sender_interval_ms while at least one stream is open and
     * cancelled when the last one stops: an idle camera then has no thread waking 100 times a
     * second. Under tickerLock.
     */
    private final Object tickerLock = new Object();
    private ScheduledFuture<?> ticker;
    private volatile long pumpIntervalMs = 10;
    private volatile boolean closing;
    private String deviceId;
    private SessionEndpoint endpoint;
    private LanResponder lan;

    public DeviceEngine(P2pParams params, FirmwareCallbacks callbacks, DeviceSettings settings) {
        this.params = params;
        this.callbacks = callbacks;
        this.settings = settings;
        ScheduledThreadPoolExecutor p = new ScheduledThreadPoolExecutor(1, daemon("ivp2p-pump"));
        p.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.pump = p;
        int n = settings.maxConnections() + LIMIT_SLACK;
        this.requestPool = new ThreadPoolExecutor(n, n, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemon("ivp2p-request"));
        requestPool.allowCoreThreadTimeOut(true);
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Starts the pump and, when the device has an identity and an access key, the session
     * endpoint and LAN discovery. Without a key the device works for the firmware (the API
     * answers) but refuses every app, with an ERROR line saying how to configure one.
     *
     * @throws IvException AVT_FAILED if the configured ports cannot be bound
     */
    public void start() {
        pumpIntervalMs = params.init().senderIntervalMs() == 0 ? 10 : params.init().senderIntervalMs();
        P2pParams.NetInfo net = params.net();
        deviceId = net.deviceId() != null && !net.deviceId().isEmpty() ? net.deviceId() : settings.deviceId();
        if (deviceId == null || settings.accessKey() == null) {
            log.error("app sessions refused: no {} configured (set {} in the ivp2p config file or the"
                    + " environment; see README \"Configuration\")",
                    deviceId == null ? "device id" : "access key",
                    deviceId == null ? "net_info.device_id, device.id or IVP2P_DEVICE_ID"
                            : "device.access_key or IVP2P_ACCESS_KEY");
            return;
        }
        int port = net.transPort() != 0 ? (int) net.transPort() : settings.port();
        InetSocketAddress bind;
        try {
            bind = net.localAddr().isEmpty() ? new InetSocketAddress(port)
                    : new InetSocketAddress(InetAddress.getByName(net.localAddr()), port);
        } catch (IOException e) {
            throw new IvException(IvError.AVT_INIT_PRM_RANGE, "net_info.local_addr \"" + net.localAddr()
                    + "\": " + e.getMessage());
        }
        byte[] key = settings.accessKeyBytes();
        try {
            endpoint = SessionEndpoint.open(bind, endpointConfig(), identity -> USER_ID.matcher(identity)
                    .matches() ? key.clone() : null, this::onSession);
            lan = new LanResponder(deviceId, key, endpoint, () -> peers.size() >= settings.maxConnections());
            if (net.probePort() != 0 && net.probePort() != endpoint.localAddress().getPort()) {
                lan.listen((int) net.probePort());
            }
        } catch (IOException e) {
            close();
            throw new IvException(IvError.AVT_FAILED, "LAN ports: " + e.getMessage());
        }
        log.info("device {} accepting app sessions on {} (probe port {}, key from {}, at most {} apps)",
                deviceId, endpoint.localAddress(), net.probePort() == 0 ? "off" : net.probePort(),
                settings.origin(), settings.maxConnections());
        if (net.lanEnabled()) {
            event(IvEvent.LOCAL_NET_READY);
        }
    }

    private SessionEndpoint.Config endpointConfig() {
        P2pParams.InitParams ip = params.init();
        SessionConfig sc = SessionConfig.defaults();
        if (ip.mtuSize() != 0) {
            sc = sc.withDatagram((int) ip.mtuSize(), 0);
        }
        // Vendor: time_inter_s is the probe interval, max_attempt_num the probes per round;
        // either 0 turns P2P keep-alive off (then a vanished app is noticed only by its silence
        // to data, or never if nothing is sent).
        P2pParams.KeepAlive ka = params.keepAlive();
        sc = ka.enabled() ? sc.withKeepAlive(ka.intervalSeconds() * SessionConfig.SECOND, ka.maxAttempts())
                : sc.withKeepAlive(0, 0);
        return new SessionEndpoint.Config(sc, DtlsSettings.defaults(),
                settings.maxConnections() + LIMIT_SLACK, 8);
    }

    // ------------------------------------------------------------------ accessors

    public P2pParams params() {
        return params;
    }

    public FirmwareCallbacks callbacks() {
        return callbacks;
    }

    /** The device id apps find this device by; null if none is configured. */
    public String deviceId() {
        return deviceId;
    }

    /** Where apps connect, or null without a key (no endpoint). */
    public InetSocketAddress sessionAddress() {
        return endpoint == null ? null : endpoint.localAddress();
    }

    public int peerCount() {
        return peers.size();
    }

    /** Bytes held for app sessions now: session buffers (both directions), for memory figures. */
    public long bufferedBytes() {
        long n = 0;
        for (AppPeer p : peers.values()) {
            try {
                n += p.session().bufferedBytes();
            } catch (RuntimeException e) {
                // closed meanwhile
            }
        }
        return n;
    }

    ExecutorService requestPool() {
        return requestPool;
    }

    boolean isClosing() {
        return closing;
    }

    public Watermarks watermarks() {
        return watermarks;
    }

    public void setWatermarks(Watermarks w) {
        watermarks = w;
        // Firmware may retune watermarks often; build the line only when it is logged.
        if (!log.isInfoEnabled()) {
            return;
        }
        log.info("send buffer watermarks: {}", w.enabled() ? "low=" + Long.toUnsignedString(w.low())
                + " warn=" + Long.toUnsignedString(w.warn()) + " high=" + Long.toUnsignedString(w.high())
                : "off (all 0)");
    }

    /** Un-acknowledged bytes of the stream with this handle; 0 for an unknown handle. */
    public long sendBuffered(long handle) {
        SendStream s = streams.get(handle);
        return s == null ? 0 : s.unacked();
    }

    public SendStats sendStats(long handle) {
        SendStream s = streams.get(handle);
        return s == null ? SendStats.NONE : s.stats();
    }

    /**
     * {@code iv_avt_p2p_send_command}: sends {@code message} to the app session named
     * {@code peer} and waits for its reply.
     *
     * @throws IvException AVT_CHN_NOT_EXIT for an unknown peer (at once) or a session that ends
     *                     meanwhile; AVT_SEND_DATA_TIMEOUT when no reply comes in time;
     *                     AVT_FAILED when the app has no handler or declines
     */
    public byte[] sendCommand(String peer, byte[] message, long timeoutMillis) {
        AppPeer p = peers.get(peer);
        if (p == null || closing) {
            throw new IvException(IvError.AVT_CHN_NOT_EXIT, "no connected app session is named \"" + peer + "\"");
        }
        return p.sendCommand(message, timeoutMillis);
    }

    // ------------------------------------------------------------------ sessions

    /** A new authenticated app session (event loop: must not block). */
    private void onSession(SessionHandle session) {
        if (closing) {
            session.abort(CloseReason.NORMAL, "the device is shutting down");
            return;
        }
        if (peers.size() >= settings.maxConnections()) {
            String why = "the device's connection limit of " + settings.maxConnections() + " apps is reached";
            log.warn("app {} at {} refused: {}", session.peerIdentity(), session.peer(), why);
            session.abort(CloseReason.SESSION_LIMIT, why);
            return;
        }
        String name = session.peerIdentity() + "#" + sessionCounter.incrementAndGet();
        AppPeer peer = new AppPeer(this, session, name);
        peers.put(name, peer);
        session.onAddressChange(a -> {
            log.info("app {} moved to {}", name, a);
            event(IvEvent.PEER_ADDR_CHANGED);
        });
        log.info("app {} connected from {} ({} of {})", name, session.peer(), peers.size(),
                settings.maxConnections());
        peer.start();
    }

    /** The app's session ended: stop its streams and talk, then tell the firmware. */
    void peerEnded(AppPeer peer, CloseReason reason) {
        peers.remove(peer.name(), peer);
        for (Object o : peer.end()) {
            if (o instanceof SendStream s) {
                s.stop(callbacks, "the app's session ended");
            } else if (o instanceof TalkReceiver t) {
                // An app that ends its talk and disconnects at once: its last chunks are still
                // being read. Exit does not wait (close() ends talks directly).
                t.endAfterReader("the app's session ended", TALK_DRAIN_WAIT_MS);
            }
        }
        if (closing) {
            return;
        }
        boolean graceful = reason != null && reason.kind() == CloseReason.Kind.REMOTE
                && reason.code() == CloseReason.NORMAL;
        log.info("app {} {}: {}", peer.name(), graceful ? "disconnected" : "lost", reason);
        event(graceful ? IvEvent.CLI_SEND_CLOSE : IvEvent.PEER_ERROR);
        event(IvEvent.LINK_DISCONNECT);
    }

    boolean registerStream(SendStream s) {
        if (streams.putIfAbsent(s.handle, s) != null) {
            return false;
        }
        synchronized (tickerLock) {
            if (ticker == null) {
                try {
                    ticker = pump.scheduleAtFixedRate(this::pumpRound, 0, pumpIntervalMs, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    // exit is under way and stops every stream itself
                }
            }
        }
        return true;
    }

    void unregisterStream(SendStream s) {
        if (streams.remove(s.handle, s)) {
            // The map is checked under the lock that registerStream takes after its put, so a stream
            // registered meanwhile either keeps the ticker or starts a new one.
            synchronized (tickerLock) {
                if (streams.isEmpty() && ticker != null) {
                    ticker.cancel(false);
                    ticker = null;
                }
            }
        }
    }

    /** Whether the pump is polling (only while a stream is open); for tests. */
    boolean pumpTicking() {
        synchronized (tickerLock) {
            return ticker != null;
        }
    }

    /** Stops a stream on the pump thread (in order with its polls). */
    void stopLater(SendStream s, String reason) {
        try {
            pump.execute(() -> s.stop(callbacks, reason));
        } catch (RejectedExecutionException e) {
            // exit is under way and stops every stream itself
        }
    }

    // ------------------------------------------------------------------ pump and events

    private void pumpRound() {
        Watermarks marks = watermarks;
        for (SendStream s : streams.values()) {
            try {
                s.tick(callbacks, marks, this::streamEvent);
            } catch (IllegalStateException e) {
                if (!callbacks.gate().isClosed()) {
                    log.error("{}: poll failed", s, e);
                }
            } catch (RuntimeException e) {
                log.error("{}: poll failed", s, e);
            }
        }
    }

    private void streamEvent(IvEvent e, long handle) {
        log.debug("event {} for stream 0x{}", e, Long.toHexString(handle));
        callbacks.eventNotify(e, handle);
    }

    /** Fires a session event on the pump thread, in order with the others. */
    private void event(IvEvent e) {
        try {
            pump.execute(() -> {
                if (closing) {
                    return;
                }
                try {
                    callbacks.eventNotify(e, 0);
                } catch (RuntimeException ex) {
                    log.error("event_notify_cb({}) failed", e, ex);
                }
            });
        } catch (RejectedExecutionException ex) {
            // exit under way: no more events
        }
    }

    // ------------------------------------------------------------------ exit

    /**
     * Exit: no new apps, the pump stopped, every stream gets {@code send_stop_cb} (its held buffer
     * freed first), every talk its {@code (NULL, 0)}, waiting {@code send_command}s fail, every
     * session ends (the apps see "closed by remote"). The bridge then closes the callback gate.
     */
    @Override
    public void close() {
        closing = true;
        if (lan != null) {
            lan.close();
        }
        pump.shutdown(); // not shutdownNow: an interrupted round would leave a poll half done
        try {
            if (!pump.awaitTermination(PUMP_STOP_WAIT_MS, TimeUnit.MILLISECONDS)) {
                log.error("exit: the pump's current round (a send_get_cb?) did not finish in {} ms",
                        PUMP_STOP_WAIT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<AppPeer> all = new ArrayList<>(peers.values());
        for (AppPeer p : all) {
            for (Object o : p.end()) {
                if (o instanceof SendStream s) {
                    s.stop(callbacks, "iv_avt_p2p_exit");
                } else if (o instanceof TalkReceiver t) {
                    t.end("iv_avt_p2p_exit");
                }
            }
            p.control().stop();
        }
        // Streams not attached to a peer any more (racing an open) are stopped too.
        for (SendStream s : new ArrayList<>(streams.values())) {
            s.stop(callbacks, "iv_avt_p2p_exit");
        }
        if (endpoint != null) {
            endpoint.close();
        }
        peers.clear();
        requestPool.shutdown();
        if (lan != null) {
            log.info("device {} stopped: {}", deviceId, lan.summary());
        }
    }
}

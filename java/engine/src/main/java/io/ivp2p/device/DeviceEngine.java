package io.ivp2p.device;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ivp2p.bridge.FirmwareCallbacks;
import io.ivp2p.bridge.IvError;
import io.ivp2p.bridge.IvException;
import io.ivp2p.bridge.P2pParams;

/**
 * The device side of ivp2p for one init..exit cycle: the firmware's callbacks and parameters, the
 * global watermarks, and the registry of send streams and app sessions that the exported query
 * functions look up.
 *
 * <p>This engine does not accept app sessions yet (the session transport and LAN mode come with
 * their own issues), so its registries stay empty: every stream handle is unknown (0 bytes, zero
 * statistics) and every peer name is unknown ({@link IvError#AVT_CHN_NOT_EXIT}).
 */
public final class DeviceEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeviceEngine.class);

    private final P2pParams params;
    private final FirmwareCallbacks callbacks;
    private final Map<Long, SendStream> streams = new ConcurrentHashMap<>();
    private volatile Watermarks watermarks = Watermarks.DISABLED;
    private volatile boolean closed;

    /** An open stream: the handle send_init_cb returned and what has been sent on it. */
    public interface SendStream {
        long unackedBytes();

        SendStats stats();
    }

    public DeviceEngine(P2pParams params, FirmwareCallbacks callbacks) {
        this.params = params;
        this.callbacks = callbacks;
    }

    public P2pParams params() {
        return params;
    }

    public FirmwareCallbacks callbacks() {
        return callbacks;
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
        return s == null || closed ? 0 : s.unackedBytes();
    }

    public SendStats sendStats(long handle) {
        SendStream s = streams.get(handle);
        return s == null || closed ? SendStats.NONE : s.stats();
    }

    /**
     * Sends a command to the app session named {@code peer} and returns its reply. No session
     * exists in this engine yet, so every peer is unknown.
     */
    public byte[] sendCommand(String peer, byte[] message, long timeoutMillis) {
        throw new IvException(IvError.AVT_CHN_NOT_EXIT,
                "no connected app session is named \"" + peer + "\"");
    }

    /** Ends every stream and refuses further work; the bridge then closes the callback gate. */
    @Override
    public void close() {
        closed = true;
        streams.clear();
    }
}

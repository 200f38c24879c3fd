package io.ivp2p.bridge;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ivp2p.device.DeviceEngine;
import io.ivp2p.device.DeviceSettings;
import io.ivp2p.log.LogSetup;
import io.ivp2p.log.LogSettings;

/**
 * The init..exit lifecycle behind the exported functions: at most one {@link DeviceEngine} per
 * process at a time. Only init and exit take the lock; the query functions read the current
 * engine without it, so a callback that calls them (or set_buf_watermark, or send_command) while
 * exit waits for it cannot deadlock.
 */
public final class EngineHost {
    private static final Logger log = LoggerFactory.getLogger(EngineHost.class);
    private static final EngineHost INSTANCE = new EngineHost();

    /**
     * How long exit waits for callbacks that are still running. A callback stuck longer than this
     * is a firmware bug; exit then reports IV_ERR_AVT_FAILED instead of hanging the caller.
     */
    public static final long EXIT_CALLBACK_WAIT_MILLIS = 30_000;

    private final Object lifecycle = new Object();
    private volatile DeviceEngine engine;

    public static EngineHost instance() {
        return INSTANCE;
    }

    /** The running engine, if init succeeded and exit has not begun. */
    public Optional<DeviceEngine> current() {
        return Optional.ofNullable(engine);
    }

    /** As {@link #current()}, without the Optional: the query functions are polled per stream. */
    DeviceEngine currentOrNull() {
        return engine;
    }

    /** The running engine, or {@link IvError#AVT_STATE_ERROR}. */
    DeviceEngine require(String function) {
        DeviceEngine e = engine;
        if (e == null) {
            throw new IvException(IvError.AVT_STATE_ERROR,
                    function + " called before iv_avt_p2p_init (or after iv_avt_p2p_exit)");
        }
        return e;
    }

    public void init(P2pParams raw) {
        init(raw, null);
    }

    /** As {@link #init(P2pParams)}; {@code settings} null reads them from the config file and environment. */
    public void init(P2pParams raw, DeviceSettings settings) {
        synchronized (lifecycle) {
            if (engine != null) {
                throw new IvException(IvError.AVT_STATE_ERROR,
                        "already initialised: call iv_avt_p2p_exit before iv_avt_p2p_init again");
            }
            P2pParams p = ParamValidator.validate(raw);
            P2pParams.InitParams ip = p.init();
            LogSetup.apply(LogSettings.fromVendor((int) ip.logLevel(), ip.logFilePath(), ip.logFileSize()));
            DeviceEngine e = new DeviceEngine(p, new FirmwareCallbacks(p.callbacks()),
                    settings != null ? settings : DeviceSettings.load());
            engine = e;
            try {
                e.start();
            } catch (RuntimeException ex) {
                engine = null;
                e.close();
                try {
                    e.callbacks().gate().close(EXIT_CALLBACK_WAIT_MILLIS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                throw ex;
            }
            log.info("ivp2p {} initialised: mtu={} sender_interval_ms={} keep-alive={} LAN={}",
                    Version.VERSION, ip.mtuSize(), ip.senderIntervalMs(),
                    p.keepAlive().enabled() ? p.keepAlive().intervalSeconds() + "s x"
                            + p.keepAlive().maxAttempts() : "off",
                    p.net().lanEnabled() ? "probe " + p.net().probePort() + ", trans "
                            + p.net().transPort() : "off");
        }
    }

    public void exit() throws InterruptedException {
        if (CallbackGate.insideCallback()) {
            throw new IvException(IvError.AVT_STATE_ERROR, "iv_avt_p2p_exit called from inside a"
                    + " callback; call it from a thread of your own");
        }
        synchronized (lifecycle) {
            DeviceEngine e = require("iv_avt_p2p_exit");
            engine = null;
            try {
                e.close();
                if (!e.callbacks().gate().close(EXIT_CALLBACK_WAIT_MILLIS)) {
                    throw new IvException(IvError.AVT_FAILED, "a firmware callback did not return"
                            + " within " + EXIT_CALLBACK_WAIT_MILLIS + " ms; exit gave up waiting"
                            + " (no new callback will start)");
                }
                log.info("ivp2p exited");
            } finally {
                // Close the log file (exit releases everything) but keep the firmware's level, on
                // stderr: with log_level DISABLE, misuse after exit stays silent too.
                LogSetup.apply(LogSettings.fromVendor((int) e.params().init().logLevel(), null, 0));
            }
        }
    }
}

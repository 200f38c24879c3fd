package io.ivp2p.app;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ivp2p.control.ControlFrame;
import io.ivp2p.discovery.LanMessage;

/**
 * The app side of ivp2p: a channel API in the style of the Tuya and CS2 PPCS P2P SDKs. One
 * instance per app user id: {@link #init}, then {@link #connect} to devices (LAN discovery,
 * DTLS-PSK with the device's access key, HELLO/WELCOME), then {@link #read}/{@link #send} bytes on
 * channels 1..7 of each session, plus helpers for streams, commands and talk
 * (docs/protocol.md describes what goes over the wire).
 *
 * <p>Calls return {@link P2pError} codes (negative) or a non-negative result; the helpers throw
 * {@link P2pException} with the same codes. Before {@link #init} and after {@link #deInit} every
 * call returns (or throws) {@link P2pError#NOT_INITIALIZED}. Thread-safe: any thread may call
 * anything; blocking calls wait at most their timeout. Connect callbacks and command handlers run
 * on SDK threads.
 */
public final class P2pClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(P2pClient.class);

    /** Connect mode: find the device on the LAN first. */
    public static final int LAN_FIRST = 0;
    /** Connect mode: Internet first. Not available yet: connects use the LAN (logged at INFO). */
    public static final int INTERNET_FIRST = 1;
    /** Channels per session; 0 is the control channel, 1..7 carry streams, talk and raw bytes. */
    public static final int CHANNELS = 8;
    /** User ids (the PSK identity), docs/protocol.md: {@code [A-Za-z0-9_.@-]{1,64}}. */
    public static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");
    /** This SDK's version (the Maven project version). */
    public static final String VERSION = loadVersion();

    private final Object lifecycle = new Object();
    private final AtomicInteger nextHandle = new AtomicInteger();
    private final AtomicInteger nextTraceId = new AtomicInteger();
    private volatile ClientContext ctx;
    private volatile CommandHandler defaultHandler;

    // ----------------------------------------------------------------------------- lifecycle

    /** {@link #init(String, DeviceKeys, AppConfig)} with no keys yet ({@link #setDeviceKey}) and the defaults. */
    public int init(String uid) {
        return init(uid, new DeviceKeys(), AppConfig.defaults());
    }

    /**
     * Opens the client's UDP socket (an ephemeral port on {@code config.bindAddress()}).
     *
     * @return 0, INVALID_ID (uid), INVALID_PARAMETER, ALREADY_INITIALIZED, UDP_PORT_BIND_FAILED
     */
    public int init(String uid, DeviceKeys keys, AppConfig config) {
        if (uid == null || !USER_ID.matcher(uid).matches()) {
            return P2pError.INVALID_ID;
        }
        if (keys == null || config == null) {
            return P2pError.INVALID_PARAMETER;
        }
        synchronized (lifecycle) {
            if (ctx != null) {
                return P2pError.ALREADY_INITIALIZED;
            }
            try {
                ctx = ClientContext.open(uid, keys, config, nextHandle::getAndIncrement, () -> defaultHandler);
            } catch (P2pException e) {
                log.warn("init of {} failed: {}", uid, e.getMessage());
                return e.code();
            }
        }
        log.info("client {} ready on {} (ivp2p-app {}), keys for {}", uid, ctx.endpoint.localAddress(), VERSION, keys);
        return P2pError.SUCCESSFUL;
    }

    /**
     * Cancels connects in progress (they report USER_CONNECT_BREAK), closes every session (waiting
     * up to {@link AppConfig#disconnectLingerMs} for the devices to acknowledge what was sent) and
     * stops the client's threads. init may be called again afterwards.
     *
     * @return 0 or NOT_INITIALIZED
     */
    public int deInit() {
        ClientContext c;
        synchronized (lifecycle) {
            c = ctx;
            if (c == null) {
                return P2pError.NOT_INITIALIZED;
            }
            ctx = null;
        }
        c.close();
        return P2pError.SUCCESSFUL;
    }

    /** {@link #deInit}, for try-with-resources. */
    @Override
    public void close() {
        deInit();
    }

    /** The SDK's version. */
    public String version() {
        return VERSION;
    }

    /**
     * Adds or replaces a device's access key (≥ 16 bytes of UTF-8).
     *
     * @return 0, NOT_INITIALIZED, INVALID_ID, INVALID_PARAMETER (key too short)
     */
    public int setDeviceKey(String deviceId, String accessKey) {
        ClientContext c = ctx;
        if (c == null) {
            return P2pError.NOT_INITIALIZED;
        }
        if (!validDeviceId(deviceId)) {
            return P2pError.INVALID_ID;
        }
        try {
            c.keys.put(deviceId, accessKey);
            return P2pError.SUCCESSFUL;
        } catch (IllegalArgumentException e) {
            return P2pError.INVALID_PARAMETER;
        }
    }

    /** The local address of the client's session socket (for logs and tests), or null before init. */
    public InetSocketAddress localAddress() {
        ClientContext c = ctx;
        return c == null ? null : c.endpoint.localAddress();
    }

    // ----------------------------------------------------------------------------- connecting

    /**
     * Starts a connect and returns at once. The callback gets the session handle or an error,
     * exactly once, on an SDK thread: DEVICE_NOT_ONLINE (no authenticated LAN answer in time),
     * MAX_SESSION, TIME_OUT, AUTH_FAILED, USER_CONNECT_BREAK, ALREADY_CONNECTED, INVALID_ID,
     * UDP_PORT_BIND_FAILED, or a session close code if the device ended the session during HELLO.
     *
     * @param mode      {@link #LAN_FIRST} or {@link #INTERNET_FIRST}
     * @param timeoutMs the whole connect (discovery, handshake, HELLO), > 0
     * @return a trace id (> 0) for {@link #breakConnect}, or NOT_INITIALIZED, INVALID_ID,
     *         INVALID_PARAMETER, NO_KEY
     */
    public int connect(String deviceId, int mode, int timeoutMs, ConnectCallback cb) {
        if (cb == null) {
            return ctx == null ? P2pError.NOT_INITIALIZED : P2pError.INVALID_PARAMETER;
        }
        ClientContext c = ctx;
        int checked = checkConnect(c, deviceId, mode, timeoutMs);
        if (checked != 0) {
            return checked;
        }
        ConnectAttempt a = register(c, deviceId, null, mode, timeoutMs);
        if (a == null) {
            return P2pError.NOT_INITIALIZED;
        }
        try {
            c.worker.execute(() -> {
                int result = a.run();
                c.attempts.remove(a.traceId);
                try {
                    cb.onResult(a.traceId, result);
                } catch (RuntimeException e) {
                    log.error("connect callback for {} (trace {}) threw", deviceId, a.traceId, e);
                }
            });
        } catch (RejectedExecutionException e) {
            c.attempts.remove(a.traceId); // deInit ran meanwhile
            return P2pError.NOT_INITIALIZED;
        }
        return a.traceId;
    }

    /**
     * {@link #connect} on the calling thread: returns the handle (≥ 0) or an error. Cancel it with
     * {@link #breakAllConnects} (or deInit) from another thread.
     */
    public int connectBlocking(String deviceId, int mode, int timeoutMs) {
        ClientContext c = ctx;
        int checked = checkConnect(c, deviceId, mode, timeoutMs);
        return checked != 0 ? checked : runHere(c, deviceId, null, mode, timeoutMs);
    }

    /**
     * Connects to a device's session address without LAN discovery (a known address, tests);
     * blocking, otherwise as {@link #connectBlocking}.
     */
    public int connectDirect(String deviceId, InetSocketAddress sessionAddress, int timeoutMs) {
        ClientContext c = ctx;
        int checked = checkConnect(c, deviceId, LAN_FIRST, timeoutMs);
        if (checked != 0) {
            return checked;
        }
        if (sessionAddress == null || sessionAddress.isUnresolved() || sessionAddress.getPort() == 0) {
            return P2pError.INVALID_PARAMETER;
        }
        return runHere(c, deviceId, sessionAddress, LAN_FIRST, timeoutMs);
    }

    /**
     * Cancels a connect in progress: its callback gets USER_CONNECT_BREAK (promptly: discovery,
     * handshake wait and HELLO are all interrupted).
     *
     * @return 0, NOT_INITIALIZED, or INVALID_PARAMETER (unknown trace id, or the connect finished)
     */
    public int breakConnect(int traceId) {
        ClientContext c = ctx;
        if (c == null) {
            return P2pError.NOT_INITIALIZED;
        }
        ConnectAttempt a = c.attempts.get(traceId);
        return a != null && a.cancel() ? P2pError.SUCCESSFUL : P2pError.INVALID_PARAMETER;
    }

    /**
     * Cancels every connect in progress, blocking ones included (as PPCS_Connect_Break does).
     *
     * @return how many were cancelled (≥ 0), or NOT_INITIALIZED
     */
    public int breakAllConnects() {
        ClientContext c = ctx;
        if (c == null) {
            return P2pError.NOT_INITIALIZED;
        }
        int n = 0;
        for (ConnectAttempt a : c.attempts.values()) {
            if (a.cancel()) {
                n++;
            }
        }
        return n;
    }

    private int checkConnect(ClientContext c, String deviceId, int mode, int timeoutMs) {
        if (c == null) {
            return P2pError.NOT_INITIALIZED;
        }
        if (!validDeviceId(deviceId)) {
            return P2pError.INVALID_ID;
        }
        if ((mode != LAN_FIRST && mode != INTERNET_FIRST) || timeoutMs <= 0) {
            return P2pError.INVALID_PARAMETER;
        }
        byte[] key = c.keys.keyFor(deviceId);
        if (key == null) {
            return P2pError.NO_KEY;
        }
        java.util.Arrays.fill(key, (byte) 0);
        return 0;
    }

    private int runHere(ClientContext c, String deviceId, InetSocketAddress direct, int mode, int timeoutMs) {
        ConnectAttempt a = register(c, deviceId, direct, mode, timeoutMs);
        if (a == null) {
            return P2pError.NOT_INITIALIZED;
        }
        try {
            return a.run();
        } finally {
            c.attempts.remove(a.traceId);
        }
    }

    /** Registers a new attempt (so deInit and breaks see it); null if deInit ran meanwhile. */
    private ConnectAttempt register(ClientContext c, String deviceId, InetSocketAddress direct, int mode,
            int timeoutMs) {
        int traceId = nextTraceId.incrementAndGet();
        ConnectAttempt a = new ConnectAttempt(traceId, c, deviceId, direct, mode, timeoutMs);
        c.attempts.put(traceId, a);
        if (c.closed) { // deInit cancelled what it saw before this attempt was there
            c.attempts.remove(traceId);
            return null;
        }
        return a;
    }

    /**
     * Closes the session gracefully: what was sent is delivered first (for up to
     * {@link AppConfig#disconnectLingerMs}), then it ends. The handle is invalid afterwards.
     *
     * @return 0, NOT_INITIALIZED, INVALID_SESSION_HANDLE
     */
    public int disconnect(int handle) {
        ClientContext c = ctx;
        if (c == null) {
            return P2pError.NOT_INITIALIZED;
        }
        AppSession s = c.sessions.remove(handle);
        if (s == null) {
            return P2pError.INVALID_SESSION_HANDLE;
        }
        s.disconnect(c.config.disconnectLingerMs());
        log.info("disconnected handle {} ({})", handle, s.deviceId);
        return P2pError.SUCCESSFUL;
    }

    /**
     * @return 0 while the session is open, else how it ended (SESSION_CLOSED_REMOTE, _TIMEOUT,
     *         _CALLED, MAX_SESSION), or NOT_INITIALIZED, INVALID_SESSION_HANDLE
     */
    public int activeCheck(int handle) {
        ClientContext c = ctx;
        if (c == null) {
            return P2pError.NOT_INITIALIZED;
        }
        AppSession s = c.sessions.get(handle);
        return s == null ? P2pError.INVALID_SESSION_HANDLE : s.closeCode();
    }

    // ----------------------------------------------------------------------------- bytes

    /**
     * Reads up to {@code len} bytes of {@code channel}, waiting up to {@code timeoutMs} for some.
     * On a channel with a stream, only that stream's bytes are returned: the tail of an earlier
     * stream is dropped, and STREAM_ENDED comes once the stream's end offset is reached.
     *
     * @param channel 1..7 (0 is the control channel, not readable here)
     * @return bytes read (> 0); TIME_OUT with nothing; STREAM_ENDED; once the session is closed and
     *         nothing is left SESSION_CLOSED_REMOTE / _TIMEOUT / _CALLED (or MAX_SESSION);
     *         NOT_INITIALIZED, INVALID_SESSION_HANDLE, INVALID_PARAMETER
     */
    public int read(int handle, int channel, byte[] buf, int off, int len, int timeoutMs) {
        ClientContext c = ctx;
        if (c == null) {
            return P2pError.NOT_INITIALIZED;
        }
        AppSession s = c.sessions.get(handle);
        if (s == null) {
            return P2pError.INVALID_SESSION_HANDLE;
        }
        if (!dataChannel(channel) || buf == null || off < 0 || len < 1 || off > buf.length - len || timeoutMs < 0) {
            return P2pError.INVALID_PARAMETER;
        }
        return s.read(channel, buf, off, len, timeoutMs);
    }

    /** {@link #read(int, int, byte[], int, int, int)} into the whole of {@code buf}. */
    public int read(int handle, int channel, byte[] buf, int timeoutMs) {
        return read(handle, channel, buf, 0, buf == null ? 0 : buf.length, timeoutMs);
    }

    /**
     * Writes {@code len} bytes of {@code buf} to {@code channel}, waiting up to {@code timeoutMs}
     * for buffer room. With talk open on the channel, the call sends one talk chunk (1..64 KiB):
     * it returns {@code len} once the chunk is committed (a tail that did not fit goes out before
     * anything else on the channel), or TIME_OUT if none of it fit.
     *
     * @return bytes written (less than {@code len} on timeout), TIME_OUT if none, a close code,
     *         CHANNEL_BUSY (talk being opened), NOT_INITIALIZED, INVALID_SESSION_HANDLE,
     *         INVALID_PARAMETER
     */
    public int send(int handle, int channel, byte[] buf, int len, int timeoutMs) {
        ClientContext c = ctx;
        if (c == null) {
            return P2pError.NOT_INITIALIZED;
        }
        AppSession s = c.sessions.get(handle);
        if (s == null) {
            return P2pError.INVALID_SESSION_HANDLE;
        }
        if (!dataChannel(channel) || buf == null || len < 0 || len > buf.length || timeoutMs < 0) {
            return P2pError.INVALID_PARAMETER;
        }
        return s.send(channel, buf, len, timeoutMs);
    }

    // ----------------------------------------------------------------------------- helpers

    /**
     * Asks the device for a stream on {@code channel} ({@code send_init_cb} gets {@code params}).
     * If a stream closed by {@link #closeStream} has not ended yet, waits (within the timeout) for
     * its end first.
     *
     * @throws P2pException STREAM_REFUSED, CHANNEL_BUSY, DEVICE_BUSY, TIME_OUT, INVALID_PARAMETER,
     *                      a close code, NOT_INITIALIZED, INVALID_SESSION_HANDLE
     */
    public void openStream(int handle, int channel, String params, int timeoutMs) throws P2pException {
        AppSession s = session(handle);
        checkChannel(channel);
        checkParams(params, timeoutMs);
        s.openStream(channel, params, timeoutMs);
    }

    /**
     * Asks the device to stop the stream on {@code channel} (STREAM_CLOSE). Reads go on returning
     * its remaining bytes, then STREAM_ENDED at the end offset the device reports. Nothing to do if
     * no stream is open there.
     */
    public void closeStream(int handle, int channel) throws P2pException {
        AppSession s = session(handle);
        checkChannel(channel);
        s.closeStream(channel);
    }

    /** The name the device gave this session in WELCOME ({@code "<uid>#<n>"}). */
    public String peerName(int handle) throws P2pException {
        return session(handle).peerName();
    }

    /**
     * What PPCS_Check tells about a session: the device, how it was reached, its address now (it
     * changes if the device's NAT rebinds) and the round-trip time.
     */
    public SessionInfo sessionInfo(int handle) throws P2pException {
        return session(handle).info();
    }

    /**
     * Sends a command to the device's {@code command_cb} and waits for its reply.
     *
     * @throws P2pException COMMAND_CLOSED (no reply from command_cb), DEVICE_BUSY, TIME_OUT,
     *                      INVALID_PARAMETER (empty or above 256 KiB), a close code, ...
     */
    public byte[] command(int handle, byte[] cmd, int timeoutMs) throws P2pException {
        AppSession s = session(handle);
        if (cmd == null || cmd.length == 0 || cmd.length > ControlFrame.MAX_PAYLOAD || timeoutMs <= 0) {
            throw new P2pException(P2pError.INVALID_PARAMETER, "command of " + (cmd == null ? "null" : cmd.length
                    + " bytes") + ", timeout " + timeoutMs + " ms");
        }
        return s.command(cmd, timeoutMs);
    }

    /** Sets the handler of this session's device commands (null: use the client-wide one). */
    public void setCommandHandler(int handle, CommandHandler h) throws P2pException {
        session(handle).setHandler(h);
    }

    /**
     * Sets the client-wide handler of device commands, for sessions without their own (null: none;
     * the device then gets DEVICE_COMMAND_UNHANDLED "no command handler"). Works before init too.
     */
    public void setCommandHandler(CommandHandler h) {
        defaultHandler = h;
    }

    /**
     * Starts talk on {@code channel} ({@code recv_init_cb} gets {@code params}); then each
     * {@link #sendTalk} is one {@code recv_voice_cb} on the device.
     *
     * @throws P2pException STREAM_REFUSED (refused, or the device has no talk callbacks),
     *                      CHANNEL_BUSY, DEVICE_BUSY, TIME_OUT, a close code, ...
     */
    public void startTalk(int handle, int channel, String params, int timeoutMs) throws P2pException {
        AppSession s = session(handle);
        checkChannel(channel);
        checkParams(params, timeoutMs);
        s.startTalk(channel, params, timeoutMs);
    }

    /** One talk chunk: {@link #send} on a channel with talk open. */
    public int sendTalk(int handle, int channel, byte[] buf, int len, int timeoutMs) {
        return send(handle, channel, buf, len, timeoutMs);
    }

    /**
     * Ends the talk (the 0-length end chunk: the device calls {@code recv_voice_cb(handle, NULL, 0)}).
     *
     * @throws P2pException INVALID_PARAMETER (no talk open there), TIME_OUT, a close code, ...
     */
    public void stopTalk(int handle, int channel, int timeoutMs) throws P2pException {
        AppSession s = session(handle);
        checkChannel(channel);
        if (timeoutMs <= 0) {
            throw new P2pException(P2pError.INVALID_PARAMETER, "timeout " + timeoutMs + " ms");
        }
        s.stopTalk(channel, timeoutMs);
    }

    // ----------------------------------------------------------------------------- checks

    private AppSession session(int handle) throws P2pException {
        ClientContext c = ctx;
        if (c == null) {
            throw new P2pException(P2pError.NOT_INITIALIZED, null);
        }
        AppSession s = c.sessions.get(handle);
        if (s == null) {
            throw new P2pException(P2pError.INVALID_SESSION_HANDLE, "handle " + handle);
        }
        return s;
    }

    private static boolean dataChannel(int channel) {
        return channel >= AppSession.FIRST_CHANNEL && channel <= AppSession.LAST_CHANNEL;
    }

    private static void checkChannel(int channel) throws P2pException {
        if (!dataChannel(channel)) {
            throw new P2pException(P2pError.INVALID_PARAMETER, "channel " + channel + " not in 1..7");
        }
    }

    private static void checkParams(String params, int timeoutMs) throws P2pException {
        if (params == null || params.getBytes(StandardCharsets.UTF_8).length > ControlFrame.MAX_PAYLOAD
                || timeoutMs <= 0) {
            throw new P2pException(P2pError.INVALID_PARAMETER, "params " + (params == null ? "null" : "of "
                    + params.length() + " characters") + ", timeout " + timeoutMs + " ms");
        }
    }

    private static boolean validDeviceId(String deviceId) {
        return deviceId != null && LanMessage.DEVICE_ID.matcher(deviceId).matches();
    }

    private static String loadVersion() {
        try (InputStream in = P2pClient.class.getResourceAsStream("/io/ivp2p/app/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}

package io.ivp2p.app;

/**
 * Return codes of {@link P2pClient}. 0 and -1 … -19 keep the numbering the Tuya and CS2 PPCS P2P
 * SDKs share ({@code ERROR_PPCS_*}), so apps ported from them keep their error handling; -100 and
 * below are ivp2p's own. Every negative code is an error; calls that return a count or a handle
 * return it as a non-negative int instead of 0.
 */
public final class P2pError {
    /** Success. */
    public static final int SUCCESSFUL = 0;
    /** {@link P2pClient#init} was not called, or {@link P2pClient#deInit} was. */
    public static final int NOT_INITIALIZED = -1;
    /** {@link P2pClient#init} twice without {@link P2pClient#deInit} between. */
    public static final int ALREADY_INITIALIZED = -2;
    /** Nothing happened within the caller's timeout (no data, no reply, connect not finished). */
    public static final int TIME_OUT = -3;
    /**
     * A user id or device id that is not well-formed (uid {@code [A-Za-z0-9_.@-]{1,64}}, device id
     * {@code [A-Za-z0-9_]{1,64}}), or the device's WELCOME named another device.
     */
    public static final int INVALID_ID = -4;
    /** An argument out of range: channel, length, timeout, mode, null buffer, unknown trace id. */
    public static final int INVALID_PARAMETER = -5;
    /**
     * LAN discovery got no authenticated answer in time: the device is off, not on this LAN, or
     * answers with another access key (its answer's MAC does not verify, so it is ignored).
     */
    public static final int DEVICE_NOT_ONLINE = -6;
    /** No such session handle (never returned, or {@link P2pClient#disconnect} was called). */
    public static final int INVALID_SESSION_HANDLE = -11;
    /** The device closed the session (or broke the protocol, so it was ended). */
    public static final int SESSION_CLOSED_REMOTE = -12;
    /** Keep-alive: nothing heard from the device for interval × attempts; the peer is gone. */
    public static final int SESSION_CLOSED_TIMEOUT = -13;
    /** The session was closed on this side (deInit, or the SDK ended it locally). */
    public static final int SESSION_CLOSED_CALLED = -14;
    /**
     * The device is at its connection limit: it closed the session right after the handshake with
     * CLOSE code 3 ({@code CloseReason.SESSION_LIMIT}), or its LAN answer carried the FULL flag.
     * Also when this client itself holds its maximum of sessions or handshakes.
     */
    public static final int MAX_SESSION = -17;
    /** The UDP socket (session endpoint or discovery) could not be bound. */
    public static final int UDP_PORT_BIND_FAILED = -18;
    /** The connect was cancelled by {@link P2pClient#breakConnect}, breakAllConnects or deInit. */
    public static final int USER_CONNECT_BREAK = -19;

    /** The device refused the stream or talk (send_init_cb / recv_init_cb returned NULL, or no talk callbacks). */
    public static final int STREAM_REFUSED = -100;
    /** The device's command_cb returned no reply (NULL or empty): COMMAND_CLOSED. */
    public static final int COMMAND_CLOSED = -101;
    /** The stream on this channel ended (STREAM_END) and all of its bytes were read. */
    public static final int STREAM_ENDED = -102;
    /** The DTLS handshake failed: the access key is wrong (or the device refused our identity). */
    public static final int AUTH_FAILED = -103;
    /** The device has too many requests of this session waiting for its firmware (ERROR code 2). */
    public static final int DEVICE_BUSY = -104;
    /** The channel already carries a stream or talk (ERROR code 4, or known locally). */
    public static final int CHANNEL_BUSY = -105;
    /** No access key is known for the device ({@link DeviceKeys}, {@link P2pClient#setDeviceKey}). */
    public static final int NO_KEY = -106;
    /**
     * This client already has a session with that device: sessions are keyed by the device's
     * address on the client's one UDP socket, so a second one needs another {@link P2pClient}.
     */
    public static final int ALREADY_CONNECTED = -107;

    private P2pError() {}

    /** The constant's name, e.g. "TIME_OUT", or "UNKNOWN" for a code not listed here. */
    public static String name(int code) {
        return switch (code) {
            case SUCCESSFUL -> "SUCCESSFUL";
            case NOT_INITIALIZED -> "NOT_INITIALIZED";
            case ALREADY_INITIALIZED -> "ALREADY_INITIALIZED";
            case TIME_OUT -> "TIME_OUT";
            case INVALID_ID -> "INVALID_ID";
            case INVALID_PARAMETER -> "INVALID_PARAMETER";
            case DEVICE_NOT_ONLINE -> "DEVICE_NOT_ONLINE";
            case INVALID_SESSION_HANDLE -> "INVALID_SESSION_HANDLE";
            case SESSION_CLOSED_REMOTE -> "SESSION_CLOSED_REMOTE";
            case SESSION_CLOSED_TIMEOUT -> "SESSION_CLOSED_TIMEOUT";
            case SESSION_CLOSED_CALLED -> "SESSION_CLOSED_CALLED";
            case MAX_SESSION -> "MAX_SESSION";
            case UDP_PORT_BIND_FAILED -> "UDP_PORT_BIND_FAILED";
            case USER_CONNECT_BREAK -> "USER_CONNECT_BREAK";
            case STREAM_REFUSED -> "STREAM_REFUSED";
            case COMMAND_CLOSED -> "COMMAND_CLOSED";
            case STREAM_ENDED -> "STREAM_ENDED";
            case AUTH_FAILED -> "AUTH_FAILED";
            case DEVICE_BUSY -> "DEVICE_BUSY";
            case CHANNEL_BUSY -> "CHANNEL_BUSY";
            case NO_KEY -> "NO_KEY";
            case ALREADY_CONNECTED -> "ALREADY_CONNECTED";
            default -> "UNKNOWN";
        };
    }

    /** "NAME: what it means", one line, for logs and the CLI; non-negative values are counts. */
    public static String describe(int code) {
        String what = switch (code) {
            case SUCCESSFUL -> "success";
            case NOT_INITIALIZED -> "not initialised (call init first)";
            case ALREADY_INITIALIZED -> "already initialised";
            case TIME_OUT -> "timed out";
            case INVALID_ID -> "malformed user or device id, or the device is another one";
            case INVALID_PARAMETER -> "invalid parameter";
            case DEVICE_NOT_ONLINE -> "no authenticated LAN answer from the device in time";
            case INVALID_SESSION_HANDLE -> "no such session handle";
            case SESSION_CLOSED_REMOTE -> "the device closed the session";
            case SESSION_CLOSED_TIMEOUT -> "the device stopped answering (keep-alive timeout)";
            case SESSION_CLOSED_CALLED -> "the session was closed on this side";
            case MAX_SESSION -> "the device (or this client) is at its session limit";
            case UDP_PORT_BIND_FAILED -> "could not bind the UDP socket";
            case USER_CONNECT_BREAK -> "connect cancelled";
            case STREAM_REFUSED -> "the device refused the stream or talk";
            case COMMAND_CLOSED -> "the device's command handler gave no reply (command channel closed)";
            case STREAM_ENDED -> "the stream on this channel ended";
            case AUTH_FAILED -> "authentication failed (wrong access key?)";
            case DEVICE_BUSY -> "the device is busy; try again later";
            case CHANNEL_BUSY -> "the channel already carries a stream or talk";
            case NO_KEY -> "no access key known for the device";
            case ALREADY_CONNECTED -> "this client already has a session with the device";
            default -> code >= 0 ? "success (" + code + ")" : "unknown error";
        };
        return (code > 0 ? "SUCCESSFUL" : name(code)) + ": " + what;
    }
}

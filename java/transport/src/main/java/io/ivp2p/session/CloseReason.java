package io.ivp2p.session;

/**
 * Why a session ended.
 *
 * @param kind   who or what ended it
 * @param code   the CLOSE frame's code (0 = normal), or 0 when no frame was involved
 * @param detail for the log
 */
public record CloseReason(Kind kind, long code, String detail) {
    public enum Kind {
        /** We closed it (graceful close completed, or we aborted). */
        LOCAL,
        /** The peer sent CLOSE. */
        REMOTE,
        /** Nothing arrived for keep-alive interval × attempts: the peer is gone. */
        TIMEOUT,
        /** The peer broke the protocol (e.g. flow control); we aborted. */
        PROTOCOL_ERROR
    }

    /** CLOSE codes. */
    public static final long NORMAL = 0;
    public static final long PROTOCOL_VIOLATION = 1;
    public static final long APPLICATION = 2;
    /** The device refused the session: its connection limit is reached (the app reports MAX_SESSION). */
    public static final long SESSION_LIMIT = 3;
}

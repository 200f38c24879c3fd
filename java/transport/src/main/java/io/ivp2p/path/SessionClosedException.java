package io.ivp2p.path;

import io.ivp2p.session.CloseReason;

/** The session ended; {@link #reason()} says how (remote close, timeout, local close, error). */
public final class SessionClosedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient CloseReason reason;

    public SessionClosedException(CloseReason reason) {
        super("session closed: " + (reason == null ? "unknown" : reason.kind() + " " + reason.detail()));
        this.reason = reason;
    }

    public CloseReason reason() {
        return reason;
    }
}

package io.ivp2p.session.wire;

/** A datagram that does not parse. The session drops it and counts it; nothing else happens. */
public final class WireFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WireFormatException(String message) {
        super(message);
    }
}

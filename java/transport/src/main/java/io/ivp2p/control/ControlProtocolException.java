package io.ivp2p.control;

/** The peer broke the control protocol; the session is ended. */
public final class ControlProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    public ControlProtocolException(String message) {
        super(message);
    }
}

package io.ivp2p.bridge;

/**
 * A failure with a documented {@code IV_ERR_*} code and a message meant for the firmware
 * developer reading the log (name the field or argument and the accepted values).
 */
public final class IvException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final IvError error;

    public IvException(IvError error, String message) {
        super(message);
        this.error = error;
    }

    public IvError error() {
        return error;
    }
}

package io.ivp2p.app;

/** A helper of {@link P2pClient} failed; {@link #code()} is the {@link P2pError} code. */
public final class P2pException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int code;

    public P2pException(int code, String detail) {
        super(P2pError.describe(code) + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
        this.code = code;
    }

    /** The {@link P2pError} code (negative). */
    public int code() {
        return code;
    }
}

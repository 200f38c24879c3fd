package io.ivp2p.session;

/** The peer broke the protocol (data beyond a limit we advertised): the session is aborted. */
final class FlowControlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FlowControlException(String message) {
        super(message);
    }
}

package io.ivp2p.app;

/** The outcome of {@link P2pClient#connect}; called exactly once, on an SDK thread. */
@FunctionalInterface
public interface ConnectCallback {
    /**
     * @param traceId        what {@code connect} returned
     * @param handleOrError  the session handle (≥ 0) or a negative {@link P2pError} code
     */
    void onResult(int traceId, int handleOrError);
}

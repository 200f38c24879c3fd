package io.ivp2p.security;

import java.util.concurrent.CompletableFuture;

/** Test and benchmark helper: association events that complete a future. */
public final class DtlsEvents {
    private DtlsEvents() {}

    /** Completes {@code up} when the handshake succeeds, or fails it with the reason. */
    public static DtlsAssociation.Events completing(CompletableFuture<Void> up) {
        return new DtlsAssociation.Events() {
            @Override
            public void onEstablished(DtlsAssociation a) {
                up.complete(null);
            }

            @Override
            public void onFailed(DtlsAssociation a, String reason, Throwable cause) {
                up.completeExceptionally(new IllegalStateException(reason, cause));
            }
        };
    }
}

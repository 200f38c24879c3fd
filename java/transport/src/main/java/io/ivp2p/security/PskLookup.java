package io.ivp2p.security;

/**
 * The server's (device's) key store: the pre-shared key for a client's PSK identity (the app's user
 * id). Called on the handshake thread of each server association, possibly by several at once, so
 * implementations must be thread-safe.
 */
@FunctionalInterface
public interface PskLookup {
    /**
     * The PSK (access key) for {@code identity}, or null if the identity is unknown: the handshake
     * then fails on both sides with unknown_psk_identity.
     *
     * <p>Return a COPY: bctls zeroes the array it gets once it has derived the keys. (The association
     * copies the returned array once more before bctls sees it, so a lookup that hands out its stored
     * array does not lose its key; a copy keeps the stored key out of reach of other code all the same.)
     */
    byte[] pskFor(String identity);
}

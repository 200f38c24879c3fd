package io.ivp2p.security;

import java.io.IOException;
import java.security.SecureRandom;

import org.bouncycastle.jcajce.util.DefaultJcaJceHelper;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipher;
import org.bouncycastle.tls.crypto.impl.bc.BcChaCha20Poly1305;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.EncryptionAlgorithm;

/**
 * The crypto back-end under bctls. Both back-ends produce the same bytes on the wire; they differ in
 * speed only (numbers in {@link DtlsSettings}). Each association gets its own {@link TlsCrypto}
 * instance (cheap; the random sources are shared) whose record ciphers are wrapped in a
 * {@link GuardedCipher}, which is how a wrong PSK fails the handshake at once instead of at its
 * timeout.
 */
public enum DtlsCrypto {
    /** BouncyCastle's pure-Java primitives ({@code BcTlsCrypto}). */
    BC {
        @Override
        TlsCrypto create(GuardedCipher.Guard guard) {
            return new BcTlsCrypto(Randoms.KEYS) {
                @Override
                public TlsCipher createCipher(TlsCryptoParameters params, int encryptionAlgorithm, int macAlgorithm)
                        throws IOException {
                    return new GuardedCipher(super.createCipher(params, encryptionAlgorithm, macAlgorithm), guard);
                }
            };
        }
    },
    /**
     * The JVM's JCA providers ({@code JcaTlsCrypto} with the default provider list): on HotSpot,
     * SunJCE's AES-GCM runs on the AES-NI and carry-less-multiply intrinsics. The JDK offers no
     * ChaCha20 under the names bctls asks for ("ChaCha7539" and "Poly1305"), so ChaCha20-Poly1305
     * falls back to BouncyCastle's implementation, the same code {@link #BC} runs.
     */
    JCA {
        @Override
        TlsCrypto create(GuardedCipher.Guard guard) {
            return new JcaTlsCrypto(new DefaultJcaJceHelper(), Randoms.KEYS, Randoms.NONCES) {
                @Override
                public boolean hasEncryptionAlgorithm(int encryptionAlgorithm) {
                    return encryptionAlgorithm == EncryptionAlgorithm.CHACHA20_POLY1305
                            || super.hasEncryptionAlgorithm(encryptionAlgorithm);
                }

                @Override
                public TlsCipher createCipher(TlsCryptoParameters params, int encryptionAlgorithm, int macAlgorithm)
                        throws IOException {
                    TlsCipher cipher;
                    if (encryptionAlgorithm == EncryptionAlgorithm.CHACHA20_POLY1305
                            && !super.hasEncryptionAlgorithm(encryptionAlgorithm)) {
                        // What BcTlsCrypto.createChaCha20Poly1305 does; keys come from the key block.
                        cipher = new TlsAEADCipher(params, new BcChaCha20Poly1305(true),
                                new BcChaCha20Poly1305(false), 32, 16, TlsAEADCipher.AEAD_CHACHA20_POLY1305, null);
                    } else {
                        cipher = super.createCipher(params, encryptionAlgorithm, macAlgorithm);
                    }
                    return new GuardedCipher(cipher, guard);
                }
            };
        }
    };

    /** The back-end {@link DtlsSettings#defaults()} uses: the faster one in the measurement. */
    public static final DtlsCrypto DEFAULT = JCA;

    /** A new instance for one association; {@code guard} observes its record ciphers. */
    abstract TlsCrypto create(GuardedCipher.Guard guard);

    /** Shared, thread-safe random sources: seeding one per association would cost more than it buys. */
    private static final class Randoms {
        static final SecureRandom KEYS = new SecureRandom();
        static final SecureRandom NONCES = new SecureRandom();
    }
}

package io.ivp2p.security;

import java.util.Arrays;

import org.bouncycastle.tls.CipherSuite;

/**
 * Settings of one DTLS 1.2 association (ECDHE-PSK, RFC 9146 connection IDs).
 *
 * <h2>Cipher suites and crypto back-end, chosen by measurement</h2>
 *
 * Only two suites are allowed: {@code TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256} (0xCCAC, RFC 7905)
 * and {@code TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256} (0xD001, RFC 8442). Both are AEADs with forward
 * secrecy from the ephemeral ECDH share; the PSK (the device's access key) authenticates.
 *
 * <p>{@code io.ivp2p.security.bench.DtlsBench} (test sources; not a test) sets up an in-memory
 * association pair and pushes records carrying 1200 bytes of plaintext from client to server on
 * one thread; seal ({@code send}) and open ({@code onDatagram}) are timed separately over batches
 * of 20,000 records, median of 5 rounds after 3 warm-up rounds. On the build machine (2 vCPU AMD
 * EPYC with AES-NI, OpenJDK 17.0.15, bctls 1.84, quiet machine, two runs agreeing within 10 %):
 *
 * <pre>
 * crypto  suite              seal rec/s  seal MB/s  open rec/s  open MB/s  seal+open MB/s  ratio
 * BC      CHACHA20_POLY1305     186,784        224     172,945        208             108   1.00 (baseline)
 * BC      AES_128_GCM           121,029        145     111,884        134              70   0.65
 * JCA     AES_128_GCM         1,404,894      1,686     962,599      1,155             685   6.36
 * JCA     CHACHA20_POLY1305     179,560        215     165,650        199             103   0.96
 * </pre>
 *
 * (JCA ChaCha20 is BC's code: the JDK has no ChaCha20 under bctls' names, see {@link DtlsCrypto#JCA}.)
 * Hence the defaults: {@link DtlsCrypto#JCA}, whose AES-GCM runs on the JDK's AES-NI/CLMUL
 * intrinsics, six times BC's ChaCha20 and almost ten times BC's table-driven AES-GCM; and AES-128-GCM
 * first, ChaCha20-Poly1305 second. ChaCha20 stays in the list for peers without fast AES. The
 * server's order decides (the device is the server and usually the weaker CPU): a device build for
 * a CPU without AES instructions (many camera SoCs) should measure there and will likely want
 * ChaCha20 first, since AES then runs from tables. Command:
 * {@code mvn -q -pl java/transport test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt},
 * then {@code java -cp java/transport/target/classes:java/transport/target/test-classes:$(cat java/transport/cp.txt) io.ivp2p.security.bench.DtlsBench}.
 *
 * @param maxDatagramSize        largest UDP payload sent, 500..1460 (the vendor's mtu_size);
 *                               {@link DtlsAssociation#maxPlaintext()} is what fits in it
 * @param handshakeTimeoutMillis the whole handshake's deadline; always bounded (bctls' default waits
 *                               forever for a peer that stops answering), 1..300,000 ms
 * @param handshakeResendMillis  the first retransmission timer of a flight (RFC 6347 §4.2.4.1:
 *                               "Implementations SHOULD use an initial timer value of 1 second"),
 *                               doubled per retransmission by bctls, 50..handshakeTimeoutMillis
 * @param cipherSuites           offered (client) / preferred (server) suites in order of preference;
 *                               a non-empty subset of {@link #SUPPORTED_CIPHER_SUITES}
 * @param connectionIdLength     length of the random connection ID this side asks its peer to put in
 *                               every record (RFC 9146), 0 (none) .. 16; fixed per endpoint, because a
 *                               tls12_cid record does not carry the CID's length
 * @param crypto                 the crypto back-end
 */
public record DtlsSettings(int maxDatagramSize, int handshakeTimeoutMillis, int handshakeResendMillis,
        int[] cipherSuites, int connectionIdLength, DtlsCrypto crypto) {

    public static final int CHACHA20_POLY1305 = CipherSuite.TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256;
    public static final int AES_128_GCM = CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256;
    /** The only suites ivp2p speaks. */
    public static final int[] SUPPORTED_CIPHER_SUITES = {AES_128_GCM, CHACHA20_POLY1305};

    public static final int MIN_DATAGRAM = 500;
    public static final int MAX_DATAGRAM = 1460;
    /** Vendor: "mtu_size: range 500-1460, 0 selects the default 1200". */
    public static final int DEFAULT_DATAGRAM = 1200;
    public static final int DEFAULT_HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    /** RFC 6347 §4.2.4.1: initial retransmission timer of 1 second. */
    public static final int DEFAULT_HANDSHAKE_RESEND_MILLIS = 1_000;
    public static final int DEFAULT_CONNECTION_ID_LENGTH = 4;
    public static final int MAX_CONNECTION_ID_LENGTH = 16;

    public DtlsSettings {
        if (maxDatagramSize < MIN_DATAGRAM || maxDatagramSize > MAX_DATAGRAM) {
            throw new IllegalArgumentException("maxDatagramSize " + maxDatagramSize + " not in "
                    + MIN_DATAGRAM + ".." + MAX_DATAGRAM);
        }
        if (handshakeTimeoutMillis < 1 || handshakeTimeoutMillis > 300_000) {
            throw new IllegalArgumentException("handshakeTimeoutMillis " + handshakeTimeoutMillis
                    + " not in 1..300000 (it must be bounded)");
        }
        if (handshakeResendMillis < 50 || handshakeResendMillis > handshakeTimeoutMillis) {
            throw new IllegalArgumentException("handshakeResendMillis " + handshakeResendMillis
                    + " not in 50..handshakeTimeoutMillis");
        }
        if (cipherSuites == null || cipherSuites.length == 0) {
            throw new IllegalArgumentException("no cipher suites");
        }
        cipherSuites = cipherSuites.clone();
        for (int i = 0; i < cipherSuites.length; i++) {
            if (cipherSuites[i] != AES_128_GCM && cipherSuites[i] != CHACHA20_POLY1305) {
                throw new IllegalArgumentException("cipher suite 0x" + Integer.toHexString(cipherSuites[i])
                        + " not supported; use AES_128_GCM (0xD001) or CHACHA20_POLY1305 (0xCCAC)");
            }
            for (int j = 0; j < i; j++) {
                if (cipherSuites[j] == cipherSuites[i]) {
                    throw new IllegalArgumentException("cipher suite " + suiteName(cipherSuites[i]) + " twice");
                }
            }
        }
        if (connectionIdLength < 0 || connectionIdLength > MAX_CONNECTION_ID_LENGTH) {
            throw new IllegalArgumentException("connectionIdLength " + connectionIdLength + " not in 0.."
                    + MAX_CONNECTION_ID_LENGTH);
        }
        if (crypto == null) {
            throw new IllegalArgumentException("crypto is null");
        }
    }

    /** The settings of the API's first version: the default crypto back-end. */
    public DtlsSettings(int maxDatagramSize, int handshakeTimeoutMillis, int handshakeResendMillis,
            int[] cipherSuites, int connectionIdLength) {
        this(maxDatagramSize, handshakeTimeoutMillis, handshakeResendMillis, cipherSuites, connectionIdLength,
                DtlsCrypto.DEFAULT);
    }

    /**
     * 1200-byte datagrams, 10 s handshake timeout, 1 s first retransmission, AES-128-GCM then
     * ChaCha20-Poly1305, 4-byte connection IDs, JCA crypto (see the measurements above).
     */
    public static DtlsSettings defaults() {
        return new DtlsSettings(DEFAULT_DATAGRAM, DEFAULT_HANDSHAKE_TIMEOUT_MILLIS,
                DEFAULT_HANDSHAKE_RESEND_MILLIS, SUPPORTED_CIPHER_SUITES, DEFAULT_CONNECTION_ID_LENGTH,
                DtlsCrypto.DEFAULT);
    }

    /** A copy: records cannot protect their arrays. */
    @Override
    public int[] cipherSuites() {
        return cipherSuites.clone();
    }

    public DtlsSettings withMaxDatagramSize(int size) {
        return new DtlsSettings(size, handshakeTimeoutMillis, handshakeResendMillis, cipherSuites,
                connectionIdLength, crypto);
    }

    public DtlsSettings withHandshakeTimeouts(int timeoutMillis, int resendMillis) {
        return new DtlsSettings(maxDatagramSize, timeoutMillis, resendMillis, cipherSuites,
                connectionIdLength, crypto);
    }

    public DtlsSettings withCipherSuites(int... suites) {
        return new DtlsSettings(maxDatagramSize, handshakeTimeoutMillis, handshakeResendMillis, suites,
                connectionIdLength, crypto);
    }

    public DtlsSettings withConnectionIdLength(int length) {
        return new DtlsSettings(maxDatagramSize, handshakeTimeoutMillis, handshakeResendMillis, cipherSuites,
                length, crypto);
    }

    public DtlsSettings withCrypto(DtlsCrypto backEnd) {
        return new DtlsSettings(maxDatagramSize, handshakeTimeoutMillis, handshakeResendMillis, cipherSuites,
                connectionIdLength, backEnd);
    }

    /** The IANA name of one of the supported suites, else its number in hex. */
    public static String suiteName(int suite) {
        if (suite == CHACHA20_POLY1305) {
            return "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256";
        }
        if (suite == AES_128_GCM) {
            return "TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256";
        }
        return "0x" + Integer.toHexString(suite);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DtlsSettings s && s.maxDatagramSize == maxDatagramSize
                && s.handshakeTimeoutMillis == handshakeTimeoutMillis
                && s.handshakeResendMillis == handshakeResendMillis
                && Arrays.equals(s.cipherSuites, cipherSuites) && s.connectionIdLength == connectionIdLength
                && s.crypto == crypto;
    }

    @Override
    public int hashCode() {
        return ((maxDatagramSize * 31 + handshakeTimeoutMillis) * 31 + handshakeResendMillis) * 31
                + Arrays.hashCode(cipherSuites) * 31 + connectionIdLength * 7 + crypto.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder suites = new StringBuilder();
        for (int s : cipherSuites) {
            suites.append(suites.length() == 0 ? "" : ",").append(suiteName(s));
        }
        return "DtlsSettings[maxDatagramSize=" + maxDatagramSize + ", handshakeTimeoutMillis="
                + handshakeTimeoutMillis + ", handshakeResendMillis=" + handshakeResendMillis
                + ", cipherSuites=" + suites + ", connectionIdLength=" + connectionIdLength
                + ", crypto=" + crypto + "]";
    }
}

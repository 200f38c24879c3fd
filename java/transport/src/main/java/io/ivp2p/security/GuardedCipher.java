package io.ivp2p.security;

import java.io.IOException;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsDecodeResult;
import org.bouncycastle.tls.crypto.TlsEncodeResult;

/**
 * A record cipher that decides what a record which does not decrypt means, because bctls' answer is
 * wrong for us in two places:
 * <ul>
 * <li>During the handshake, bctls silently drops a Finished that fails authentication (RFC 6347
 *     §4.1.2.7) and waits for a retransmission that can never authenticate either: with a wrong PSK,
 *     both sides hang until the handshake timeout. The only epoch-1 record a peer decrypts during the
 *     handshake is the other side's Finished, so an authentication failure there means the two
 *     sides derived different keys: a wrong PSK. We turn it into a fatal {@code decrypt_error}
 *     (RFC 5246 §7.2.2: "a handshake cryptographic operation failed, including being unable to
 *     correctly verify [...] a finished message"), which bctls sends to the peer, so both fail at
 *     once with a clear reason.</li>
 * <li>bctls fails the whole connection on a record whose ciphertext is too short for the AEAD
 *     ({@code decode_error}) or whose decrypted inner plaintext is all padding
 *     ({@code unexpected_message}): one forged datagram would kill an association. RFC 9146 §6:
 *     "DTLS implementations MUST silently discard records with bad MACs or that are otherwise
 *     invalid." We report every such failure as {@code bad_record_mac}, which bctls drops.</li>
 * </ul>
 * Encoding is passed through untouched.
 */
final class GuardedCipher implements TlsCipher {

    /** What the cipher asks of its association. Called on the thread that decrypts. */
    interface Guard {
        /** True once the handshake completed: then every decryption failure is a dropped record. */
        boolean handshakeComplete();

        /** The peer's Finished did not authenticate: the handshake fails with decrypt_error. */
        void finishedRejected();
    }

    private final TlsCipher cipher;
    private final Guard guard;

    GuardedCipher(TlsCipher cipher, Guard guard) {
        this.cipher = cipher;
        this.guard = guard;
    }

    @Override
    public TlsDecodeResult decodeCiphertext(long seqNo, short recordType, ProtocolVersion recordVersion,
            byte[] ciphertext, int offset, int len) throws IOException {
        try {
            return cipher.decodeCiphertext(seqNo, recordType, recordVersion, ciphertext, offset, len);
        } catch (TlsFatalAlert e) {
            if (e.getAlertDescription() == AlertDescription.bad_record_mac && !guard.handshakeComplete()) {
                guard.finishedRejected();
                throw new TlsFatalAlert(AlertDescription.decrypt_error,
                        "the peer's Finished did not authenticate (wrong PSK?)", e);
            }
            throw new TlsFatalAlert(AlertDescription.bad_record_mac, e);
        } catch (RuntimeException e) {
            throw new TlsFatalAlert(AlertDescription.bad_record_mac, e);
        }
    }

    @Override
    public TlsEncodeResult encodePlaintext(long seqNo, short contentType, ProtocolVersion recordVersion,
            int headerAllocation, byte[] plaintext, int offset, int len) throws IOException {
        return cipher.encodePlaintext(seqNo, contentType, recordVersion, headerAllocation, plaintext, offset, len);
    }

    @Override
    public int getCiphertextDecodeLimit(int plaintextLimit) {
        return cipher.getCiphertextDecodeLimit(plaintextLimit);
    }

    @Override
    public int getCiphertextEncodeLimit(int plaintextLimit) {
        return cipher.getCiphertextEncodeLimit(plaintextLimit);
    }

    @Override
    public int getPlaintextDecodeLimit(int ciphertextLimit) {
        return cipher.getPlaintextDecodeLimit(ciphertextLimit);
    }

    @Override
    public int getPlaintextEncodeLimit(int ciphertextLimit) {
        return cipher.getPlaintextEncodeLimit(ciphertextLimit);
    }

    @Override
    public void rekeyDecoder() throws IOException {
        cipher.rekeyDecoder();
    }

    @Override
    public void rekeyEncoder() throws IOException {
        cipher.rekeyEncoder();
    }

    @Override
    public boolean usesOpaqueRecordTypeDecode() {
        return cipher.usesOpaqueRecordTypeDecode();
    }

    @Override
    public boolean usesOpaqueRecordTypeEncode() {
        return cipher.usesOpaqueRecordTypeEncode();
    }
}

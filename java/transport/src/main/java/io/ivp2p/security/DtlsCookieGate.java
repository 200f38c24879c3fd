package io.ivp2p.security;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import org.bouncycastle.tls.DTLSRequest;
import org.bouncycastle.tls.DTLSVerifier;
import org.bouncycastle.tls.DatagramSender;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * Stateless cookie exchange in front of server associations (RFC 6347 §4.2.1): "the server
 * responds [to a ClientHello] with a HelloVerifyRequest containing a stateless cookie"; only a
 * ClientHello that echoes the cookie proves its sender can receive at its source address. So a
 * spoofed ClientHello costs the device one small datagram and no state, never a handshake thread,
 * and the device never sends a whole flight to an address that did not ask for it.
 *
 * <p>One gate per socket; thread-safe. The cookie secret is random per gate (replace the gate to
 * rotate it, as the RFC recommends doing now and then).
 */
public final class DtlsCookieGate {

    /** A ClientHello whose cookie matched its sender; pass it to {@link DtlsAssociation#server(PskLookup, DtlsSettings, VerifiedHello, DtlsAssociation.Output, java.util.concurrent.Executor, DtlsAssociation.Events)}. */
    public static final class VerifiedHello {
        private final DTLSRequest request;
        private final InetSocketAddress from;

        VerifiedHello(DTLSRequest request, InetSocketAddress from) {
            this.request = request;
            this.from = from;
        }

        DTLSRequest request() {
            return request;
        }

        public InetSocketAddress from() {
            return from;
        }
    }

    private final DTLSVerifier verifier = new DTLSVerifier(new BcTlsCrypto());
    private final int maxDatagramSize;

    public DtlsCookieGate(DtlsSettings settings) {
        this.maxDatagramSize = settings.maxDatagramSize();
    }

    /**
     * For a ClientHello ({@link DtlsDemux#isClientHello}) from an address that has no association:
     * if it carries the right cookie for {@code from}, the hello to start a server association with;
     * otherwise null, after a HelloVerifyRequest went to {@code from} through {@code out} (or nothing,
     * if the datagram is no valid ClientHello). Never throws for bad input.
     */
    public VerifiedHello verify(ByteBuffer datagram, InetSocketAddress from, DtlsAssociation.Output out) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(out, "out");
        byte[] data = new byte[datagram.remaining()];
        datagram.get(datagram.position(), data);
        DatagramSender sender = new DatagramSender() {
            @Override
            public int getSendLimit() {
                return maxDatagramSize;
            }

            @Override
            public void send(byte[] buf, int off, int len) {
                try {
                    out.send(ByteBuffer.wrap(buf, off, len).slice(), from);
                } catch (RuntimeException e) {
                    // a lost HelloVerifyRequest: the client retransmits its ClientHello
                }
            }
        };
        DTLSRequest request;
        try {
            request = verifier.verifyRequest(clientId(from), data, 0, data.length, sender);
        } catch (RuntimeException e) {
            return null; // a ClientHello bctls cannot parse
        }
        return request == null ? null : new VerifiedHello(request, from);
    }

    /** What the cookie binds to: the source address and port. */
    private static byte[] clientId(InetSocketAddress from) {
        byte[] address = from.getAddress() == null ? from.getHostString().getBytes(StandardCharsets.UTF_8)
                : from.getAddress().getAddress();
        byte[] id = new byte[address.length + 2];
        System.arraycopy(address, 0, id, 0, address.length);
        id[address.length] = (byte) (from.getPort() >> 8);
        id[address.length + 1] = (byte) from.getPort();
        return id;
    }
}

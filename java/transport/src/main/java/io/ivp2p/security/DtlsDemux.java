package io.ivp2p.security;

import java.nio.ByteBuffer;

/**
 * What the path layer needs to know about a datagram before any association sees it: which protocol
 * it belongs to on a shared UDP socket, which association a tls12_cid record is for, and whether it
 * may open a new server association. Reads only; never moves the buffer's position.
 */
public final class DtlsDemux {

    /**
     * RFC 7983 §7 demultiplexing by the first byte: "[0..3] -> forward to STUN", "[20..63] -> forward
     * to DTLS"; everything else (ZRTP 16..19, TURN channels 64..79, RTP 128..191, ...) is OTHER.
     */
    public enum Kind { STUN, DTLS, OTHER }

    /** RFC 6347 §4.1: type(1) version(2) epoch(2) sequence_number(6) length(2). */
    static final int HEADER_LENGTH = 13;
    /** Where the CID starts in a tls12_cid record (RFC 9146 §4: after sequence_number). */
    static final int CID_OFFSET = 11;
    static final int CONTENT_HANDSHAKE = 22;
    /** RFC 9146 §4: "tls12_cid(25)", the outer content type of a record carrying a CID. */
    static final int CONTENT_TLS12_CID = 25;
    /** DTLS versions are 1's complement: 1.0 = {254,255}, 1.2 = {254,253}. */
    static final int DTLS_MAJOR = 0xFE;
    static final int HANDSHAKE_CLIENT_HELLO = 1;
    /** RFC 6347 §4.2.2: msg_type(1) length(3) message_seq(2) fragment_offset(3) fragment_length(3). */
    static final int HANDSHAKE_HEADER_LENGTH = 12;

    private DtlsDemux() {
    }

    public static Kind classify(ByteBuffer datagram) {
        if (!datagram.hasRemaining()) {
            return Kind.OTHER;
        }
        int b = datagram.get(datagram.position()) & 0xFF;
        if (b <= 3) {
            return Kind.STUN;
        }
        if (b >= 20 && b <= 63) {
            return Kind.DTLS;
        }
        return Kind.OTHER;
    }

    /**
     * The connection ID of a tls12_cid record (content type 25) whose receiver uses CIDs of
     * {@code cidLength} bytes (ours: a record does not say how long its CID is), or null if the
     * datagram is not such a record, is too short for its header, or {@code cidLength} is 0.
     */
    public static byte[] connectionId(ByteBuffer datagram, int cidLength) {
        int p = datagram.position();
        if (cidLength <= 0 || datagram.remaining() < HEADER_LENGTH + cidLength
                || (datagram.get(p) & 0xFF) != CONTENT_TLS12_CID || (datagram.get(p + 1) & 0xFF) != DTLS_MAJOR) {
            return null;
        }
        byte[] cid = new byte[cidLength];
        for (int i = 0; i < cidLength; i++) {
            cid[i] = datagram.get(p + CID_OFFSET + i);
        }
        return cid;
    }

    /**
     * True if the datagram starts with a complete DTLS handshake record of epoch 0 whose first
     * message is a ClientHello: the only thing that may create a new server association (the same
     * test as bctls' {@code DTLSRecordLayer.receiveClientHelloRecord}).
     */
    public static boolean isClientHello(ByteBuffer datagram) {
        int p = datagram.position();
        int n = datagram.remaining();
        if (n < HEADER_LENGTH + HANDSHAKE_HEADER_LENGTH) {
            return false;
        }
        if ((datagram.get(p) & 0xFF) != CONTENT_HANDSHAKE || (datagram.get(p + 1) & 0xFF) != DTLS_MAJOR
                || u16(datagram, p + 3) != 0) {
            return false;
        }
        int length = u16(datagram, p + 11);
        return length >= HANDSHAKE_HEADER_LENGTH && HEADER_LENGTH + length <= n
                && (datagram.get(p + HEADER_LENGTH) & 0xFF) == HANDSHAKE_CLIENT_HELLO;
    }

    /**
     * The length of the whole DTLS record starting at absolute index {@code pos} (header, CID and
     * fragment), or -1 if what is there cannot be framed as a record: shorter than its header or its
     * length field, not DTLS, or a tls12_cid record when we use no CID. The receiver's CID length
     * {@code cidLength} is needed because tls12_cid records do not carry it.
     */
    static int recordLength(ByteBuffer datagram, int pos, int cidLength) {
        int n = datagram.limit() - pos;
        if (n < HEADER_LENGTH) {
            return -1;
        }
        int type = datagram.get(pos) & 0xFF;
        if (type < 20 || type > 63 || (datagram.get(pos + 1) & 0xFF) != DTLS_MAJOR) {
            return -1;
        }
        int header = HEADER_LENGTH;
        if (type == CONTENT_TLS12_CID) {
            if (cidLength <= 0) {
                return -1;
            }
            header += cidLength;
            if (n < header) {
                return -1;
            }
        }
        int total = header + u16(datagram, pos + header - 2);
        return total <= n ? total : -1;
    }

    static int u16(ByteBuffer b, int index) {
        return ((b.get(index) & 0xFF) << 8) | (b.get(index + 1) & 0xFF);
    }
}

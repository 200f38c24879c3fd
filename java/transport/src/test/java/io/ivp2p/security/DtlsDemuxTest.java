package io.ivp2p.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class DtlsDemuxTest {

    private static ByteBuffer bytes(int... b) {
        ByteBuffer buf = ByteBuffer.allocate(b.length);
        for (int x : b) {
            buf.put((byte) x);
        }
        return buf.flip();
    }

    /** A tls12_cid record: CID c0 c1 c2 c3, epoch 1, sequence 7, three bytes of "ciphertext". */
    private static final int[] CID_RECORD = {
        25, 0xFE, 0xFD, 0x00, 0x01, 0, 0, 0, 0, 0, 7, 0xC0, 0xC1, 0xC2, 0xC3, 0x00, 0x03, 0xAA, 0xBB, 0xCC};

    @Test
    void theFirstByteSelectsStunDtlsOrOtherPerRfc7983() {
        int[][] expectations = {
            {0, 0}, {1, 0}, {3, 0}, {4, 2}, {16, 2}, {19, 2}, {20, 1}, {22, 1}, {25, 1}, {63, 1}, {64, 2}, {79, 2},
            {127, 2}, {128, 2}, {191, 2}, {255, 2}};
        DtlsDemux.Kind[] kinds = {DtlsDemux.Kind.STUN, DtlsDemux.Kind.DTLS, DtlsDemux.Kind.OTHER};
        for (int[] e : expectations) {
            assertEquals(kinds[e[1]], DtlsDemux.classify(bytes(e[0], 0, 0)), "first byte " + e[0]);
        }
        assertEquals(DtlsDemux.Kind.OTHER, DtlsDemux.classify(ByteBuffer.allocate(0)));
    }

    @Test
    void classifyReadsAtThePositionAndDoesNotMoveIt() {
        ByteBuffer b = bytes(200, 0x16, 0xFE);
        b.position(1);
        assertEquals(DtlsDemux.Kind.DTLS, DtlsDemux.classify(b));
        assertEquals(1, b.position());
    }

    @Test
    void theConnectionIdOfATls12CidRecordIsExtractedByteExact() {
        ByteBuffer b = bytes(CID_RECORD);
        assertArrayEquals(new byte[] {(byte) 0xC0, (byte) 0xC1, (byte) 0xC2, (byte) 0xC3}, DtlsDemux.connectionId(b, 4));
        assertEquals(0, b.position());
        assertArrayEquals(new byte[] {(byte) 0xC0, (byte) 0xC1}, DtlsDemux.connectionId(b, 2), "our length decides");
    }

    @Test
    void theConnectionIdIsFoundAtTheBuffersPosition() {
        ByteBuffer b = ByteBuffer.allocate(CID_RECORD.length + 5);
        b.put(new byte[] {9, 9, 9});
        for (int x : CID_RECORD) {
            b.put((byte) x);
        }
        b.flip().position(3);
        assertArrayEquals(new byte[] {(byte) 0xC0, (byte) 0xC1, (byte) 0xC2, (byte) 0xC3}, DtlsDemux.connectionId(b, 4));
        assertEquals(3, b.position());
    }

    @Test
    void noConnectionIdForOtherRecordsShortDatagramsOrALengthOfZero() {
        int[] appData = CID_RECORD.clone();
        appData[0] = 23;
        assertNull(DtlsDemux.connectionId(bytes(appData), 4));
        int[] notDtls = CID_RECORD.clone();
        notDtls[1] = 0x03;
        assertNull(DtlsDemux.connectionId(bytes(notDtls), 4));
        assertNull(DtlsDemux.connectionId(bytes(CID_RECORD), 0));
        int[] cut = java.util.Arrays.copyOf(CID_RECORD, 13 + 4 - 1);
        assertNull(DtlsDemux.connectionId(bytes(cut), 4), "header incomplete");
        assertNull(DtlsDemux.connectionId(ByteBuffer.allocate(0), 4));
    }

    /** Record header + handshake header of a ClientHello fragment with a 2-byte body. */
    private static final int[] MINIMAL_CLIENT_HELLO = {
        22, 0xFE, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x0E,
        1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2, 0xFE, 0xFD};

    @Test
    void aHandshakeRecordOfEpochZeroStartingWithClientHelloIsAClientHello() {
        assertTrue(DtlsDemux.isClientHello(bytes(MINIMAL_CLIENT_HELLO)));
        int[] serverHello = MINIMAL_CLIENT_HELLO.clone();
        serverHello[13] = 2;
        assertFalse(DtlsDemux.isClientHello(bytes(serverHello)));
        int[] epoch1 = MINIMAL_CLIENT_HELLO.clone();
        epoch1[4] = 1;
        assertFalse(DtlsDemux.isClientHello(bytes(epoch1)));
        int[] alert = MINIMAL_CLIENT_HELLO.clone();
        alert[0] = 21;
        assertFalse(DtlsDemux.isClientHello(bytes(alert)));
        int[] tls = MINIMAL_CLIENT_HELLO.clone();
        tls[1] = 0x03;
        assertFalse(DtlsDemux.isClientHello(bytes(tls)));
        int[] truncated = java.util.Arrays.copyOf(MINIMAL_CLIENT_HELLO, MINIMAL_CLIENT_HELLO.length - 1);
        assertFalse(DtlsDemux.isClientHello(bytes(truncated)), "length field says 14, 13 present");
        assertFalse(DtlsDemux.isClientHello(bytes(CID_RECORD)));
        assertFalse(DtlsDemux.isClientHello(ByteBuffer.allocate(0)));
    }

    @Test
    void aRealClientHelloFromBctlsIsRecognised() throws Exception {
        CompletableFuture<byte[]> first = new CompletableFuture<>();
        try (DtlsPair p = new DtlsPair()) {
            DtlsAssociation client = DtlsAssociation.client("alice", DtlsPair.key(1),
                    DtlsSettings.defaults().withHandshakeTimeouts(1_000, 200), DtlsPair.SERVER_ADDRESS, (d, to) -> {
                        byte[] b = new byte[d.remaining()];
                        d.get(b);
                        first.complete(b);
                    }, p.handshakeExecutor(), p.client.events());
            client.start();
            byte[] hello = first.get(DtlsPair.WAIT_SECONDS, TimeUnit.SECONDS);
            client.close();
            assertTrue(DtlsDemux.isClientHello(ByteBuffer.wrap(hello)));
            assertEquals(DtlsDemux.Kind.DTLS, DtlsDemux.classify(ByteBuffer.wrap(hello)));
            assertNull(DtlsDemux.connectionId(ByteBuffer.wrap(hello), 4));
        }
    }

    @Test
    void recordsOfADatagramAreFramedOneByOne() {
        ByteBuffer b = ByteBuffer.allocate(2 * CID_RECORD.length + 3);
        for (int i = 0; i < 2; i++) {
            for (int x : CID_RECORD) {
                b.put((byte) x);
            }
        }
        b.put(new byte[] {23, (byte) 0xFE, (byte) 0xFD}).flip();
        assertEquals(CID_RECORD.length, DtlsDemux.recordLength(b, 0, 4));
        assertEquals(CID_RECORD.length, DtlsDemux.recordLength(b, CID_RECORD.length, 4));
        assertEquals(-1, DtlsDemux.recordLength(b, 2 * CID_RECORD.length, 4), "a truncated tail");
        assertEquals(-1, DtlsDemux.recordLength(b, 0, 0), "a tls12_cid record when we use no CID");
        assertEquals(-1, DtlsDemux.recordLength(bytes(5, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0, 4), "STUN");
        assertEquals(13, DtlsDemux.recordLength(bytes(23, 0xFE, 0xFD, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0), 0, 4));
    }
}

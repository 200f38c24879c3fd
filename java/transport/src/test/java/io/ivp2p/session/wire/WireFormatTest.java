package io.ivp2p.session.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class WireFormatTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] bytes(Frame f) {
        ByteBuffer b = ByteBuffer.allocate(f.encodedSize());
        f.serialize(b);
        assertEquals(0, b.remaining(), "encodedSize matches what serialize writes");
        return b.array();
    }

    @Test
    void varintsUseTheRfc9000ExampleEncodings() {
        // RFC 9000 §A.1 sample encodings.
        long[] values = {37, 15293, 494878333, 151288809941952652L};
        String[] hex = {"25", "7bbd", "9d7f3e7d", "c2197c5eff14e88c"};
        for (int i = 0; i < values.length; i++) {
            ByteBuffer b = ByteBuffer.allocate(8);
            VarInt.write(b, values[i]);
            b.flip();
            byte[] out = new byte[b.remaining()];
            b.duplicate().get(out);
            assertEquals(hex[i], HEX.formatHex(out));
            assertEquals(values[i], VarInt.read(b));
        }
    }

    @Test
    void varintOutOfRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> VarInt.size(-1));
        assertThrows(IllegalArgumentException.class, () -> VarInt.size(VarInt.MAX + 1));
    }

    @Test
    void streamFrameIsByteExact() {
        StreamFrame f = new StreamFrame(3, 1000, ByteBuffer.wrap("abc".getBytes(StandardCharsets.US_ASCII)), true);
        assertEquals("0903" + "43e8" + "03" + "616263", HEX.formatHex(bytes(f)));
    }

    @Test
    void ackFrameWithGapsIsByteExactAndRoundTrips() {
        AckFrame ack = new AckFrame(250, List.of(new AckFrame.Range(8, 10), new AckFrame.Range(2, 5)));
        // type, largest 10, delay 250 (2 bytes), 1 more range, first range 2, gap 8-5-2=1, range 3
        assertEquals("02" + "0a" + "40fa" + "01" + "02" + "01" + "03", HEX.formatHex(bytes(ack)));
        Frame back = Frame.parse(ByteBuffer.wrap(bytes(ack)));
        assertEquals(ack, back);
        assertTrue(ack.acknowledges(9));
        assertTrue(ack.acknowledges(2));
        assertFalse(ack.acknowledges(6));
        assertFalse(ack.acknowledges(11));
    }

    @Test
    void everyFrameTypeRoundTripsInsideAPacket() {
        List<Frame> frames = List.of(
                new AckFrame(0, List.of(new AckFrame.Range(0, 0))),
                PingFrame.INSTANCE,
                new MaxStreamDataFrame(7, 1 << 20),
                new StreamFrame(0, 0, ByteBuffer.wrap(new byte[] {1, 2, 3}), false),
                new CloseFrame(2, "bye"),
                new PaddingFrame(5));
        Packet p = new Packet(123456, frames);
        Packet back = Packet.parse(ByteBuffer.wrap(p.toBytes()));
        assertEquals(p, back);
        assertEquals(p.encodedSize(), p.toBytes().length);
        assertTrue(p.ackEliciting());
        assertFalse(new Packet(1, List.of(new AckFrame(0, List.of(new AckFrame.Range(0, 0))))).ackEliciting());
    }

    @Test
    void ackRangesMustBeDescendingAndDisjoint() {
        assertThrows(IllegalArgumentException.class,
                () -> new AckFrame(0, List.of(new AckFrame.Range(2, 5), new AckFrame.Range(8, 10))));
        assertThrows(IllegalArgumentException.class,
                () -> new AckFrame(0, List.of(new AckFrame.Range(5, 10), new AckFrame.Range(2, 4))));
    }

    @Test
    void truncatedPacketsAreRejectedAtEveryLength() {
        byte[] whole = new Packet(77, List.of(
                new StreamFrame(1, 5000, ByteBuffer.wrap(new byte[100]), false),
                new AckFrame(9, List.of(new AckFrame.Range(3, 40), new AckFrame.Range(0, 1))))).toBytes();
        for (int len = 0; len < whole.length; len++) {
            ByteBuffer cut = ByteBuffer.wrap(whole, 0, len);
            try {
                Packet p = Packet.parse(cut);
                // A cut that ends exactly between frames parses as a shorter packet: fine.
                assertTrue(p.frames().size() >= 1);
            } catch (WireFormatException expected) {
                // the usual outcome
            }
        }
    }

    @Test
    void randomBytesNeverThrowAnythingButWireFormatException() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20000; i++) {
            byte[] junk = new byte[random.nextInt(0, 80)];
            for (int j = 0; j < junk.length; j++) {
                junk[j] = (byte) random.nextInt(256);
            }
            if (junk.length > 0 && random.nextBoolean()) {
                junk[0] = (byte) Packet.TYPE;
            }
            try {
                Packet.parse(ByteBuffer.wrap(junk));
            } catch (WireFormatException | IllegalArgumentException expected) {
                // dropped and counted by the session
            }
        }
    }

    @Test
    void unknownFrameTypeAndBadChannelAreRejected() {
        assertThrows(WireFormatException.class, () -> Packet.parse(ByteBuffer.wrap(HEX.parseHex("51007f"))));
        assertThrows(WireFormatException.class, () -> Packet.parse(ByteBuffer.wrap(HEX.parseHex("5100080800"))));
        assertThrows(WireFormatException.class, () -> Packet.parse(ByteBuffer.wrap(HEX.parseHex("5200"))));
        assertThrows(WireFormatException.class, () -> Packet.parse(ByteBuffer.wrap(HEX.parseHex("5100"))));
    }

    @Test
    void streamFrameDataIsAViewThatSerializeDoesNotConsume() {
        ByteBuffer data = ByteBuffer.wrap(new byte[] {9, 8, 7});
        StreamFrame f = new StreamFrame(2, 0, data, false);
        assertArrayEquals(bytes(f), bytes(f));
        assertEquals(3, f.data().remaining());
    }
}

package io.ivp2p.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Talk framing: u32 length | bytes, length 0 ends the talk; chunk boundaries survive any split. */
class TalkChunksTest {

    private static byte[] chunk(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(TalkChunks.header(data.length));
        out.writeBytes(data);
        return out.toByteArray();
    }

    @Test
    void theHeaderIsTheBigEndianLength() {
        assertArrayEquals(new byte[] {0, 0, 1, 2}, TalkChunks.header(258));
        assertArrayEquals(new byte[] {0, 0, 0, 0}, TalkChunks.header(0));
        assertArrayEquals(new byte[] {0, 1, 0, 0}, TalkChunks.header(TalkChunks.MAX_CHUNK));
    }

    @Test
    void theHeaderRefusesSizesOutsideTheLimit() {
        assertThrows(IllegalArgumentException.class, () -> TalkChunks.header(-1));
        assertThrows(IllegalArgumentException.class, () -> TalkChunks.header(TalkChunks.MAX_CHUNK + 1));
    }

    @Test
    void chunksKeepTheirBoundariesWhenTheStreamIsFedByteByByte() throws Exception {
        byte[] a = {1, 2, 3};
        byte[] b = new byte[1000];
        b[999] = 7;
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(chunk(a));
        wire.writeBytes(chunk(b));
        wire.writeBytes(TalkChunks.header(0));
        byte[] w = wire.toByteArray();
        TalkChunks d = new TalkChunks();
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < w.length; i++) {
            out.addAll(d.feed(w, i, 1));
        }
        assertEquals(3, out.size());
        assertArrayEquals(a, out.get(0));
        assertArrayEquals(b, out.get(1));
        assertEquals(0, out.get(2).length, "the end marker is an empty chunk");
    }

    @Test
    void aTalkCanFollowTheEndOfTheLastOneOnTheSameStream() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(chunk(new byte[] {1}));
        wire.writeBytes(TalkChunks.header(0));
        wire.writeBytes(chunk(new byte[] {2, 2}));
        byte[] w = wire.toByteArray();
        List<byte[]> out = new TalkChunks().feed(w, 0, w.length);
        assertEquals(3, out.size());
        assertArrayEquals(new byte[] {2, 2}, out.get(2));
    }

    @Test
    void everySplitPointGivesTheSameChunks() throws Exception {
        byte[] w = new byte[0];
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(chunk(new byte[] {9, 8, 7, 6, 5}));
        wire.writeBytes(chunk(new byte[] {4}));
        w = wire.toByteArray();
        for (int split = 0; split <= w.length; split++) {
            TalkChunks d = new TalkChunks();
            List<byte[]> out = new ArrayList<>(d.feed(w, 0, split));
            out.addAll(d.feed(w, split, w.length - split));
            assertEquals(2, out.size(), "split at " + split);
            assertArrayEquals(new byte[] {4}, out.get(1));
        }
    }

    @Test
    void aChunkOfExactlyTheMaximumIsAccepted() throws Exception {
        byte[] w = chunk(new byte[TalkChunks.MAX_CHUNK]);
        List<byte[]> out = new TalkChunks().feed(w, 0, w.length);
        assertEquals(1, out.size());
        assertEquals(TalkChunks.MAX_CHUNK, out.get(0).length);
    }

    @Test
    void aLengthAboveTheMaximumIsAProtocolError() {
        byte[] h = ByteBuffer.allocate(4).putInt(TalkChunks.MAX_CHUNK + 1).array();
        assertThrows(ControlProtocolException.class, () -> new TalkChunks().feed(h, 0, 4));
    }

    @Test
    void aLengthWithTheTopBitSetIsAProtocolError() {
        byte[] h = {(byte) 0x80, 0, 0, 0};
        ControlProtocolException e = assertThrows(ControlProtocolException.class,
                () -> new TalkChunks().feed(h, 0, 4));
        assertTrue(e.getMessage().contains("2147483648"), e.getMessage());
    }
}

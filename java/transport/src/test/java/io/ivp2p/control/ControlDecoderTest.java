package io.ivp2p.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The channel-0 frame codec: byte-exact encoding, any split of the byte stream, the limits. */
class ControlDecoderTest {

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static void assertSameFrame(ControlFrame expected, ControlFrame actual) {
        assertEquals(expected.type(), actual.type());
        assertEquals(expected.channel(), actual.channel());
        assertEquals(expected.requestId(), actual.requestId());
        assertArrayEquals(expected.payload(), actual.payload());
    }

    private static byte[] header(int type, int channel, int requestId, long length) {
        return ByteBuffer.allocate(ControlFrame.HEADER).put((byte) type).put((byte) channel).putShort((short) 0)
                .putInt(requestId).putInt((int) length).array();
    }

    @Test
    void encodingIsTheDocumentedTwelveByteHeaderThenThePayload() {
        byte[] wire = ControlFrame.of(FrameType.STREAM_OPEN, 3, 0x01020304, "action=live").encode();
        byte[] expected = concat(new byte[] {0x10, 3, 0, 0, 1, 2, 3, 4, 0, 0, 0, 11},
                "action=live".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(expected, wire);
    }

    @Test
    void aWholeFrameInOneFeedDecodesToTheSameFrame() throws Exception {
        ControlFrame f = ControlFrame.of(FrameType.COMMAND, 0, 7, "{\"cmd\":\"ptz\"}");
        List<ControlFrame> out = new ControlDecoder().feed(f.encode(), 0, f.encode().length);
        assertEquals(1, out.size());
        assertSameFrame(f, out.get(0));
    }

    @Test
    void framesFedOneByteAtATimeComeOutWholeAndInOrder() throws Exception {
        ControlFrame a = ControlFrame.of(FrameType.HELLO, 0, 1, "version=1");
        ControlFrame b = ControlFrame.withOffset(FrameType.STREAM_END, 5, 0, 123_456_789_012L, "firmware ended");
        ControlFrame c = ControlFrame.error(9, ControlError.CHANNEL_BUSY, "channel 1 busy");
        byte[] wire = concat(a.encode(), b.encode(), c.encode());
        ControlDecoder d = new ControlDecoder();
        List<ControlFrame> out = new ArrayList<>();
        for (int i = 0; i < wire.length; i++) {
            out.addAll(d.feed(wire, i, 1));
        }
        assertEquals(3, out.size());
        assertSameFrame(a, out.get(0));
        assertSameFrame(b, out.get(1));
        assertSameFrame(c, out.get(2));
        assertEquals(123_456_789_012L, out.get(1).offset());
        assertEquals("firmware ended", out.get(1).textAfterOffset());
        assertEquals(ControlError.CHANNEL_BUSY, out.get(2).errorCode());
        assertEquals("channel 1 busy", out.get(2).errorReason());
    }

    @Test
    void everySplitPointOfTwoFramesGivesTheSameTwoFrames() throws Exception {
        ControlFrame a = ControlFrame.of(FrameType.COMMAND_REPLY, 0, 42, "reply-bytes");
        ControlFrame b = ControlFrame.withOffset(FrameType.STREAM_OPENED, 1, 43, 4096, "");
        byte[] wire = concat(a.encode(), b.encode());
        for (int split = 0; split <= wire.length; split++) {
            ControlDecoder d = new ControlDecoder();
            List<ControlFrame> out = new ArrayList<>(d.feed(wire, 0, split));
            out.addAll(d.feed(wire, split, wire.length - split));
            assertEquals(2, out.size(), "split at " + split);
            assertSameFrame(a, out.get(0));
            assertSameFrame(b, out.get(1));
        }
    }

    @Test
    void aPartialFrameYieldsNothingUntilItsLastByte() throws Exception {
        byte[] wire = ControlFrame.of(FrameType.DEVICE_COMMAND, 0, 5, "abc").encode();
        ControlDecoder d = new ControlDecoder();
        assertTrue(d.feed(wire, 0, wire.length - 1).isEmpty());
        assertEquals(1, d.feed(wire, wire.length - 1, 1).size());
    }

    @Test
    void anEmptyPayloadEndingExactlyAtTheFeedBoundaryIsAFrame() throws Exception {
        ControlFrame close = new ControlFrame(FrameType.STREAM_CLOSE, 2, 11, null);
        byte[] wire = close.encode();
        assertEquals(ControlFrame.HEADER, wire.length);
        List<ControlFrame> out = new ControlDecoder().feed(wire, 0, wire.length);
        assertEquals(1, out.size());
        assertSameFrame(close, out.get(0));
    }

    @Test
    void aFrameOfExactlyTheMaximumPayloadIsAccepted() throws Exception {
        byte[] payload = new byte[ControlFrame.MAX_PAYLOAD];
        payload[payload.length - 1] = 9;
        ControlFrame f = new ControlFrame(FrameType.COMMAND_REPLY, 0, 3, payload);
        byte[] wire = f.encode();
        List<ControlFrame> out = new ControlDecoder().feed(wire, 0, wire.length);
        assertEquals(1, out.size());
        assertArrayEquals(payload, out.get(0).payload());
    }

    @Test
    void aLengthAboveTheMaximumIsAProtocolErrorBeforeAnyPayloadArrives() {
        byte[] h = header(FrameType.COMMAND.code(), 0, 1, ControlFrame.MAX_PAYLOAD + 1L);
        ControlProtocolException e = assertThrows(ControlProtocolException.class,
                () -> new ControlDecoder().feed(h, 0, h.length));
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
    }

    @Test
    void aLengthWithTheTopBitSetIsAProtocolErrorNotANegativeArray() {
        byte[] h = header(FrameType.COMMAND.code(), 0, 1, 0xFFFF_FFFFL);
        assertThrows(ControlProtocolException.class, () -> new ControlDecoder().feed(h, 0, h.length));
    }

    @Test
    void aChannelAboveSevenIsAProtocolError() {
        byte[] h = header(FrameType.STREAM_OPEN.code(), 8, 1, 0);
        assertThrows(ControlProtocolException.class, () -> new ControlDecoder().feed(h, 0, h.length));
    }

    @Test
    void anUnknownTypeIsSkippedWithItsPayloadAndTheNextFrameStillDecodes() throws Exception {
        byte[] unknown = concat(header(0x55, 0, 77, 5), new byte[] {1, 2, 3, 4, 5});
        ControlFrame next = ControlFrame.of(FrameType.COMMAND, 0, 78, "after");
        byte[] wire = concat(unknown, next.encode());
        ControlDecoder d = new ControlDecoder();
        List<ControlFrame> out = new ArrayList<>();
        for (int i = 0; i < wire.length; i += 3) {
            out.addAll(d.feed(wire, i, Math.min(3, wire.length - i)));
        }
        assertEquals(1, out.size());
        assertSameFrame(next, out.get(0));
        assertEquals(1, d.skipped());
    }

    @Test
    void feedHonoursOffsetAndLengthIntoALargerArray() throws Exception {
        byte[] wire = ControlFrame.of(FrameType.WELCOME, 0, 1, "version=1&device=cam_1&peer=u#1").encode();
        byte[] big = new byte[wire.length + 20];
        System.arraycopy(wire, 0, big, 7, wire.length);
        List<ControlFrame> out = new ControlDecoder().feed(big, 7, wire.length);
        assertEquals(1, out.size());
        assertEquals("version=1&device=cam_1&peer=u#1", out.get(0).text());
    }

    @Test
    void framesRefuseABadChannelOrAnOversizedPayloadWhenBuilt() {
        assertThrows(IllegalArgumentException.class, () -> new ControlFrame(FrameType.COMMAND, 8, 1, null));
        assertThrows(IllegalArgumentException.class, () -> new ControlFrame(FrameType.COMMAND, -1, 1, null));
        assertThrows(IllegalArgumentException.class,
                () -> new ControlFrame(FrameType.COMMAND, 0, 1, new byte[ControlFrame.MAX_PAYLOAD + 1]));
    }

    @Test
    void replyTypesAreExactlyTheOnesThatAnswerARequest() {
        for (FrameType t : FrameType.values()) {
            assertEquals(t, FrameType.of(t.code()));
        }
        assertTrue(FrameType.WELCOME.isReply() && FrameType.ERROR.isReply()
                && FrameType.DEVICE_COMMAND_UNHANDLED.isReply() && FrameType.STREAM_OPENED.isReply());
        assertTrue(!FrameType.STREAM_END.isReply() && !FrameType.DEVICE_COMMAND.isReply()
                && !FrameType.STREAM_CLOSE.isReply());
        assertEquals(null, FrameType.of(0x55));
        assertEquals(null, FrameType.of(256));
    }
}

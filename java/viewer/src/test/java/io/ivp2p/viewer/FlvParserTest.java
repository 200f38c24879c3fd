package io.ivp2p.viewer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class FlvParserTest {
    private final List<byte[]> headers = new ArrayList<>();
    private final List<FlvTag> tags = new ArrayList<>();
    private final FlvParser parser = new FlvParser(headers::add, tags::add);

    @Test
    void tagsComeOutWholeWhateverThePiecesAre() throws Exception {
        byte[] s = FlvTestData.stream(FlvTestData.metadata(), FlvTestData.avcConfig(0), FlvTestData.keyFrame(0),
                FlvTestData.audio(21), FlvTestData.interFrame(40), FlvTestData.keyFrame(0x01234567));
        for (int i = 0; i < s.length; i++) { // one byte at a time: every split point
            parser.feed(s, i, 1);
        }
        assertEquals(1, headers.size());
        assertArrayEquals(FlvTestData.HEADER, headers.get(0));
        assertEquals(6, tags.size());
        assertTrue(tags.get(0).isScript());
        assertTrue(tags.get(1).isSequenceHeader());
        assertFalse(tags.get(1).isKeyFrame(), "the AVC sequence header is not a picture");
        assertTrue(tags.get(2).isKeyFrame());
        assertTrue(tags.get(3).isAudio());
        assertFalse(tags.get(4).isKeyFrame());
        assertEquals(40, tags.get(4).timestamp());
        assertEquals(0x01234567, tags.get(5).timestamp(), "TimestampExtended holds the upper 8 bits");
    }

    @Test
    void encodingGivesBackTheSameBytes() throws Exception {
        byte[] s = FlvTestData.stream(FlvTestData.aacConfig(0), FlvTestData.keyFrame(1000), FlvTestData.audio(1010));
        parser.feed(s, 0, s.length);
        java.io.ByteArrayOutputStream again = new java.io.ByteArrayOutputStream();
        again.writeBytes(headers.get(0));
        tags.forEach(t -> again.writeBytes(t.encode()));
        assertArrayEquals(s, again.toByteArray());
    }

    @Test
    void theSampleClipParsesWithAKeyFrameEverySecond() throws Exception {
        Path clip = Path.of("../../examples/camera/media/clip_high.flv");
        byte[] b;
        try (InputStream in = Files.newInputStream(clip)) {
            b = in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError("the sample clip " + clip.toAbsolutePath() + " is missing", e);
        }
        for (int off = 0; off < b.length; off += 1500) {
            parser.feed(b, off, Math.min(1500, b.length - off));
        }
        long keys = tags.stream().filter(FlvTag::isKeyFrame).count();
        assertEquals(8, keys, "8 s clip, keyint 25 at 25 fps (docs/sample-camera.md); the closing end-of-sequence tag is none");
        assertEquals(2, tags.stream().filter(FlvTag::isSequenceHeader).count(), "AVC + AAC configuration");
    }

    @Test
    void notFlvIsRefused() {
        byte[] http = "HTTP/1.1 200 OK\r\n\r\n".getBytes();
        FlvParser.FlvFormatException e = assertThrows(FlvParser.FlvFormatException.class,
                () -> parser.feed(http, 0, http.length));
        assertTrue(e.getMessage().contains("not FLV"), e.getMessage());
    }

    @Test
    void anOversizedTagIsRefusedBeforeItIsBuffered() throws Exception {
        assertTagHeaderRefused(new byte[] {9, (byte) 0x7f, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0, 0, 0, 0}, "limit");
    }

    @Test
    void anUnknownTagTypeIsRefused() throws Exception {
        assertTagHeaderRefused(new byte[] {7, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0}, "tag type 7");
    }

    private void assertTagHeaderRefused(byte[] tagHeader, String why) throws Exception {
        parser.feed(FlvTestData.HEADER, 0, FlvTestData.HEADER.length);
        FlvParser.FlvFormatException e = assertThrows(FlvParser.FlvFormatException.class,
                () -> parser.feed(tagHeader, 0, tagHeader.length));
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }
}

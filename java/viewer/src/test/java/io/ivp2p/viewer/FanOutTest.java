package io.ivp2p.viewer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** What each client of the live relay receives, depending on when it joins. */
class FanOutTest {
    private final FanOut fan = new FanOut();

    /** Everything queued for {@code s}, parsed back into tags (the header is checked). */
    private static List<FlvTag> received(Subscriber s) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            byte[] b;
            while ((b = s.take(0)) != null) {
                all.writeBytes(b);
            }
        } catch (Subscriber.ClosedException e) {
            // closed: everything queued was taken
        }
        List<FlvTag> tags = new ArrayList<>();
        List<byte[]> headers = new ArrayList<>();
        FlvParser p = new FlvParser(headers::add, tags::add);
        byte[] bytes = all.toByteArray();
        p.feed(bytes, 0, bytes.length);
        assertEquals(1, headers.size(), "exactly one FLV header, first");
        return tags;
    }

    private void feedStart() {
        fan.header(FlvTestData.HEADER);
        fan.tag(FlvTestData.metadata());
        fan.tag(FlvTestData.avcConfig(0));
        fan.tag(FlvTestData.aacConfig(0));
    }

    @Test
    void aClientFromTheStartGetsTheStreamAsItCame() throws Exception {
        Subscriber s = new Subscriber("a", 1 << 20);
        fan.join(s);
        feedStart();
        fan.tag(FlvTestData.keyFrame(0));
        fan.tag(FlvTestData.audio(10));
        fan.tag(FlvTestData.interFrame(40));
        List<FlvTag> got = received(s);
        assertEquals(6, got.size());
        assertTrue(got.get(0).isScript());
        assertTrue(got.get(3).isKeyFrame());
        assertEquals(40, got.get(5).timestamp());
    }

    @Test
    void aLateClientStartsAtTheLastKeyFrameWithTheConfigurations() throws Exception {
        feedStart();
        fan.tag(FlvTestData.keyFrame(0));
        fan.tag(FlvTestData.interFrame(40));
        fan.tag(FlvTestData.keyFrame(1000));
        fan.tag(FlvTestData.audio(1010));
        fan.tag(FlvTestData.interFrame(1040));
        Subscriber late = new Subscriber("late", 1 << 20);
        fan.join(late);
        fan.tag(FlvTestData.interFrame(1080));
        List<FlvTag> got = received(late);
        assertEquals(7, got.size(), got.toString());
        assertTrue(got.get(0).isScript());
        assertTrue(got.get(1).isSequenceHeader() && got.get(1).isVideo());
        assertTrue(got.get(2).isSequenceHeader() && got.get(2).isAudio());
        for (int i = 0; i < 3; i++) {
            assertEquals(1000, got.get(i).timestamp(), "configurations carry the GOP's timestamp");
        }
        assertTrue(got.get(3).isKeyFrame());
        assertEquals(1000, got.get(3).timestamp(), "timestamps are the camera's");
        assertEquals(1080, got.get(6).timestamp());
    }

    @Test
    void aClientJoiningBeforeAnyKeyFrameWaitsForOne() throws Exception {
        feedStart();
        Subscriber s = new Subscriber("early", 1 << 20);
        fan.join(s);
        fan.tag(FlvTestData.interFrame(40)); // a P frame it could not decode: not sent
        fan.tag(FlvTestData.audio(50));
        fan.tag(FlvTestData.keyFrame(1000));
        List<FlvTag> got = received(s);
        assertEquals(4, got.size(), got.toString());
        assertTrue(got.get(3).isKeyFrame());
    }

    @Test
    void newConfigurationsMidStreamReachClientsAndLaterJoiners() throws Exception {
        feedStart();
        fan.tag(FlvTestData.keyFrame(0));
        FlvTag lowClip = new FlvTag(FlvTag.VIDEO, 2000, new byte[] {0x17, 0, 0, 0, 0, 1, 0x4d});
        Subscriber s = new Subscriber("a", 1 << 20);
        fan.join(s);
        fan.tag(lowClip); // the camera switched clips: new SPS/PPS before the next key frame
        fan.tag(FlvTestData.keyFrame(2000));
        Subscriber late = new Subscriber("late", 1 << 20);
        fan.join(late);
        assertArrayEquals(lowClip.data(), received(late).get(1).data(), "the latest configuration");
        assertTrue(received(s).stream().anyMatch(t -> java.util.Arrays.equals(t.data(), lowClip.data())));
    }

    @Test
    void aClientThatFallsBehindIsDroppedAndTheOthersGoOn() throws Exception {
        Subscriber slow = new Subscriber("slow", 200);
        Subscriber fast = new Subscriber("fast", 1 << 20);
        fan.join(slow);
        fan.join(fast);
        feedStart();
        for (int i = 0; i < 20; i++) {
            fan.tag(FlvTestData.interFrame(i * 40));
        }
        assertTrue(slow.isClosed());
        assertEquals(1, fan.size());
        Subscriber.ClosedException e = assertThrows(Subscriber.ClosedException.class, () -> {
            while (slow.take(0) != null) {
                // what it had queued before the drop
            }
        });
        assertTrue(e.getMessage().contains("behind"), e.getMessage());
        assertEquals(3 + 20, received(fast).size());
    }

    @Test
    void endAllEndsEveryClientAfterWhatIsQueued() throws Exception {
        Subscriber s = new Subscriber("a", 1 << 20);
        fan.join(s);
        feedStart();
        fan.endAll("the camera went away");
        assertEquals(0, fan.size());
        assertEquals(3, received(s).size(), "queued data still comes");
        assertThrows(Subscriber.ClosedException.class, () -> s.take(0));
        assertFalse(fan.leave(s));
    }

    @Test
    void aNewStreamAfterResetPrimesJoinersFromItsOwnStart() throws Exception {
        feedStart();
        fan.tag(FlvTestData.keyFrame(5000));
        fan.reset();
        Subscriber s = new Subscriber("a", 1 << 20);
        fan.join(s); // nothing cached: it gets the new stream from its header
        feedStart();
        fan.tag(FlvTestData.keyFrame(0));
        List<FlvTag> got = received(s);
        assertEquals(4, got.size());
        assertEquals(0, got.get(3).timestamp());
    }
}

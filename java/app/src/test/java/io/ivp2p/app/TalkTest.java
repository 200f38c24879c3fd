package io.ivp2p.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.ivp2p.control.TalkChunks;

/** Talk: each send is one chunk the device receives whole; stopTalk is the end marker. */
class TalkTest extends ConnectedAppTest {
    private FakeDevice.TalkEvent next() throws InterruptedException {
        FakeDevice.TalkEvent e = onDevice.talk.poll(10, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no talk chunk reached the device within 10 s");
        }
        return e;
    }

    @Test
    void eachSendIsOneChunkAndStopTalkEndsIt() throws Exception {
        app.startTalk(h, 2, "codec=aac&rate=16000", TIMEOUT);
        byte[][] chunks = {{1}, FakeDevice.pattern(2, 0, 1000), FakeDevice.pattern(3, 0, TalkChunks.MAX_CHUNK)};
        for (byte[] c : chunks) {
            assertEquals(c.length, app.sendTalk(h, 2, c, c.length, TIMEOUT));
        }
        app.stopTalk(h, 2, TIMEOUT);
        for (byte[] c : chunks) {
            FakeDevice.TalkEvent e = next();
            assertEquals(2, e.channel());
            assertArrayEquals(c, e.data());
        }
        assertEquals(0, next().data().length, "the end marker");
    }

    @Test
    void aSecondTalkFollowsOnTheSameChannel() throws Exception {
        app.startTalk(h, 2, "first", TIMEOUT);
        app.send(h, 2, new byte[] {7}, 1, TIMEOUT);
        app.stopTalk(h, 2, TIMEOUT);
        app.startTalk(h, 2, "second", TIMEOUT);
        app.send(h, 2, new byte[] {8, 8}, 2, TIMEOUT);
        app.stopTalk(h, 2, TIMEOUT);
        assertArrayEquals(new byte[] {7}, next().data());
        assertEquals(0, next().data().length);
        assertArrayEquals(new byte[] {8, 8}, next().data());
        assertEquals(0, next().data().length);
    }

    @Test
    void chunksOutsideOneTo64KiBAreInvalid() throws Exception {
        app.startTalk(h, 2, "talk", TIMEOUT);
        byte[] big = new byte[TalkChunks.MAX_CHUNK + 1];
        assertEquals(P2pError.INVALID_PARAMETER, app.sendTalk(h, 2, big, big.length, TIMEOUT));
        assertEquals(P2pError.INVALID_PARAMETER, app.sendTalk(h, 2, big, 0, TIMEOUT), "0 would end the talk");
        assertEquals(10, app.sendTalk(h, 2, big, 10, TIMEOUT));
        assertEquals(10, next().data().length, "the refused ones sent nothing");
    }

    @Test
    void aRefusedTalkIsStreamRefused() {
        device.refuseTalk = true;
        assertEquals(P2pError.STREAM_REFUSED, assertThrows(P2pException.class,
                () -> app.startTalk(h, 2, "talk", TIMEOUT)).code());
    }

    @Test
    void stopTalkWithoutTalkIsInvalidAndTalkOnABusyChannelIsRefused() throws Exception {
        assertEquals(P2pError.INVALID_PARAMETER, assertThrows(P2pException.class,
                () -> app.stopTalk(h, 2, TIMEOUT)).code());
        app.startTalk(h, 2, "talk", TIMEOUT);
        assertEquals(P2pError.CHANNEL_BUSY, assertThrows(P2pException.class,
                () -> app.startTalk(h, 2, "again", TIMEOUT)).code());
        assertEquals(P2pError.CHANNEL_BUSY, assertThrows(P2pException.class,
                () -> app.openStream(h, 2, "mode=endless", TIMEOUT)).code());
    }
}

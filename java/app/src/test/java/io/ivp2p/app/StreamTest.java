package io.ivp2p.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.ivp2p.control.ControlFrame;
import io.ivp2p.control.FrameType;

/** Streams on channels 1..7: offsets, the end, close and reopen, refusals, reads and their codes. */
class StreamTest extends ConnectedAppTest {
    /** Reads until STREAM_ENDED (or {@code max} bytes); fails on any other code. */
    private byte[] readToEnd(int channel, int max) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[7000];
        while (out.size() < max) {
            int n = app.read(h, channel, buf, 0, Math.min(buf.length, max - out.size()), TIMEOUT);
            if (n == P2pError.STREAM_ENDED) {
                return out.toByteArray();
            }
            assertTrue(n > 0, "read: " + P2pError.describe(n) + " after " + out.size() + " bytes");
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void aStreamIsReadToItsEndAndThenReportsStreamEnded() throws Exception {
        app.openStream(h, 1, "mode=fixed&bytes=300000&tag=1", TIMEOUT);
        byte[] got = readToEnd(1, Integer.MAX_VALUE);
        assertArrayEquals(FakeDevice.pattern(1, 0, 300_000), got);
        byte[] buf = new byte[10];
        assertEquals(P2pError.STREAM_ENDED, app.read(h, 1, buf, 100));
        assertEquals(P2pError.STREAM_ENDED, app.read(h, 1, buf, 0), "and stays ended");
    }

    @Test
    void aStreamThatEndsAtOnceIsEndedNotATimeout() throws Exception {
        // STREAM_OPENED and STREAM_END back to back: the end must not be applied before the open.
        for (int i = 0; i < 20; i++) {
            app.openStream(h, 1, "mode=fixed&bytes=0&tag=1", TIMEOUT);
            assertEquals(P2pError.STREAM_ENDED, app.read(h, 1, new byte[10], TIMEOUT), "round " + i);
        }
    }

    @Test
    void closingAStreamDeliversItsRemainingBytesThenTheEnd() throws Exception {
        app.openStream(h, 3, "mode=endless&tag=5", TIMEOUT);
        byte[] first = new byte[50_000];
        int got = 0;
        while (got < first.length) {
            int n = app.read(h, 3, first, got, first.length - got, TIMEOUT);
            assertTrue(n > 0, P2pError.describe(n));
            got += n;
        }
        app.closeStream(h, 3);
        byte[] rest = readToEnd(3, Integer.MAX_VALUE);
        assertArrayEquals(FakeDevice.pattern(5, 0, first.length + rest.length),
                FakeDevice.concat(first, rest), "nothing lost or doubled up to the end offset");
        assertEquals(P2pError.STREAM_ENDED, app.read(h, 3, new byte[1], 100));
    }

    @Test
    void leftoverBytesOfAClosedStreamAreDroppedAndTheChannelReopens() throws Exception {
        app.openStream(h, 1, "mode=endless&tag=1", TIMEOUT);
        byte[] one = new byte[1];
        assertEquals(1, app.read(h, 1, one, TIMEOUT));
        app.closeStream(h, 1);
        // Not reading the rest: up to a flow-control window of stream 1 is still buffered.
        app.openStream(h, 1, "mode=fixed&bytes=100000&tag=2", TIMEOUT);
        byte[] second = readToEnd(1, Integer.MAX_VALUE);
        assertArrayEquals(FakeDevice.pattern(2, 0, 100_000), second, "only stream 2's bytes");
        assertEquals(P2pError.STREAM_ENDED, app.read(h, 1, one, 100));
        app.openStream(h, 1, "mode=fixed&bytes=10&tag=3", TIMEOUT);
        assertArrayEquals(FakeDevice.pattern(3, 0, 10), readToEnd(1, Integer.MAX_VALUE));
    }

    @Test
    void streamsOnSeveralChannelsAreReadConcurrently() throws Exception {
        int[] channels = {1, 3, 5, 7};
        CompletableFuture<?>[] readers = new CompletableFuture<?>[channels.length];
        for (int i = 0; i < channels.length; i++) {
            int c = channels[i];
            app.openStream(h, c, "mode=fixed&bytes=500000&tag=" + c, TIMEOUT);
            readers[i] = CompletableFuture.supplyAsync(() -> readToEnd(c, Integer.MAX_VALUE));
        }
        for (int i = 0; i < channels.length; i++) {
            assertArrayEquals(FakeDevice.pattern(channels[i], 0, 500_000),
                    (byte[]) readers[i].get(60, TimeUnit.SECONDS), "channel " + channels[i]);
        }
    }

    @Test
    void aReadWithNothingToReadTimesOut() {
        assertEquals(P2pError.TIME_OUT, app.read(h, 2, new byte[16], 100));
        assertEquals(P2pError.TIME_OUT, app.read(h, 2, new byte[16], 0));
    }

    @Test
    void aRefusedStreamIsStreamRefusedAndTheChannelStaysUsable() throws Exception {
        P2pException e = assertThrows(P2pException.class, () -> app.openStream(h, 1, "mode=refuse", TIMEOUT));
        assertEquals(P2pError.STREAM_REFUSED, e.code());
        app.openStream(h, 1, "mode=fixed&bytes=5&tag=1", TIMEOUT);
        assertArrayEquals(FakeDevice.pattern(1, 0, 5), readToEnd(1, Integer.MAX_VALUE));
    }

    @Test
    void deviceErrorsMapToTheirCodes() {
        assertEquals(P2pError.DEVICE_BUSY, assertThrows(P2pException.class,
                () -> app.openStream(h, 1, "mode=error&code=2", TIMEOUT)).code());
        assertEquals(P2pError.CHANNEL_BUSY, assertThrows(P2pException.class,
                () -> app.openStream(h, 1, "mode=error&code=4", TIMEOUT)).code());
        assertEquals(P2pError.INVALID_PARAMETER, assertThrows(P2pException.class,
                () -> app.openStream(h, 1, "mode=error&code=1", TIMEOUT)).code());
    }

    @Test
    void aSecondStreamOnABusyChannelIsRefusedLocally() throws Exception {
        app.openStream(h, 1, "mode=endless&tag=1", TIMEOUT);
        assertEquals(P2pError.CHANNEL_BUSY, assertThrows(P2pException.class,
                () -> app.openStream(h, 1, "mode=endless&tag=2", TIMEOUT)).code());
        assertEquals(P2pError.CHANNEL_BUSY, assertThrows(P2pException.class,
                () -> app.startTalk(h, 1, "talk", TIMEOUT)).code());
    }

    @Test
    void anOpenWithoutAReplyTimesOutAndALateGrantIsUndone() throws Exception {
        FakeDevice.DeviceSession s = onDevice;
        assertEquals(P2pError.TIME_OUT, assertThrows(P2pException.class,
                () -> app.openStream(h, 4, "mode=mute", 300)).code());
        // The device grants it after all: the app, which gave up, closes it.
        ControlFrame open = null;
        while (open == null || open.type() != FrameType.STREAM_OPEN) {
            open = s.requests.poll(10, TimeUnit.SECONDS);
        }
        s.send(ControlFrame.withOffset(FrameType.STREAM_OPENED, 4, open.requestId(), 0, ""));
        ControlFrame close = null;
        while (close == null || close.type() != FrameType.STREAM_CLOSE) {
            close = s.requests.poll(10, TimeUnit.SECONDS);
            assertTrue(close != null, "the app closes the stream it gave up on");
        }
        assertEquals(4, close.channel());
    }

    @Test
    void rawBytesOnAChannelWithoutAStreamAreReadAsTheyCome() throws Exception {
        FakeDevice.DeviceSession s = onDevice;
        byte[] raw = "pass-through".getBytes();
        assertEquals(raw.length, s.handle.write(4, raw, 0, raw.length, 5000));
        byte[] buf = new byte[64];
        int n = app.read(h, 4, buf, TIMEOUT);
        assertEquals(raw.length, n);
        byte[] toDevice = "and back".getBytes();
        assertEquals(toDevice.length, app.send(h, 4, toDevice, toDevice.length, TIMEOUT));
        byte[] got = new byte[toDevice.length];
        assertEquals(toDevice.length, s.handle.read(4, got, 0, got.length, 5000));
        assertArrayEquals(toDevice, got);
    }

    @Test
    void channelAndBufferArgumentsAreChecked() {
        byte[] buf = new byte[8];
        assertEquals(P2pError.INVALID_PARAMETER, app.read(h, 0, buf, 100), "channel 0 is the control channel");
        assertEquals(P2pError.INVALID_PARAMETER, app.read(h, 8, buf, 100));
        assertEquals(P2pError.INVALID_PARAMETER, app.read(h, -1, buf, 100));
        assertEquals(P2pError.INVALID_PARAMETER, app.read(h, 1, null, 100));
        assertEquals(P2pError.INVALID_PARAMETER, app.read(h, 1, buf, 4, 5, 100));
        assertEquals(P2pError.INVALID_PARAMETER, app.read(h, 1, buf, -1, 2, 100));
        assertEquals(P2pError.INVALID_PARAMETER, app.read(h, 1, buf, 0, 0, 100));
        assertEquals(P2pError.INVALID_PARAMETER, app.read(h, 1, buf, -5));
        assertEquals(P2pError.INVALID_PARAMETER, app.send(h, 0, buf, 8, 100));
        assertEquals(P2pError.INVALID_PARAMETER, app.send(h, 1, buf, 9, 100));
        assertEquals(P2pError.INVALID_PARAMETER, app.send(h, 1, buf, -1, 100));
        assertEquals(P2pError.INVALID_PARAMETER, app.send(h, 1, null, 0, 100));
        assertEquals(0, app.send(h, 1, buf, 0, 100));
        assertEquals(P2pError.INVALID_PARAMETER, assertThrows(P2pException.class,
                () -> app.openStream(h, 0, "x", TIMEOUT)).code());
        assertEquals(P2pError.INVALID_PARAMETER, assertThrows(P2pException.class,
                () -> app.openStream(h, 1, null, TIMEOUT)).code());
        assertEquals(P2pError.INVALID_PARAMETER, assertThrows(P2pException.class,
                () -> app.openStream(h, 1, "x", 0)).code());
        assertEquals(P2pError.INVALID_PARAMETER, assertThrows(P2pException.class,
                () -> app.closeStream(h, 9)).code());
        assertEquals(P2pError.INVALID_SESSION_HANDLE, app.read(h + 100, 1, buf, 100));
    }
}

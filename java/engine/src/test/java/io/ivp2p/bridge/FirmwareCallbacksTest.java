package io.ivp2p.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * FirmwareCallbacks through the real JNA call path: the "firmware" is {@link FakeFirmware}, whose
 * JNA callbacks have native function pointers exactly like C functions would.
 */
class FirmwareCallbacksTest {

    private static final long HANDLE = 0x7ffd_1234_5678_9ab0L;
    private static final long OTHER_HANDLE = 0x0000_5555_0000_0010L;

    private FirmwareCallbacks fw;
    private Memory data;

    @BeforeEach
    void setUp() {
        FakeFirmware.reset();
        fw = new FirmwareCallbacks(FakeFirmware.allCallbacks());
        data = new Memory(16);
        for (int i = 0; i < 16; i++) {
            data.setByte(i, (byte) (0xF0 + i));
        }
    }

    @AfterEach
    void tearDown() {
        data.close();
        FakeFirmware.reset();
    }

    private long dataAddress() {
        return Pointer.nativeValue(data);
    }

    // ---- send_init ----

    @Test
    void sendInitPassesParamsAndPeerAndReturnsTheHandleExactly() {
        FakeFirmware.sendInitResult = HANDLE;
        long h = fw.sendInit("action=live&channel=0&quality=high", "peer_A1");
        assertEquals(HANDLE, h);
        List<FakeFirmware.Call> calls = FakeFirmware.calls("send_init");
        assertEquals(1, calls.size());
        assertEquals("action=live&channel=0&quality=high", calls.get(0).arg(0));
        assertEquals("peer_A1", calls.get(0).arg(1));
    }

    @Test
    void sendInitReturningNullMeansRefusedAndReadsAsZero() {
        assertEquals(0, fw.sendInit("action=playback&channel=0", "p"));
        assertEquals(1, FakeFirmware.calls("send_init").size());
    }

    @Test
    void theFirmwareCallbackRunsInsideTheGate() {
        fw.sendInit("a=b", "p");
        assertEquals(Boolean.TRUE, FakeFirmware.calls("send_init").get(0).arg(2));
        assertFalse(CallbackGate.insideCallback());
    }

    // ---- send_get and buf_free_fn ----

    @Test
    void sendGetPassesTheHandleAndReturnsBufSizeAndFreeFn() {
        FakeFirmware.sendGetReply = new FakeFirmware.Reply(dataAddress(), 16, FakeFirmware.BUF_FREE_FN);
        FirmwareBuffer b = fw.sendGet(HANDLE);
        assertEquals(HANDLE, FakeFirmware.calls("send_get").get(0).arg(0));
        assertEquals(dataAddress(), b.address());
        assertEquals(16, b.size());
        assertTrue(b.hasData());
        assertFalse(b.isEnd());
        assertArrayEquals(data.getByteArray(0, 16), b.copy());
        ByteBuffer view = b.view();
        assertEquals(16, view.remaining());
        assertTrue(view.isReadOnly());
        assertEquals((byte) 0xF3, view.get(3));
        b.release();
    }

    @Test
    void sendGetWithANullHandlePassesNull() {
        fw.sendGet(0);
        assertEquals(0L, FakeFirmware.calls("send_get").get(0).arg(0));
    }

    @Test
    void releaseCallsTheFreeFnExactlyOnceWithBufAndSizeEvenWhenCalledTwice() {
        FakeFirmware.sendGetReply = new FakeFirmware.Reply(dataAddress(), 16, FakeFirmware.BUF_FREE_FN);
        FirmwareBuffer b = fw.sendGet(HANDLE);
        assertTrue(FakeFirmware.calls("buf_free").isEmpty(), "nothing is freed before release");
        b.release();
        b.release();
        List<FakeFirmware.Call> frees = FakeFirmware.calls("buf_free");
        assertEquals(1, frees.size());
        assertEquals(List.of(dataAddress(), 16L), frees.get(0).args());
        assertTrue(b.isReleased());
    }

    @Test
    void readingAReleasedBufferIsRefused() {
        FakeFirmware.sendGetReply = new FakeFirmware.Reply(dataAddress(), 16, FakeFirmware.BUF_FREE_FN);
        FirmwareBuffer b = fw.sendGet(HANDLE);
        b.release();
        assertThrows(IllegalStateException.class, b::copy);
        assertThrows(IllegalStateException.class, b::view);
    }

    @Test
    void noFreeIsCalledWhenTheFreeFnIsNull() {
        FakeFirmware.sendGetReply = new FakeFirmware.Reply(dataAddress(), 16, 0);
        FirmwareBuffer b = fw.sendGet(HANDLE);
        assertTrue(b.hasData());
        b.release();
        assertTrue(FakeFirmware.calls("buf_free").isEmpty());
        assertTrue(b.isReleased());
    }

    @Test
    void noFreeIsCalledForANullBufEvenWithAFreeFn() {
        FakeFirmware.sendGetReply = new FakeFirmware.Reply(0, 0, FakeFirmware.BUF_FREE_FN);
        fw.sendGet(HANDLE).release();
        assertTrue(FakeFirmware.calls("buf_free").isEmpty());
    }

    @Test
    void nullBufWithSizeMaxIsTheEndOfTheStream() {
        FakeFirmware.sendGetReply = new FakeFirmware.Reply(0, SizeT.MAX, 0);
        FirmwareBuffer b = fw.sendGet(HANDLE);
        assertTrue(b.isEnd());
        assertFalse(b.hasData());
        assertEquals(SizeT.MAX, b.size());
    }

    @Test
    void nullBufWithSizeZeroIsNoDataNowAndNotTheEnd() {
        FirmwareBuffer b = fw.sendGet(HANDLE);
        assertFalse(b.isEnd());
        assertFalse(b.hasData());
        assertThrows(IllegalStateException.class, b::copy);
    }

    // ---- send_stop ----

    @Test
    void sendStopPassesTheHandle() {
        fw.sendStop(OTHER_HANDLE);
        assertEquals(List.of(OTHER_HANDLE), FakeFirmware.calls("send_stop").get(0).args());
    }

    // ---- event_notify ----

    @Test
    void nonWatermarkEventArrivesWithItsCodeAndANullHandle() {
        fw.eventNotify(IvEvent.PEER_ADDR_CHANGED, 0);
        List<FakeFirmware.Call> events = FakeFirmware.calls("event_notify");
        assertEquals(1, events.size());
        assertEquals(List.of(3, 0L), events.get(0).args());
    }

    @Test
    void watermarkEventArrivesWithItsCodeAndTheStreamHandle() {
        fw.eventNotify(IvEvent.WATERMARK_HIGH, HANDLE);
        assertEquals(List.of(6, HANDLE), FakeFirmware.calls("event_notify").get(0).args());
    }

    @Test
    void aStreamHandleWithANonWatermarkEventIsRefusedBeforeTheFirmwareIsCalled() {
        assertThrows(IllegalArgumentException.class, () -> fw.eventNotify(IvEvent.PEER_READY, HANDLE));
        assertTrue(FakeFirmware.calls("event_notify").isEmpty());
    }

    @Test
    void withoutEventNotifyNoEventIsDelivered() {
        P2pParams.Callbacks all = FakeFirmware.allCallbacks();
        FirmwareCallbacks noEvents = new FirmwareCallbacks(new P2pParams.Callbacks(all.sendInit(),
                all.sendGet(), all.sendStop(), 0, all.recvInit(), all.recvVoice(), all.command()));
        assertFalse(noEvents.hasEventNotify());
        noEvents.eventNotify(IvEvent.PEER_READY, 0);
        assertTrue(FakeFirmware.calls().isEmpty());
    }

    // ---- recv_init / recv_voice ----

    @Test
    void recvInitPassesParamsAndPeerAndReturnsTheHandleExactly() {
        FakeFirmware.recvInitResult = OTHER_HANDLE;
        assertTrue(fw.acceptsTalk());
        assertEquals(OTHER_HANDLE, fw.recvInit("action=voice&channel=0", "peer_B"));
        assertEquals(List.of("action=voice&channel=0", "peer_B"), FakeFirmware.calls("recv_init").get(0).args());
    }

    @Test
    void recvVoicePassesTheHandleAndExactlyTheRequestedSlice() {
        byte[] audio = {9, 8, 7, 6, 5, 4, 3};
        fw.recvVoice(OTHER_HANDLE, audio, 2, 4);
        FakeFirmware.Call c = FakeFirmware.calls("recv_voice").get(0);
        assertEquals(OTHER_HANDLE, c.arg(0));
        assertTrue((Long) c.arg(1) != 0L, "an audio chunk has a buffer");
        assertEquals(4L, c.arg(2));
        assertArrayEquals(new byte[] {7, 6, 5, 4}, (byte[]) c.arg(3));
    }

    @Test
    void recvVoiceEndIsNullAndZero() {
        fw.recvVoiceEnd(OTHER_HANDLE);
        FakeFirmware.Call c = FakeFirmware.calls("recv_voice").get(0);
        assertEquals(OTHER_HANDLE, c.arg(0));
        assertEquals(0L, c.arg(1));
        assertEquals(0L, c.arg(2));
        assertNull(c.arg(3));
    }

    @Test
    void anEmptyAudioChunkIsRefusedBecauseNullZeroIsTheEndMarker() {
        assertThrows(IllegalArgumentException.class, () -> fw.recvVoice(OTHER_HANDLE, new byte[4], 0, 0));
        assertTrue(FakeFirmware.calls("recv_voice").isEmpty());
    }

    @Test
    void withoutTalkCallbacksRecvInitRefusesAndVoiceIsDropped() {
        P2pParams.Callbacks all = FakeFirmware.allCallbacks();
        FirmwareCallbacks noTalk = new FirmwareCallbacks(new P2pParams.Callbacks(all.sendInit(),
                all.sendGet(), all.sendStop(), all.eventNotify(), 0, 0, all.command()));
        assertFalse(noTalk.acceptsTalk());
        assertEquals(0, noTalk.recvInit("action=voice", "p"));
        noTalk.recvVoice(1, new byte[] {1}, 0, 1);
        noTalk.recvVoiceEnd(1);
        assertTrue(FakeFirmware.calls().isEmpty());
    }

    // ---- command ----

    @Test
    void commandPassesBytesLengthAndPeerWithATrailingNulAtBufLen() {
        FakeFirmware.commandReply = new FakeFirmware.Reply(dataAddress(), 5, FakeFirmware.BUF_FREE_FN);
        byte[] cmd = "get_status".getBytes(StandardCharsets.US_ASCII);
        FirmwareBuffer reply = fw.command(cmd, "peer_C");
        FakeFirmware.Call c = FakeFirmware.calls("command").get(0);
        byte[] seen = (byte[]) c.arg(0);
        assertArrayEquals(cmd, java.util.Arrays.copyOf(seen, cmd.length));
        assertEquals(0, seen[cmd.length], "buf[len] must be NUL");
        assertEquals((long) cmd.length, c.arg(1));
        assertEquals("peer_C", c.arg(2));
        assertEquals(dataAddress(), reply.address());
        assertEquals(5, reply.size());
        assertArrayEquals(data.getByteArray(0, 5), reply.copy());
        reply.release();
        assertEquals(List.of(dataAddress(), 5L), FakeFirmware.calls("buf_free").get(0).args());
    }

    @Test
    void commandBytesMayContainNulsAndTheLengthStillCountsThemAll() {
        byte[] cmd = {'a', 0, 'b'};
        fw.command(cmd, "p");
        FakeFirmware.Call c = FakeFirmware.calls("command").get(0);
        assertArrayEquals(new byte[] {'a', 0, 'b', 0}, (byte[]) c.arg(0));
        assertEquals(3L, c.arg(1));
    }

    @Test
    void commandWithoutCommandCbIsAnEmptyReply() {
        P2pParams.Callbacks all = FakeFirmware.allCallbacks();
        FirmwareCallbacks noCommand = new FirmwareCallbacks(new P2pParams.Callbacks(all.sendInit(),
                all.sendGet(), all.sendStop(), all.eventNotify(), all.recvInit(), all.recvVoice(), 0));
        assertFalse(noCommand.hasCommand());
        FirmwareBuffer reply = noCommand.command("x".getBytes(StandardCharsets.US_ASCII), "p");
        assertEquals(0, reply.address());
        assertEquals(0, reply.size());
        assertFalse(reply.hasData());
        assertFalse(reply.isEnd());
        reply.release();
        assertTrue(FakeFirmware.calls().isEmpty());
    }

    // ---- after exit ----

    @Test
    void afterTheGateClosesEveryCallThrowsAndNoCallbackRuns() throws InterruptedException {
        assertTrue(fw.gate().close(1000));
        List<Executable> calls = List.of(
                () -> fw.sendInit("a=b", "p"),
                () -> fw.sendGet(HANDLE),
                () -> fw.sendStop(HANDLE),
                () -> fw.eventNotify(IvEvent.PEER_READY, 0),
                () -> fw.recvInit("a=b", "p"),
                () -> fw.recvVoice(HANDLE, new byte[] {1, 2}, 0, 2),
                () -> fw.recvVoiceEnd(HANDLE),
                () -> fw.command(new byte[] {'c'}, "p"));
        for (Executable call : calls) {
            assertThrows(IllegalStateException.class, call);
        }
        assertEquals(List.of(), FakeFirmware.calls());
    }

    @Test
    void aBufferReleasedAfterTheGateClosesIsNotFreedByCallingFirmware() throws InterruptedException {
        FakeFirmware.sendGetReply = new FakeFirmware.Reply(dataAddress(), 16, FakeFirmware.BUF_FREE_FN);
        FirmwareBuffer b = fw.sendGet(HANDLE);
        assertTrue(fw.gate().close(1000));
        b.release();
        assertTrue(FakeFirmware.calls("buf_free").isEmpty());
    }
}

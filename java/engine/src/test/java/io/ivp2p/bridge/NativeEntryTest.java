package io.ivp2p.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ivp2p.device.DeviceEngine;
import io.ivp2p.device.Watermarks;
import io.ivp2p.log.LogSetup;

/**
 * The init..exit lifecycle through the static entry points the C shim calls. EngineHost is a
 * process singleton: these tests must not run concurrently with each other (JUnit's default).
 */
class NativeEntryTest {

    private static final long KB = 1024;

    private RawParm parm;
    private Memory peer;
    private Memory msg;
    private Memory recvBuf;
    private Memory recvLen;

    @BeforeAll
    static void onlyOnLp64() {
        assumeTrue(Native.POINTER_SIZE == 8 && Native.SIZE_T_SIZE == 8, "RawParm writes LP64 offsets");
    }

    /** exit leaves the firmware's level on stderr; give later test classes the default back. */
    @AfterAll
    static void restoreDefaultLogging() {
        LogSetup.reset();
    }

    @BeforeEach
    void setUp() {
        FakeFirmware.reset();
        assertFalse(EngineHost.instance().current().isPresent(), "a previous test left the engine running");
        parm = RawParm.valid();
        peer = cString("app_session_1");
        msg = new Memory(NativeEntry.SEND_COMMAND_MAX_BYTES + 1);
        msg.clear();
        msg.setString(0, "get_status", "US-ASCII");
        recvBuf = new Memory(64);
        recvLen = new Memory(8);
        recvLen.setLong(0, 64);
    }

    @AfterEach
    void tearDown() {
        if (EngineHost.instance().current().isPresent()) {
            assertEquals(0, NativeEntry.exit());
        }
        FakeFirmware.reset();
        if (parm != null) {
            parm.close();
        }
        peer.close();
        msg.close();
        recvBuf.close();
        recvLen.close();
    }

    private static Memory cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        Memory m = new Memory(b.length + 1L);
        m.write(0, b, 0, b.length);
        m.setByte(b.length, (byte) 0);
        return m;
    }

    private static long a(Pointer p) {
        return Pointer.nativeValue(p);
    }

    private int sendCommand(long msgLen) {
        return NativeEntry.sendCommand(a(peer), a(msg), msgLen, a(recvBuf), a(recvLen), 100);
    }

    private DeviceEngine engine() {
        return EngineHost.instance().current().orElseThrow();
    }

    // ---- boot / init ----

    @Test
    void bootReportsSuccess() {
        assertEquals(0, NativeEntry.boot());
    }

    @Test
    void initWithAValidParmSucceedsAndStartsTheEngine() {
        assertEquals(0, NativeEntry.init(parm.address()));
        assertTrue(EngineHost.instance().current().isPresent());
        assertEquals(FakeFirmware.allCallbacks(), engine().params().callbacks());
        assertEquals(1200, engine().params().init().mtuSize(), "defaults are applied");
    }

    @Test
    void initTwiceIsRefusedWithStateErrorAndKeepsTheFirstEngine() {
        assertEquals(0, NativeEntry.init(parm.address()));
        DeviceEngine first = engine();
        assertEquals(-312, NativeEntry.init(parm.address()));
        assertSame(first, engine());
    }

    @Test
    void initWithNullIsRefusedWithPrmNull() {
        assertEquals(-300, NativeEntry.init(0));
        assertFalse(EngineHost.instance().current().isPresent());
    }

    @Test
    void initWithoutSendGetCbIsRefusedWithCbNull() {
        parm.pointer(RawParm.SEND_GET, 0);
        assertEquals(-301, NativeEntry.init(parm.address()));
        assertFalse(EngineHost.instance().current().isPresent());
    }

    @Test
    void initWithAnOutOfRangeMtuIsRefusedWithPrmRange() {
        parm.u32(RawParm.MTU_SIZE, 1461);
        assertEquals(-302, NativeEntry.init(parm.address()));
        assertFalse(EngineHost.instance().current().isPresent());
    }

    @Test
    void initWithLogLevelAllOnesIsRefusedWithPrmRangeNotTakenAsNegative() {
        parm.u32(RawParm.LOG_LEVEL, 0xFFFF_FFFFL);
        assertEquals(-302, NativeEntry.init(parm.address()));
    }

    @Test
    void aRefusedInitLeavesTheLibraryReadyForAValidOne() {
        parm.u32(RawParm.PROTOCOL, 3);
        assertEquals(-302, NativeEntry.init(parm.address()));
        parm.u32(RawParm.PROTOCOL, 0);
        assertEquals(0, NativeEntry.init(parm.address()));
    }

    @Test
    void theCallerMayFreeItsStructAsSoonAsInitReturns() {
        parm.string(RawParm.DEVICE_ID, "dev_01").string(RawParm.VENDOR_ID, "vendor_7")
                .u32(RawParm.PROBE_PORT, 5000).localAddr("192.0.2.1");
        assertEquals(0, NativeEntry.init(parm.address()));
        parm.scribbleAndFree();
        parm = null;
        P2pParams.NetInfo n = engine().params().net();
        assertEquals(new P2pParams.NetInfo(5000, 0, "192.0.2.1", "vendor_7", "dev_01"), n);
    }

    @Test
    void initWithALogDirectoryCreatesIvp2pLogThere(@TempDir Path dir) throws IOException {
        parm.u32(RawParm.LOG_LEVEL, 3).string(RawParm.LOG_FILE_PATH, dir.toString());
        assertEquals(0, NativeEntry.init(parm.address()));
        Path log = dir.resolve("ivp2p.log");
        assertTrue(Files.isRegularFile(log), "init should create " + log);
        assertEquals(0, NativeEntry.exit());
        assertTrue(Files.readString(log).contains("initialised"), Files.readString(log));
    }

    // ---- set_buf_watermark ----

    @Test
    void orderedWatermarksAreAcceptedAndInstalled() {
        assertEquals(0, NativeEntry.init(parm.address()));
        assertEquals(0, NativeEntry.setBufWatermark(200 * KB, 400 * KB, 500 * KB));
        assertEquals(new Watermarks(200 * KB, 400 * KB, 500 * KB), engine().watermarks());
    }

    @Test
    void reversedWatermarksAreRefusedWithInputParamInvalidAndChangeNothing() {
        assertEquals(0, NativeEntry.init(parm.address()));
        assertEquals(0, NativeEntry.setBufWatermark(200 * KB, 400 * KB, 500 * KB));
        assertEquals(-310, NativeEntry.setBufWatermark(500 * KB, 400 * KB, 200 * KB));
        assertEquals(new Watermarks(200 * KB, 400 * KB, 500 * KB), engine().watermarks());
    }

    @Test
    void allZeroWatermarksTurnEventsOff() {
        assertEquals(0, NativeEntry.init(parm.address()));
        assertEquals(0, NativeEntry.setBufWatermark(200 * KB, 400 * KB, 500 * KB));
        assertEquals(0, NativeEntry.setBufWatermark(0, 0, 0));
        assertFalse(engine().watermarks().enabled());
    }

    @Test
    void watermarksBeforeInitAreStateErrorWhateverTheirOrder() {
        assertEquals(-312, NativeEntry.setBufWatermark(200 * KB, 400 * KB, 500 * KB));
        assertEquals(-312, NativeEntry.setBufWatermark(500 * KB, 400 * KB, 200 * KB));
    }

    // ---- get_send_buf / get_send_status ----

    @Test
    void getSendBufOfAnUnknownHandleIsZero() {
        assertEquals(0, NativeEntry.init(parm.address()));
        assertEquals(0, NativeEntry.getSendBuf(0x1234_5678L));
        assertEquals(0, NativeEntry.getSendBuf(0));
    }

    @Test
    void getSendBufBeforeInitIsZero() {
        assertEquals(0, NativeEntry.getSendBuf(0x1234_5678L));
    }

    @Test
    void getSendStatusOfAnUnknownHandleWritesZerosOverEveryField() {
        assertEquals(0, NativeEntry.init(parm.address()));
        try (Memory stats = new Memory(24)) {
            stats.setMemory(0, 24, (byte) 0x5A);
            NativeEntry.getSendStatus(0x1234_5678L, a(stats));
            assertEquals(0, stats.getInt(0), "inst_net_rate");
            assertEquals(0, stats.getInt(4), "ave_sent_rate");
            assertEquals(0L, stats.getLong(8), "sum_sent_acked");
            assertEquals(0, stats.getInt(16), "link_mode");
        }
    }

    @Test
    void getSendStatusBeforeInitWritesZeros() {
        try (Memory stats = new Memory(24)) {
            stats.setMemory(0, 24, (byte) 0x5A);
            NativeEntry.getSendStatus(0, a(stats));
            assertEquals(0, stats.getInt(0));
            assertEquals(0, stats.getInt(4));
            assertEquals(0L, stats.getLong(8));
            assertEquals(0, stats.getInt(16));
        }
    }

    // ---- send_command ----

    @Test
    void sendCommandToAnUnknownPeerIsChannelNotExist() {
        assertEquals(0, NativeEntry.init(parm.address()));
        assertEquals(-305, sendCommand(10));
        assertEquals(64, recvLen.getLong(0), "*recv_len is left alone on failure");
    }

    @Test
    void sendCommandWithMsgLenZeroIsInputParamInvalid() {
        assertEquals(0, NativeEntry.init(parm.address()));
        assertEquals(-310, sendCommand(0));
    }

    @Test
    void sendCommandOf65536BytesIsAcceptedAsASize() {
        assertEquals(0, NativeEntry.init(parm.address()));
        assertEquals(-305, sendCommand(NativeEntry.SEND_COMMAND_MAX_BYTES), "reaches the peer lookup");
    }

    @Test
    void sendCommandOf65537BytesIsTooBig() {
        assertEquals(0, NativeEntry.init(parm.address()));
        assertEquals(-304, sendCommand(65_537));
    }

    @Test
    void sendCommandWithSizeMaxIsTooBigNotNegative() {
        assertEquals(0, NativeEntry.init(parm.address()));
        assertEquals(-304, sendCommand(-1L));
    }

    @Test
    void sendCommandWithAnyNullPointerIsInputParamNull() {
        assertEquals(0, NativeEntry.init(parm.address()));
        assertEquals(-309, NativeEntry.sendCommand(0, a(msg), 10, a(recvBuf), a(recvLen), 0));
        assertEquals(-309, NativeEntry.sendCommand(a(peer), 0, 10, a(recvBuf), a(recvLen), 0));
        assertEquals(-309, NativeEntry.sendCommand(a(peer), a(msg), 10, 0, a(recvLen), 0));
        assertEquals(-309, NativeEntry.sendCommand(a(peer), a(msg), 10, a(recvBuf), 0, 0));
    }

    @Test
    void sendCommandChecksNullPointersThenStateThenValues() {
        assertEquals(-309, NativeEntry.sendCommand(0, a(msg), 10, a(recvBuf), a(recvLen), 0));
        assertEquals(-312, sendCommand(0));
        assertEquals(-312, sendCommand(65_537));
        assertEquals(-312, sendCommand(10));
    }

    @Test
    void sendCommandWithAnUnterminatedPeerNameIsInputParamInvalid() {
        assertEquals(0, NativeEntry.init(parm.address()));
        try (Memory longPeer = new Memory(NativeEntry.MAX_PEER_BYTES + 16)) {
            longPeer.setMemory(0, longPeer.size(), (byte) 'p');
            assertEquals(-310, NativeEntry.sendCommand(a(longPeer), a(msg), 10, a(recvBuf), a(recvLen), 0));
        }
    }

    // ---- exit ----

    @Test
    void exitAfterInitSucceedsAndASecondExitIsStateError() {
        assertEquals(0, NativeEntry.init(parm.address()));
        assertEquals(0, NativeEntry.exit());
        assertFalse(EngineHost.instance().current().isPresent());
        assertEquals(-312, NativeEntry.exit());
    }

    @Test
    void exitBeforeInitIsStateError() {
        assertEquals(-312, NativeEntry.exit());
    }

    @Test
    void afterExitTheStatefulFunctionsAreStateErrorAndQueriesAreZero() {
        assertEquals(0, NativeEntry.init(parm.address()));
        assertEquals(0, NativeEntry.exit());
        assertEquals(-312, NativeEntry.setBufWatermark(200 * KB, 400 * KB, 500 * KB));
        assertEquals(-312, sendCommand(10));
        assertEquals(0, NativeEntry.getSendBuf(0x1234));
    }

    @Test
    void initAgainAfterExitStartsAFreshEngine() {
        assertEquals(0, NativeEntry.init(parm.address()));
        DeviceEngine first = engine();
        assertEquals(0, NativeEntry.setBufWatermark(200 * KB, 400 * KB, 500 * KB));
        assertEquals(0, NativeEntry.exit());
        assertEquals(0, NativeEntry.init(parm.address()));
        assertFalse(first == engine(), "a new engine per init");
        assertEquals(Watermarks.DISABLED, engine().watermarks(), "watermarks do not survive exit");
    }

    @Test
    void noFirmwareCallbackRunsAfterExitReturns() {
        assertEquals(0, NativeEntry.init(parm.address()));
        FirmwareCallbacks callbacks = engine().callbacks();
        assertEquals(0, NativeEntry.exit());
        assertThrows(IllegalStateException.class, () -> callbacks.sendInit("action=live", "p"));
        assertTrue(FakeFirmware.calls().isEmpty());
    }

    @Test
    void exitFromInsideACallbackIsRefusedWithStateErrorAndTheEngineKeepsRunning() {
        assertEquals(0, NativeEntry.init(parm.address()));
        AtomicInteger insideResult = new AtomicInteger(Integer.MIN_VALUE);
        FakeFirmware.duringSendInit = () -> insideResult.set(NativeEntry.exit());
        engine().callbacks().sendInit("action=live&channel=0", "peer");
        assertEquals(1, FakeFirmware.calls("send_init").size(), "the callback ran");
        assertEquals(-312, insideResult.get());
        assertTrue(EngineHost.instance().current().isPresent());
    }

    @Test
    void queriesFromInsideACallbackWork() {
        assertEquals(0, NativeEntry.init(parm.address()));
        AtomicInteger watermark = new AtomicInteger(Integer.MIN_VALUE);
        FakeFirmware.duringSendInit = () -> watermark.set(NativeEntry.setBufWatermark(1, 2, 3));
        engine().callbacks().sendInit("action=live&channel=0", "peer");
        assertEquals(0, watermark.get());
        assertEquals(new Watermarks(1, 2, 3), engine().watermarks());
    }
}

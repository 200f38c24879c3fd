package io.ivp2p.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;

import com.sun.jna.Native;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ParmReader against an iv_p2p_parm_s written by hand at the documented LP64 offsets
 * ({@link RawParm}), so this also cross-checks the CLayouts mapping.
 */
class ParmReaderTest {

    private static final P2pParams.Callbacks CALLBACK_ADDRESSES = new P2pParams.Callbacks(
            0x7f00_0000_1010L, 0x7f00_0000_2020L, 0x7f00_0000_3030L, 0x7f00_0000_4040L,
            0x7f00_0000_5050L, 0x7f00_0000_6060L, 0x7f00_0000_7070L);

    private static final P2pParams EXPECTED = new P2pParams(CALLBACK_ADDRESSES,
            new P2pParams.KeepAlive(200, 3),
            new P2pParams.InitParams(4, "/var/log/cam", 65536, 1400, 1, 20, 30, 5, 1),
            new P2pParams.NetInfo(5000, 5001, "192.0.2.7", "vendor_42", "dev_01"));

    private RawParm parm;

    @BeforeAll
    static void onlyOnLp64() {
        assumeTrue(Native.POINTER_SIZE == 8, "RawParm writes LP64 offsets");
    }

    @AfterEach
    void free() {
        if (parm != null) {
            parm.close();
        }
    }

    private static RawParm fullParm() {
        return new RawParm().callbacks(CALLBACK_ADDRESSES)
                .u8(RawParm.KEEP_ALIVE_TIME_INTER_S, 200).u8(RawParm.KEEP_ALIVE_MAX_ATTEMPT_NUM, 3)
                .u32(RawParm.LOG_LEVEL, 4).string(RawParm.LOG_FILE_PATH, "/var/log/cam")
                .u32(RawParm.LOG_FILE_SIZE, 65536).u32(RawParm.MTU_SIZE, 1400)
                .u32(RawParm.NIC_TYPE, 1).u32(RawParm.SENDER_INTERVAL_MS, 20)
                .u32(RawParm.KEEPALIVE_INTERVAL_S, 30).u32(RawParm.ACCESS_RETRY_TIMES, 5)
                .u32(RawParm.PROTOCOL, 1)
                .u32(RawParm.PROBE_PORT, 5000).u32(RawParm.TRANS_PORT, 5001).localAddr("192.0.2.7")
                .string(RawParm.VENDOR_ID, "vendor_42").string(RawParm.DEVICE_ID, "dev_01");
    }

    @Test
    void everyMemberIsReadFromItsDocumentedOffset() {
        parm = fullParm();
        P2pParams p = ParmReader.read(parm.address());
        // Member by member first, so a failure names the member.
        assertEquals(EXPECTED.callbacks(), p.callbacks());
        assertEquals(EXPECTED.keepAlive(), p.keepAlive());
        P2pParams.InitParams i = p.init();
        assertEquals(4, i.logLevel());
        assertEquals("/var/log/cam", i.logFilePath());
        assertEquals(65536, i.logFileSize());
        assertEquals(1400, i.mtuSize());
        assertEquals(1, i.nicType());
        assertEquals(20, i.senderIntervalMs());
        assertEquals(30, i.keepaliveIntervalS());
        assertEquals(5, i.accessRetryTimes());
        assertEquals(1, i.protocol());
        P2pParams.NetInfo n = p.net();
        assertEquals(5000, n.probePort());
        assertEquals(5001, n.transPort());
        assertEquals("192.0.2.7", n.localAddr());
        assertEquals("vendor_42", n.vendorId());
        assertEquals("dev_01", n.deviceId());
        assertEquals(EXPECTED, p);
    }

    @Test
    void theCopySurvivesTheCallerScribblingOverAndFreeingItsStruct() {
        parm = fullParm();
        P2pParams p = ParmReader.read(parm.address());
        parm.scribbleAndFree();
        parm = null;
        assertEquals(EXPECTED, p);
    }

    @Test
    void nullStringsAndAnAllZeroStructReadAsNullAndZero() {
        parm = new RawParm();
        P2pParams p = ParmReader.read(parm.address());
        assertEquals(new P2pParams.Callbacks(0, 0, 0, 0, 0, 0, 0), p.callbacks());
        assertEquals(new P2pParams.KeepAlive(0, 0), p.keepAlive());
        assertNull(p.init().logFilePath());
        assertEquals("", p.net().localAddr());
        assertNull(p.net().vendorId());
        assertNull(p.net().deviceId());
    }

    @Test
    void nullAddressIsRefusedWithPrmNull() {
        IvException e = assertThrows(IvException.class, () -> ParmReader.read(0));
        assertEquals(IvError.AVT_INIT_PRM_NULL, e.error());
    }

    @Test
    void localAddrFillingAll64BytesWithoutNulIsRefusedWithPrmRange() {
        parm = new RawParm();
        byte[] full = new byte[RawParm.LOCAL_ADDR_BYTES];
        Arrays.fill(full, (byte) '1');
        parm.struct.write(RawParm.LOCAL_ADDR, full, 0, full.length);
        IvException e = assertThrows(IvException.class, () -> ParmReader.read(parm.address()));
        assertEquals(IvError.AVT_INIT_PRM_RANGE, e.error());
        assertTrue(e.getMessage().contains("net_info.local_addr"), e.getMessage());
    }

    @Test
    void localAddrOf63CharactersAndANulIsReadWhole() {
        parm = new RawParm().localAddr("a".repeat(63));
        assertEquals("a".repeat(63), ParmReader.read(parm.address()).net().localAddr());
    }

    @Test
    void deviceIdOf65CharactersWithoutNulInRangeIsRefusedWithPrmRange() {
        parm = new RawParm().string(RawParm.DEVICE_ID, "d".repeat(80));
        IvException e = assertThrows(IvException.class, () -> ParmReader.read(parm.address()));
        assertEquals(IvError.AVT_INIT_PRM_RANGE, e.error());
        assertTrue(e.getMessage().contains("net_info.device_id"), e.getMessage());
    }

    @Test
    void vendorIdWithoutAnyNulIsRefusedWithPrmRange() {
        byte[] unterminated = new byte[ParmReader.MAX_ID_BYTES];
        Arrays.fill(unterminated, (byte) 'v');
        parm = new RawParm().bytes(RawParm.VENDOR_ID, unterminated);
        IvException e = assertThrows(IvException.class, () -> ParmReader.read(parm.address()));
        assertEquals(IvError.AVT_INIT_PRM_RANGE, e.error());
        assertTrue(e.getMessage().contains("net_info.vendor_id"), e.getMessage());
    }

    @Test
    void deviceIdOf64CharactersIsReadWhole() {
        parm = new RawParm().string(RawParm.DEVICE_ID, "d".repeat(64));
        assertEquals("d".repeat(64), ParmReader.read(parm.address()).net().deviceId());
    }

    @Test
    void logFilePathLongerThanPathMaxIsRefusedWithPrmRange() {
        parm = new RawParm().string(RawParm.LOG_FILE_PATH, "/" + "p".repeat(ParmReader.MAX_PATH_BYTES));
        IvException e = assertThrows(IvException.class, () -> ParmReader.read(parm.address()));
        assertEquals(IvError.AVT_INIT_PRM_RANGE, e.error());
        assertTrue(e.getMessage().contains("p2p_init_params.log_file_path"), e.getMessage());
    }

    @Test
    void logFilePathIsDecodedAsUtf8() {
        parm = new RawParm().string(RawParm.LOG_FILE_PATH, "/data/journal-\u00e9t\u00e9");
        assertEquals("/data/journal-\u00e9t\u00e9", ParmReader.read(parm.address()).init().logFilePath());
    }

    @Test
    void unsignedFieldsAreWidenedSoAllOnesReadsAs4294967295() {
        parm = new RawParm().u32(RawParm.MTU_SIZE, 0xFFFF_FFFFL).u32(RawParm.LOG_LEVEL, 0xFFFF_FFFFL)
                .u32(RawParm.SENDER_INTERVAL_MS, 0x8000_0000L);
        P2pParams p = ParmReader.read(parm.address());
        assertEquals(4_294_967_295L, p.init().mtuSize());
        assertEquals(4_294_967_295L, p.init().logLevel());
        assertEquals(2_147_483_648L, p.init().senderIntervalMs());
    }

    @Test
    void keepAliveBytesAreUnsigned() {
        parm = new RawParm().u8(RawParm.KEEP_ALIVE_TIME_INTER_S, 0xFF).u8(RawParm.KEEP_ALIVE_MAX_ATTEMPT_NUM, 0x80);
        assertEquals(new P2pParams.KeepAlive(255, 128), ParmReader.read(parm.address()).keepAlive());
    }

    @Test
    void portsAreSignedIntsSoMinusOneReachesTheValidatorAsMinusOne() {
        parm = new RawParm().u32(RawParm.PROBE_PORT, -1).u32(RawParm.TRANS_PORT, 65536);
        P2pParams.NetInfo n = ParmReader.read(parm.address()).net();
        assertEquals(-1, n.probePort());
        assertEquals(65536, n.transPort());
    }
}

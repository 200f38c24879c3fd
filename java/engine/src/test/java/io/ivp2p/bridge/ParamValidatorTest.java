package io.ivp2p.bridge;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Callback and range rules of include/iv_av.h as enforced by ParamValidator. */
class ParamValidatorTest {

    /** A mutable stand-in for iv_p2p_parm_s; {@link #build()} gives the P2pParams copy. */
    private static final class Parm {
        long sendInit = 0x1000;
        long sendGet = 0x2000;
        long sendStop = 0x3000;
        long eventNotify = 0x4000;
        long recvInit = 0x5000;
        long recvVoice = 0x6000;
        long command = 0x7000;
        int keepAliveInterval = 5;
        int keepAliveAttempts = 3;
        long logLevel = 2;
        String logFilePath = null;
        long logFileSize = 0;
        long mtu = 0;
        long nicType = 0;
        long senderInterval = 0;
        long keepaliveInterval = 0;
        long accessRetry = 0;
        long protocol = 0;
        long probePort = 0;
        long transPort = 0;
        String localAddr = "";
        String vendorId = null;
        String deviceId = null;

        P2pParams build() {
            return new P2pParams(
                    new P2pParams.Callbacks(sendInit, sendGet, sendStop, eventNotify, recvInit, recvVoice,
                            command),
                    new P2pParams.KeepAlive(keepAliveInterval, keepAliveAttempts),
                    new P2pParams.InitParams(logLevel, logFilePath, logFileSize, mtu, nicType,
                            senderInterval, keepaliveInterval, accessRetry, protocol),
                    new P2pParams.NetInfo(probePort, transPort, localAddr, vendorId, deviceId));
        }
    }

    private static P2pParams validate(Parm p) {
        return ParamValidator.validate(p.build());
    }

    private static IvException refused(Parm p, IvError expected, String member) {
        IvException e = assertThrows(IvException.class, () -> validate(p));
        assertEquals(expected, e.error(), e.getMessage());
        assertTrue(e.getMessage().contains(member), "message should name " + member + ": " + e.getMessage());
        return e;
    }

    private static void rangeRefused(Parm p, String member) {
        refused(p, IvError.AVT_INIT_PRM_RANGE, member);
    }

    // ---- callbacks ----

    @Test
    void aFullyPopulatedParmIsAccepted() {
        assertDoesNotThrow(() -> validate(new Parm()));
    }

    @Test
    void nullSendInitCbIsRefusedWithCbNullNamingIt() {
        Parm p = new Parm();
        p.sendInit = 0;
        refused(p, IvError.AVT_INIT_CB_NULL, "p2p_handle_send_init_cb");
    }

    @Test
    void nullSendGetCbIsRefusedWithCbNullNamingIt() {
        Parm p = new Parm();
        p.sendGet = 0;
        refused(p, IvError.AVT_INIT_CB_NULL, "p2p_handle_send_get_cb");
    }

    @Test
    void nullSendStopCbIsRefusedWithCbNullNamingIt() {
        Parm p = new Parm();
        p.sendStop = 0;
        refused(p, IvError.AVT_INIT_CB_NULL, "p2p_handle_send_stop_cb");
    }

    @Test
    void recvInitWithoutRecvVoiceIsRefusedWithCbNullNamingRecvVoice() {
        Parm p = new Parm();
        p.recvVoice = 0;
        refused(p, IvError.AVT_INIT_CB_NULL, "p2p_handle_recv_voice_cb");
    }

    @Test
    void recvVoiceWithoutRecvInitIsRefusedWithCbNullNamingRecvInit() {
        Parm p = new Parm();
        p.recvInit = 0;
        refused(p, IvError.AVT_INIT_CB_NULL, "p2p_handle_recv_init_cb");
    }

    @Test
    void bothTalkCallbacksNullIsAccepted() {
        Parm p = new Parm();
        p.recvInit = 0;
        p.recvVoice = 0;
        assertDoesNotThrow(() -> validate(p));
    }

    @Test
    void eventNotifyAndCommandNullAreAccepted() {
        Parm p = new Parm();
        p.eventNotify = 0;
        p.command = 0;
        P2pParams v = validate(p);
        assertEquals(0, v.callbacks().eventNotify());
        assertEquals(0, v.callbacks().command());
    }

    @Test
    void callbackCheckComesBeforeRangeCheck() {
        Parm p = new Parm();
        p.sendGet = 0;
        p.mtu = 1;
        refused(p, IvError.AVT_INIT_CB_NULL, "p2p_handle_send_get_cb");
    }

    // ---- p2p_init_params ----

    @ParameterizedTest(name = "log_level {0} is accepted")
    @ValueSource(longs = {0, 1, 2, 3, 4, 5})
    void logLevelUpToVerboseIsAccepted(long level) {
        Parm p = new Parm();
        p.logLevel = level;
        assertEquals(level, validate(p).init().logLevel());
    }

    @ParameterizedTest(name = "log_level {0} is refused")
    @ValueSource(longs = {6, 4_294_967_295L})
    void logLevelAboveVerboseIsRefusedWithPrmRange(long level) {
        Parm p = new Parm();
        p.logLevel = level;
        rangeRefused(p, "p2p_init_params.log_level");
    }

    @Test
    void mtuZeroSelectsTheDefault1200() {
        assertEquals(1200, validate(new Parm()).init().mtuSize());
    }

    @ParameterizedTest(name = "mtu_size {0} is accepted as is")
    @ValueSource(longs = {500, 1200, 1460})
    void mtuInsideVendorRangeIsKept(long mtu) {
        Parm p = new Parm();
        p.mtu = mtu;
        assertEquals(mtu, validate(p).init().mtuSize());
    }

    @ParameterizedTest(name = "mtu_size {0} is refused")
    @ValueSource(longs = {1, 499, 1461, 4_294_967_295L})
    void mtuOutsideVendorRangeIsRefusedWithPrmRange(long mtu) {
        Parm p = new Parm();
        p.mtu = mtu;
        rangeRefused(p, "p2p_init_params.mtu_size");
    }

    @ParameterizedTest(name = "nic_type {0} is accepted")
    @ValueSource(longs = {0, 1})
    void nicTypeNormalAndNatExAreAccepted(long nic) {
        Parm p = new Parm();
        p.nicType = nic;
        assertEquals(nic, validate(p).init().nicType());
    }

    @Test
    void nicType2IsRefusedWithPrmRange() {
        Parm p = new Parm();
        p.nicType = 2;
        rangeRefused(p, "p2p_init_params.nic_type");
    }

    @Test
    void senderIntervalZeroSelectsTheDefault10() {
        assertEquals(10, validate(new Parm()).init().senderIntervalMs());
    }

    @ParameterizedTest(name = "sender_interval_ms {0} is accepted")
    @ValueSource(longs = {1, 1000})
    void senderIntervalUpTo1000IsKept(long ms) {
        Parm p = new Parm();
        p.senderInterval = ms;
        assertEquals(ms, validate(p).init().senderIntervalMs());
    }

    @Test
    void senderInterval1001IsRefusedWithPrmRange() {
        Parm p = new Parm();
        p.senderInterval = 1001;
        rangeRefused(p, "p2p_init_params.sender_interval_ms");
    }

    @Test
    void keepaliveIntervalZeroSelectsTheDefault10AndUpTo3600IsKept() {
        assertEquals(10, validate(new Parm()).init().keepaliveIntervalS());
        Parm p = new Parm();
        p.keepaliveInterval = 3600;
        assertEquals(3600, validate(p).init().keepaliveIntervalS());
    }

    @Test
    void keepaliveInterval3601IsRefusedWithPrmRange() {
        Parm p = new Parm();
        p.keepaliveInterval = 3601;
        rangeRefused(p, "p2p_init_params.keepalive_interval_s");
    }

    @Test
    void accessRetryZeroSelectsTheDefault10AndUpTo100IsKept() {
        assertEquals(10, validate(new Parm()).init().accessRetryTimes());
        Parm p = new Parm();
        p.accessRetry = 100;
        assertEquals(100, validate(p).init().accessRetryTimes());
    }

    @Test
    void accessRetry101IsRefusedWithPrmRange() {
        Parm p = new Parm();
        p.accessRetry = 101;
        rangeRefused(p, "p2p_init_params.access_retry_times");
    }

    @ParameterizedTest(name = "protocol {0} is accepted")
    @ValueSource(longs = {0, 1, 2})
    void protocolUdpTcpAndAutoAreAccepted(long protocol) {
        Parm p = new Parm();
        p.protocol = protocol;
        assertEquals(protocol, validate(p).init().protocol());
    }

    @Test
    void protocol3IsRefusedWithPrmRange() {
        Parm p = new Parm();
        p.protocol = 3;
        rangeRefused(p, "p2p_init_params.protocol");
    }

    @Test
    void logFileFieldsPassThroughUnchanged() {
        Parm p = new Parm();
        p.logFilePath = "/tmp";
        p.logFileSize = 8192;
        P2pParams.InitParams i = validate(p).init();
        assertEquals("/tmp", i.logFilePath());
        assertEquals(8192, i.logFileSize());
    }

    @Test
    void allDefaultsAreAppliedTogether() {
        Parm p = new Parm();
        p.logLevel = 3;
        assertEquals(new P2pParams.InitParams(3, null, 0, 1200, 0, 10, 10, 10, 0), validate(p).init());
    }

    // ---- p2p_keep_alive ----

    @ParameterizedTest(name = "max_attempt_num {0} is accepted")
    @ValueSource(ints = {0, 3, 10})
    void maxAttemptNumUpTo10IsAccepted(int n) {
        Parm p = new Parm();
        p.keepAliveAttempts = n;
        assertEquals(n, validate(p).keepAlive().maxAttempts());
    }

    @Test
    void maxAttemptNum11IsRefusedWithPrmRange() {
        Parm p = new Parm();
        p.keepAliveAttempts = 11;
        rangeRefused(p, "p2p_keep_alive.max_attempt_num");
    }

    // ---- net_info ----

    @ParameterizedTest(name = "port {0} is accepted")
    @ValueSource(longs = {0, 1, 65535})
    void portsFrom0To65535AreAccepted(long port) {
        Parm p = new Parm();
        p.probePort = port;
        p.transPort = port;
        P2pParams.NetInfo n = validate(p).net();
        assertEquals(port, n.probePort());
        assertEquals(port, n.transPort());
    }

    @ParameterizedTest(name = "probe_port {0} is refused")
    @ValueSource(longs = {-1, 65536})
    void probePortOutsideRangeIsRefusedWithPrmRange(long port) {
        Parm p = new Parm();
        p.probePort = port;
        rangeRefused(p, "net_info.probe_port");
    }

    @ParameterizedTest(name = "trans_port {0} is refused")
    @ValueSource(longs = {-1, 65536})
    void transPortOutsideRangeIsRefusedWithPrmRange(long port) {
        Parm p = new Parm();
        p.transPort = port;
        rangeRefused(p, "net_info.trans_port");
    }

    @ParameterizedTest(name = "local_addr \"{0}\" is accepted")
    @ValueSource(strings = {"", "192.0.2.1", "0.0.0.0", "255.255.255.255", "::1", "fe80::1%eth0",
            "2001:db8::7"})
    void localAddrEmptyOrAnIpLiteralIsAccepted(String addr) {
        Parm p = new Parm();
        p.localAddr = addr;
        assertEquals(addr, validate(p).net().localAddr());
    }

    @ParameterizedTest(name = "local_addr \"{0}\" is refused")
    @ValueSource(strings = {"256.1.1.1", "camera.local", "192.0.2", "1.2.3.4.5", " 192.0.2.1"})
    void localAddrThatIsNoIpLiteralIsRefusedWithPrmRange(String addr) {
        Parm p = new Parm();
        p.localAddr = addr;
        rangeRefused(p, "net_info.local_addr");
    }

    @ParameterizedTest(name = "local_addr \"{0}\" is refused")
    @ValueSource(strings = {"192.0.2.1:5000", "1:2:3:4:5:6:7:8:9", ":::", "1::2::3", "::ffff:999.1.1.1"})
    void localAddrThatOnlyLooksLikeIpv6IsRefusedWithPrmRange(String addr) {
        Parm p = new Parm();
        p.localAddr = addr;
        rangeRefused(p, "net_info.local_addr");
    }

    @ParameterizedTest(name = "id \"{0}\" is accepted")
    @ValueSource(strings = {"dev_01", "A", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789__"})
    void idsOfWordCharactersAreAccepted(String id) {
        Parm p = new Parm();
        p.vendorId = id;
        p.deviceId = id;
        P2pParams.NetInfo n = validate(p).net();
        assertEquals(id, n.vendorId());
        assertEquals(id, n.deviceId());
    }

    @Test
    void anIdOfExactly64CharactersIsAccepted() {
        Parm p = new Parm();
        p.deviceId = "x".repeat(64);
        assertEquals(64, validate(p).net().deviceId().length());
    }

    @Test
    void anIdOf65CharactersIsRefusedWithPrmRange() {
        Parm p = new Parm();
        p.deviceId = "x".repeat(65);
        rangeRefused(p, "net_info.device_id");
    }

    @ParameterizedTest(name = "vendor_id \"{0}\" is refused")
    @ValueSource(strings = {"bad id", "", "dev-01", "d\u00e9v", "dev.01"})
    void vendorIdOutsideWordCharactersIsRefusedWithPrmRange(String id) {
        Parm p = new Parm();
        p.vendorId = id;
        rangeRefused(p, "net_info.vendor_id");
    }

    @ParameterizedTest(name = "device_id \"{0}\" is refused")
    @ValueSource(strings = {"bad id", ""})
    void deviceIdOutsideWordCharactersIsRefusedWithPrmRange(String id) {
        Parm p = new Parm();
        p.deviceId = id;
        rangeRefused(p, "net_info.device_id");
    }

    @Test
    void nullIdsAreAccepted() {
        P2pParams.NetInfo n = validate(new Parm()).net();
        assertEquals(null, n.vendorId());
        assertEquals(null, n.deviceId());
    }

    @Test
    void validationKeepsCallbacksAndKeepAliveUnchanged() {
        Parm p = new Parm();
        P2pParams raw = p.build();
        P2pParams v = ParamValidator.validate(raw);
        assertEquals(raw.callbacks(), v.callbacks());
        assertEquals(raw.keepAlive(), v.keepAlive());
        assertEquals(raw.net(), v.net());
    }
}

package io.ivp2p.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** JNA's layouts of the C structs against the documented LP64 facts (shared/abi-facts.md). */
class CLayoutsTest {

    /** Test-local subclasses: {@code Structure.fieldOffset} is protected. */
    static final class AvtXp2pOpsLayout extends CLayouts.AvtXp2pOps {
        int offset(String member) {
            return fieldOffset(member);
        }
    }

    static final class P2pInitParamsLayout extends CLayouts.P2pInitParams {
        int offset(String member) {
            return fieldOffset(member);
        }
    }

    static final class LocalNetInfoLayout extends CLayouts.LocalNetInfo {
        int offset(String member) {
            return fieldOffset(member);
        }
    }

    @BeforeAll
    static void onlyOnLp64() {
        assumeTrue(Native.POINTER_SIZE == 8 && Native.LONG_SIZE == 8 && Native.SIZE_T_SIZE == 8,
                "the documented figures checked here are the LP64 ones");
    }

    @Test
    void ivP2pParmIs200Bytes() {
        assertEquals(200, new CLayouts.IvP2pParm().size());
    }

    @ParameterizedTest(name = "iv_p2p_parm_s.{0} is at offset {1}")
    @CsvSource({
            "p2p_handle_send_init_cb, 0",
            "p2p_handle_send_get_cb, 8",
            "p2p_handle_send_stop_cb, 16",
            "p2p_handle_event_notify_cb, 24",
            "p2p_handle_recv_init_cb, 32",
            "p2p_handle_recv_voice_cb, 40",
            "p2p_handle_command_cb, 48",
            "p2p_keep_alive, 56",
            "p2p_init_params, 64",
            "net_info, 112"})
    void ivP2pParmMemberSitsAtItsDocumentedOffset(String member, int offset) {
        assertEquals(offset, new CLayouts.IvP2pParm().offsetOf(member));
    }

    @Test
    void p2pInitParamsIs48Bytes() {
        assertEquals(48, new CLayouts.P2pInitParams().size());
    }

    @ParameterizedTest(name = "p2p_init_params_s.{0} is at offset {1}")
    @CsvSource({
            "log_level, 0",
            "log_file_path, 8",
            "log_file_size, 16",
            "mtu_size, 20",
            "nic_type, 24",
            "sender_interval_ms, 28",
            "keepalive_interval_s, 32",
            "access_retry_times, 36",
            "protocol, 40"})
    void p2pInitParamsMemberSitsAtItsDocumentedOffset(String member, int offset) {
        assertEquals(offset, new P2pInitParamsLayout().offset(member));
    }

    @Test
    void localNetInfoIs88Bytes() {
        assertEquals(88, new CLayouts.LocalNetInfo().size());
    }

    @ParameterizedTest(name = "local_net_info_s.{0} is at offset {1}")
    @CsvSource({
            "probe_port, 0",
            "trans_port, 4",
            "local_addr, 8",
            "vendor_id, 72",
            "device_id, 80"})
    void localNetInfoMemberSitsAtItsDocumentedOffset(String member, int offset) {
        assertEquals(offset, new LocalNetInfoLayout().offset(member));
    }

    @Test
    void keepAliveStructIsTwoBytesWithMaxAttemptNumSecond() {
        AvtXp2pOpsLayout ops = new AvtXp2pOpsLayout();
        assertEquals(2, ops.size());
        assertEquals(0, ops.offset("time_inter_s"));
        assertEquals(1, ops.offset("max_attempt_num"));
    }

    @Test
    void ivCmMemoryIs24BytesWithBufSizeAndFreeFnAt0_8_16() {
        CLayouts.IvCmMemory m = new CLayouts.IvCmMemory();
        assertEquals(24, m.size());
        assertEquals(0, m.offsetOf("buf"));
        assertEquals(8, m.offsetOf("size"));
        assertEquals(16, m.offsetOf("buf_free_fn"));
    }

    @Test
    void ivCmMemoryByValueHasTheSameLayoutAsTheStruct() {
        CLayouts.IvCmMemory.ByValue m = new CLayouts.IvCmMemory.ByValue();
        assertEquals(24, m.size());
        assertEquals(16, m.offsetOf("buf_free_fn"));
    }

    @Test
    void ivP2pSendStatsIs24BytesWithFieldsAt0_4_8_16() {
        CLayouts.IvP2pSendStats s = new CLayouts.IvP2pSendStats();
        assertEquals(24, s.size());
        assertEquals(0, s.offsetOf("inst_net_rate"));
        assertEquals(4, s.offsetOf("ave_sent_rate"));
        assertEquals(8, s.offsetOf("sum_sent_acked"));
        assertEquals(16, s.offsetOf("link_mode"));
    }

    @Test
    void sizeTIsEightBytesAndItsMaxIsAllOnes() {
        assertEquals(8, Native.getNativeSize(SizeT.class));
        assertEquals(-1L, SizeT.MAX);
    }
}

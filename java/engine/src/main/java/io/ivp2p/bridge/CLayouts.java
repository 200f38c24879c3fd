package io.ivp2p.bridge;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/**
 * JNA mappings of the C structs of include/iv_av.h and iv_cm.h, member for member and with the C
 * member names, so JNA computes the platform's layout exactly as the C compiler does (checked
 * against the documented LP64 offsets by {@code CLayoutsTest} and, from C, by tests-c/abi_layout).
 * Unsigned C fields are read into signed Java fields; readers widen them with
 * {@link Integer#toUnsignedLong}.
 */
public final class CLayouts {
    private CLayouts() {}

    /** {@code avt_xp2p_ops_s}: 2 bytes, alignment 1. */
    @FieldOrder({"time_inter_s", "max_attempt_num"})
    public static class AvtXp2pOps extends Structure {
        public byte time_inter_s;
        public byte max_attempt_num;
    }

    /** {@code p2p_init_params_s}: LP64 48 bytes, ILP32 36. */
    @FieldOrder({"log_level", "log_file_path", "log_file_size", "mtu_size", "nic_type",
        "sender_interval_ms", "keepalive_interval_s", "access_retry_times", "protocol"})
    public static class P2pInitParams extends Structure {
        public int log_level;
        public Pointer log_file_path;
        public int log_file_size;
        public int mtu_size;
        public int nic_type;
        public int sender_interval_ms;
        public int keepalive_interval_s;
        public int access_retry_times;
        public int protocol;
    }

    /** {@code local_net_info_s}: LP64 88 bytes, ILP32 80. */
    @FieldOrder({"probe_port", "trans_port", "local_addr", "vendor_id", "device_id"})
    public static class LocalNetInfo extends Structure {
        public int probe_port;
        public int trans_port;
        public byte[] local_addr = new byte[64];
        public Pointer vendor_id;
        public Pointer device_id;
    }

    /** {@code iv_p2p_parm_s}: LP64 200 bytes, ILP32 148. Callbacks are read as plain pointers. */
    @FieldOrder({"p2p_handle_send_init_cb", "p2p_handle_send_get_cb", "p2p_handle_send_stop_cb",
        "p2p_handle_event_notify_cb", "p2p_handle_recv_init_cb", "p2p_handle_recv_voice_cb",
        "p2p_handle_command_cb", "p2p_keep_alive", "p2p_init_params", "net_info"})
    public static class IvP2pParm extends Structure {
        public Pointer p2p_handle_send_init_cb;
        public Pointer p2p_handle_send_get_cb;
        public Pointer p2p_handle_send_stop_cb;
        public Pointer p2p_handle_event_notify_cb;
        public Pointer p2p_handle_recv_init_cb;
        public Pointer p2p_handle_recv_voice_cb;
        public Pointer p2p_handle_command_cb;
        public AvtXp2pOps p2p_keep_alive;
        public P2pInitParams p2p_init_params;
        public LocalNetInfo net_info;

        public IvP2pParm() {}

        /** Maps the struct at {@code p} and reads all of it. */
        public IvP2pParm(Pointer p) {
            super(p);
            read();
        }

        /** Offset of a member, for layout tests. */
        public int offsetOf(String member) {
            return fieldOffset(member);
        }
    }

    /** {@code iv_cm_memory_s}, as returned by value from send_get_cb and command_cb. */
    @FieldOrder({"buf", "size", "buf_free_fn"})
    public static class IvCmMemory extends Structure {
        public Pointer buf;
        public SizeT size;
        public Pointer buf_free_fn;

        public IvCmMemory() {}

        public IvCmMemory(Pointer p) {
            super(p);
        }

        public static class ByValue extends IvCmMemory implements Structure.ByValue {}

        public int offsetOf(String member) {
            return fieldOffset(member);
        }
    }

    /** {@code iv_p2p_send_stats_s}: LP64 24 bytes. */
    @FieldOrder({"inst_net_rate", "ave_sent_rate", "sum_sent_acked", "link_mode"})
    public static class IvP2pSendStats extends Structure {
        public int inst_net_rate;
        public int ave_sent_rate;
        public long sum_sent_acked;
        public int link_mode;

        public int offsetOf(String member) {
            return fieldOffset(member);
        }
    }
}

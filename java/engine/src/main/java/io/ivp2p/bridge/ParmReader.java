package io.ivp2p.bridge;

import java.nio.charset.StandardCharsets;

import com.sun.jna.Pointer;

/**
 * Reads an {@code iv_p2p_parm_s} from C memory into a {@link P2pParams} copy. Only structural
 * problems are reported here (a string that is not NUL-terminated within its bound); value ranges
 * are {@link ParamValidator}'s job.
 */
public final class ParmReader {
    /** Bound for {@code log_file_path}: Linux PATH_MAX. */
    static final int MAX_PATH_BYTES = 4096;
    /** Bound for vendor_id/device_id: 64 characters plus the NUL. */
    static final int MAX_ID_BYTES = 65;

    private ParmReader() {}

    public static P2pParams read(long address) {
        if (address == 0) {
            throw new IvException(IvError.AVT_INIT_PRM_NULL, "pstInitParm is NULL");
        }
        CLayouts.IvP2pParm c = new CLayouts.IvP2pParm(new Pointer(address));
        P2pParams.Callbacks callbacks = new P2pParams.Callbacks(
                addressOf(c.p2p_handle_send_init_cb), addressOf(c.p2p_handle_send_get_cb),
                addressOf(c.p2p_handle_send_stop_cb), addressOf(c.p2p_handle_event_notify_cb),
                addressOf(c.p2p_handle_recv_init_cb), addressOf(c.p2p_handle_recv_voice_cb),
                addressOf(c.p2p_handle_command_cb));
        P2pParams.KeepAlive keepAlive = new P2pParams.KeepAlive(
                Byte.toUnsignedInt(c.p2p_keep_alive.time_inter_s),
                Byte.toUnsignedInt(c.p2p_keep_alive.max_attempt_num));
        CLayouts.P2pInitParams p = c.p2p_init_params;
        P2pParams.InitParams init = new P2pParams.InitParams(
                Integer.toUnsignedLong(p.log_level),
                cString(p.log_file_path, MAX_PATH_BYTES, "p2p_init_params.log_file_path"),
                Integer.toUnsignedLong(p.log_file_size), Integer.toUnsignedLong(p.mtu_size),
                Integer.toUnsignedLong(p.nic_type), Integer.toUnsignedLong(p.sender_interval_ms),
                Integer.toUnsignedLong(p.keepalive_interval_s),
                Integer.toUnsignedLong(p.access_retry_times), Integer.toUnsignedLong(p.protocol));
        CLayouts.LocalNetInfo n = c.net_info;
        P2pParams.NetInfo net = new P2pParams.NetInfo(n.probe_port, n.trans_port,
                fixedString(n.local_addr, "net_info.local_addr"),
                cString(n.vendor_id, MAX_ID_BYTES, "net_info.vendor_id"),
                cString(n.device_id, MAX_ID_BYTES, "net_info.device_id"));
        return new P2pParams(callbacks, keepAlive, init, net);
    }

    static long addressOf(Pointer p) {
        return p == null ? 0 : Pointer.nativeValue(p);
    }

    /**
     * Copies a NUL-terminated string of at most {@code maxBytes} bytes including the NUL; reads
     * byte by byte so that an unterminated string never makes us read far past its end.
     */
    public static String cString(Pointer p, int maxBytes, String what) {
        if (p == null) {
            return null;
        }
        byte[] bytes = new byte[maxBytes];
        for (int i = 0; i < maxBytes; i++) {
            byte b = p.getByte(i);
            if (b == 0) {
                return new String(bytes, 0, i, StandardCharsets.UTF_8);
            }
            bytes[i] = b;
        }
        throw new IvException(IvError.AVT_INIT_PRM_RANGE,
                what + " is not NUL-terminated within " + maxBytes + " bytes");
    }

    private static String fixedString(byte[] field, String what) {
        for (int i = 0; i < field.length; i++) {
            if (field[i] == 0) {
                return new String(field, 0, i, StandardCharsets.US_ASCII);
            }
        }
        throw new IvException(IvError.AVT_INIT_PRM_RANGE,
                what + " is not NUL-terminated within its " + field.length + " bytes");
    }
}

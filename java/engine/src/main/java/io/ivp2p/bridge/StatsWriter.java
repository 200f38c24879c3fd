package io.ivp2p.bridge;

import com.sun.jna.Pointer;

import io.ivp2p.device.SendStats;

/**
 * Writes {@code iv_p2p_send_stats_s} into C memory at offsets JNA computed once for this
 * platform, without allocating a Structure per call (get_send_status may be polled often).
 */
final class StatsWriter {
    private static final int INST_NET_RATE;
    private static final int AVE_SENT_RATE;
    private static final int SUM_SENT_ACKED;
    private static final int LINK_MODE;

    static {
        CLayouts.IvP2pSendStats layout = new CLayouts.IvP2pSendStats();
        INST_NET_RATE = layout.offsetOf("inst_net_rate");
        AVE_SENT_RATE = layout.offsetOf("ave_sent_rate");
        SUM_SENT_ACKED = layout.offsetOf("sum_sent_acked");
        LINK_MODE = layout.offsetOf("link_mode");
    }

    private StatsWriter() {}

    /** uint32 fields saturate rather than wrap: a rate above 4 GB/s reads as 4 GB/s. */
    static void write(Pointer out, SendStats s) {
        out.setInt(INST_NET_RATE, (int) Math.min(s.instNetRate(), 0xFFFF_FFFFL));
        out.setInt(AVE_SENT_RATE, (int) Math.min(s.aveSentRate(), 0xFFFF_FFFFL));
        out.setLong(SUM_SENT_ACKED, s.sumSentAcked());
        out.setInt(LINK_MODE, s.linkMode());
    }
}

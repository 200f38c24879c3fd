package io.ivp2p.device;

/**
 * {@code iv_p2p_send_stats_s} of one stream: instantaneous send rate and bytes acknowledged in the
 * last second (bytes/s), total bytes acknowledged, and the link mode (0 none, 1 direct, 2 relay).
 */
public record SendStats(long instNetRate, long aveSentRate, long sumSentAcked, int linkMode) {
    public static final SendStats NONE = new SendStats(0, 0, 0, 0);
}

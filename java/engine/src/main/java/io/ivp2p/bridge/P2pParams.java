package io.ivp2p.bridge;

/**
 * A copy of everything in {@code iv_p2p_parm_s}, taken during {@code iv_avt_p2p_init}: the caller
 * may free or reuse its struct (and the strings it points to) as soon as init returns. Unsigned C
 * fields are widened to {@code long} so that range checks see the value the firmware meant.
 */
public record P2pParams(Callbacks callbacks, KeepAlive keepAlive, InitParams init, NetInfo net) {

    /** The seven callback addresses, 0 for NULL. */
    public record Callbacks(long sendInit, long sendGet, long sendStop, long eventNotify,
            long recvInit, long recvVoice, long command) {}

    /** {@code avt_xp2p_ops_s}: probe interval and probes per round; either 0 = keep-alive off. */
    public record KeepAlive(int intervalSeconds, int maxAttempts) {
        public boolean enabled() {
            return intervalSeconds != 0 && maxAttempts != 0;
        }
    }

    /** {@code p2p_init_params_s}; {@code logFilePath} is null for NULL. */
    public record InitParams(long logLevel, String logFilePath, long logFileSize, long mtuSize,
            long nicType, long senderIntervalMs, long keepaliveIntervalS, long accessRetryTimes,
            long protocol) {}

    /** {@code local_net_info_s}; ids are null for NULL, {@code localAddr} "" when empty. */
    public record NetInfo(long probePort, long transPort, String localAddr, String vendorId,
            String deviceId) {
        public boolean lanEnabled() {
            return probePort != 0 || transPort != 0;
        }
    }
}

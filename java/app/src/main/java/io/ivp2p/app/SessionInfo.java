package io.ivp2p.app;

import java.net.InetSocketAddress;

/**
 * A snapshot of one session, as {@code PPCS_Check} gives it ({@link P2pClient#sessionInfo}).
 *
 * @param deviceId          the device
 * @param peerName          the name the device gave this session in WELCOME ({@code "<uid>#<n>"})
 * @param mode              how the device was reached
 * @param remoteAddress     the device's address now
 * @param smoothedRttMicros the transport's smoothed round-trip time (RFC 9002 section 5.3), µs
 * @param closeCode         0 while open, else as {@link P2pClient#activeCheck}
 */
public record SessionInfo(String deviceId, String peerName, Mode mode, InetSocketAddress remoteAddress,
        long smoothedRttMicros, int closeCode) {

    /** How the session's path was found. Every path today is a direct UDP path (no relay yet). */
    public enum Mode {
        /** Found by LAN discovery ({@link P2pClient#connect}). */
        LAN,
        /** Connected to a known address without discovery ({@link P2pClient#connectDirect}). */
        DIRECT
    }
}

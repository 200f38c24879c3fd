package io.ivp2p.session;

/**
 * Counters of one session, for logs, tests and benchmarks. Written only by the session's thread;
 * reads from other threads see slightly stale values.
 */
public final class SessionStats {
    public volatile long packetsSent;
    public volatile long packetsReceived;
    public volatile long packetsAcked;
    public volatile long packetsLost;
    public volatile long probeTimeouts;
    public volatile long keepAliveProbes;
    /** Packets that did not parse: dropped. */
    public volatile long malformed;
    /** Packets received before (replays, network duplicates): dropped. */
    public volatile long duplicates;
    /** Times sending stopped because the congestion window was full. */
    public volatile long cwndLimited;
    /** Stream payload bytes sent, retransmissions included. */
    public volatile long bytesSent;
    /** Stream payload bytes received, duplicates included. */
    public volatile long bytesReceived;
    /** Stream payload bytes acknowledged, each counted once. */
    public volatile long bytesAcked;

    @Override
    public String toString() {
        return "sent=" + packetsSent + " recv=" + packetsReceived + " acked=" + packetsAcked
                + " lost=" + packetsLost + " pto=" + probeTimeouts + " malformed=" + malformed
                + " dup=" + duplicates + " bytesSent=" + bytesSent + " bytesAcked=" + bytesAcked;
    }
}

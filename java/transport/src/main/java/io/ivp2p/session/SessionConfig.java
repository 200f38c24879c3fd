package io.ivp2p.session;

/**
 * Limits and timers of one session. Sizes in bytes, times in nanoseconds.
 *
 * @param maxDatagramSize      largest UDP payload this session sends (the vendor's mtu_size:
 *                             500..1460, default 1200); packets are sized so that packet plus
 *                             {@code recordOverhead} never exceeds it
 * @param recordOverhead       bytes the security layer adds to each packet (DTLS header, CID, AEAD tag)
 * @param sendBufferPerChannel unacknowledged bytes a channel accepts before {@code write} returns
 *                             short (the vendor bounds a weak link at 512 KB per stream)
 * @param receiveWindowPerChannel flow-control window per channel: what a reader that stops
 *                             reading lets its sender buffer here
 * @param maxAckDelay          longest we hold back an ACK (RFC 9000 §18.2 default: 25 ms)
 * @param keepAliveInterval    silence after which we probe with PING (vendor time_inter_s; 0 = off)
 * @param keepAliveAttempts    unanswered probes after which the peer is dead (vendor
 *                             max_attempt_num): dead after keepAliveInterval × keepAliveAttempts
 *                             of silence
 * @param closeTimeout         longest a graceful close waits for its data to be acknowledged
 */
public record SessionConfig(int maxDatagramSize, int recordOverhead, long sendBufferPerChannel,
        long receiveWindowPerChannel, long maxAckDelay, long keepAliveInterval,
        int keepAliveAttempts, long closeTimeout) {

    public static final int MIN_DATAGRAM = 500;
    public static final int MAX_DATAGRAM = 1460;
    /** Vendor: "mtu_size: range 500-1460, 0 selects the default 1200". */
    public static final int DEFAULT_DATAGRAM = 1200;
    /**
     * Flow-control window every channel grants before it has said otherwise (both ends assume it
     * at start); the configured window is advertised with the first packet.
     */
    public static final long INITIAL_STREAM_WINDOW = 64 * 1024;
    public static final long MS = 1_000_000L;
    public static final long SECOND = 1_000_000_000L;

    public SessionConfig {
        if (maxDatagramSize < MIN_DATAGRAM || maxDatagramSize > MAX_DATAGRAM) {
            throw new IllegalArgumentException("maxDatagramSize " + maxDatagramSize + " not in "
                    + MIN_DATAGRAM + ".." + MAX_DATAGRAM);
        }
        if (recordOverhead < 0 || recordOverhead > 128) {
            throw new IllegalArgumentException("recordOverhead " + recordOverhead);
        }
        if (sendBufferPerChannel < 1024) {
            throw new IllegalArgumentException("send buffer below 1 KiB");
        }
        if (receiveWindowPerChannel < INITIAL_STREAM_WINDOW) {
            throw new IllegalArgumentException("receive window below the protocol's initial "
                    + INITIAL_STREAM_WINDOW + " bytes");
        }
        if (keepAliveInterval < 0 || keepAliveAttempts < 0 || maxAckDelay < 0 || closeTimeout <= 0) {
            throw new IllegalArgumentException("negative timer");
        }
    }

    /**
     * Defaults: 1200-byte datagrams, 512 KiB send buffer and 1 MiB receive window per channel (a
     * 256 KiB window held a 20 Mbit/s, 40 ms path with a full queue to about 70 % in the
     * transport benchmark; 1 MiB reached 83 % at 3 % loss),
     * 25 ms max ACK delay, keep-alive 10 s × 3 (the vendor sample's values), 10 s close timeout.
     */
    public static SessionConfig defaults() {
        return new SessionConfig(DEFAULT_DATAGRAM, 0, 512 * 1024, 1024 * 1024, 25 * MS,
                10 * SECOND, 3, 10 * SECOND);
    }

    public SessionConfig withDatagram(int size, int overhead) {
        return new SessionConfig(size, overhead, sendBufferPerChannel, receiveWindowPerChannel,
                maxAckDelay, keepAliveInterval, keepAliveAttempts, closeTimeout);
    }

    public SessionConfig withKeepAlive(long interval, int attempts) {
        return new SessionConfig(maxDatagramSize, recordOverhead, sendBufferPerChannel,
                receiveWindowPerChannel, maxAckDelay, interval, attempts, closeTimeout);
    }

    public SessionConfig withBuffers(long sendPerChannel, long receivePerChannel) {
        return new SessionConfig(maxDatagramSize, recordOverhead, sendPerChannel, receivePerChannel,
                maxAckDelay, keepAliveInterval, keepAliveAttempts, closeTimeout);
    }

    /** Largest plaintext packet. */
    public int maxPacketSize() {
        return maxDatagramSize - recordOverhead;
    }

    public boolean keepAliveEnabled() {
        return keepAliveInterval > 0 && keepAliveAttempts > 0;
    }

    /** Upper bound of the memory the channel buffers of one session can hold. */
    public long memoryBound() {
        return 8 * (sendBufferPerChannel + SendChannel.CHUNK + receiveWindowPerChannel);
    }
}

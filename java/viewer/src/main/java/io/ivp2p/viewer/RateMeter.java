package io.ivp2p.viewer;

/**
 * Bytes per second over the last {@link #WINDOW_MS} ms, in {@link #BUCKETS} buckets (a rate that
 * follows changes within a second or two, without a sample per packet). Thread-safe. Time is
 * passed in, so tests need no clock.
 */
final class RateMeter {
    static final int BUCKETS = 8;
    static final long BUCKET_MS = 250;
    static final long WINDOW_MS = BUCKETS * BUCKET_MS;

    private final long[] bytes = new long[BUCKETS];
    private final long[] bucketOf = new long[BUCKETS]; // which 250 ms slot each bucket holds
    private long total;

    synchronized void add(long n, long nowMs) {
        long slot = nowMs / BUCKET_MS;
        int i = (int) (slot % BUCKETS);
        if (bucketOf[i] != slot) {
            bucketOf[i] = slot;
            bytes[i] = 0;
        }
        bytes[i] += n;
        total += n;
    }

    /** Bits per second over the window that ends at {@code nowMs}. */
    synchronized long bitsPerSecond(long nowMs) {
        long slot = nowMs / BUCKET_MS;
        long sum = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (slot - bucketOf[i] < BUCKETS && bucketOf[i] <= slot) {
                sum += bytes[i];
            }
        }
        return sum * 8 * 1000 / WINDOW_MS;
    }

    synchronized long total() {
        return total;
    }
}

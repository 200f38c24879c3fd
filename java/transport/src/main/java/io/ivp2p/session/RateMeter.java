package io.ivp2p.session;

/**
 * Bytes counted over a sliding window of ten buckets, for the vendor's per-stream statistics
 * ("bytes sent and acknowledged during the last second", "instantaneous send rate").
 */
final class RateMeter {
    private final long bucketNanos;
    private final long[] buckets = new long[10];
    private long currentBucket = Long.MIN_VALUE;

    RateMeter(long windowNanos) {
        this.bucketNanos = Math.max(1, windowNanos / buckets.length);
    }

    void add(long now, long bytes) {
        roll(now);
        buckets[(int) Math.floorMod(currentBucket, (long) buckets.length)] += bytes;
    }

    /** Bytes counted during the window ending now. */
    long sum(long now) {
        roll(now);
        long s = 0;
        for (long b : buckets) {
            s += b;
        }
        return s;
    }

    private void roll(long now) {
        long bucket = Math.floorDiv(now, bucketNanos);
        if (currentBucket == Long.MIN_VALUE) {
            currentBucket = bucket;
            return;
        }
        long steps = Math.min(bucket - currentBucket, buckets.length);
        for (long i = 1; i <= steps; i++) {
            buckets[(int) Math.floorMod(currentBucket + i, (long) buckets.length)] = 0;
        }
        if (bucket > currentBucket) {
            currentBucket = bucket;
        }
    }
}

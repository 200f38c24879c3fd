package io.ivp2p.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;

import org.slf4j.LoggerFactory;

/**
 * What the transport benchmarks (TransportBench, KcpBench, the TCP baseline) measure the same way,
 * so their rows stay comparable: part B's path and traffic, message latencies over a window, percentiles, the proxy's queue
 * drops, the latency cell, process CPU, sleeping to a deadline, quiet logging.
 */
public final class BenchSupport {
    // Part B's path (each way) and traffic, shared by our transport, KCP and TCP.
    public static final long CAP_BYTES_PER_SECOND = 2_500_000; // 20 Mbit/s
    public static final long QUEUE_BYTES = 100_000; // 40 ms at the cap
    public static final long ONE_WAY_MICROS = 20_000;
    public static final double RTT_MS = 2 * ONE_WAY_MICROS / 1000.0;
    public static final double[] LOSSES = {0, 0.01, 0.03, 0.10};
    public static final long WARMUP_NANOS = 3 * 1_000_000_000L;
    public static final long GRACE_NANOS = 1_000_000_000L;
    public static final int MESSAGE = 1024;
    public static final int MESSAGES_PER_SECOND = 100;

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private BenchSupport() {
    }

    /**
     * Latencies of the messages sent within [{@code from}, {@code to}], sorted, in ns;
     * {@link Long#MAX_VALUE} for a message never received ({@code receivedAt} 0).
     */
    public static long[] windowLatencies(AtomicLongArray sentAt, AtomicLongArray receivedAt, int count, long from,
            long to) {
        long[] out = new long[count];
        int n = 0;
        for (int i = 0; i < count; i++) {
            long sent = sentAt.get(i);
            if (sent < from || sent > to) {
                continue;
            }
            long got = receivedAt.get(i);
            out[n++] = got == 0 ? Long.MAX_VALUE : got - sent;
        }
        long[] latencies = Arrays.copyOf(out, n);
        Arrays.sort(latencies);
        return latencies;
    }

    /** Messages never received among {@code sortedLatencies}. */
    public static int undelivered(long[] sortedLatencies) {
        int n = 0;
        for (int i = sortedLatencies.length - 1; i >= 0 && sortedLatencies[i] == Long.MAX_VALUE; i--) {
            n++;
        }
        return n;
    }

    /** The p-th percentile (nearest rank: the ceil(p% x n)-th smallest) in ms; infinite if that message was lost, NaN if none. */
    public static double percentileMs(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        long v = sorted[Math.max(0, Math.min(sorted.length - 1, i))];
        return v == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : v / 1e6;
    }

    /** A latency cell: ms and multiples of the RTT, "lost" for an undelivered message, "-" for none. */
    public static String latency(double ms, double rttMs) {
        if (Double.isNaN(ms)) {
            return "-";
        }
        if (Double.isInfinite(ms)) {
            return "lost";
        }
        return String.format(Locale.ROOT, "%.1f (%.2f)", ms, ms / rttMs);
    }

    /**
     * The proxy's drops beyond its random loss: it counts random and queue drops together, both
     * directions, so the random share of what was offered is taken out.
     */
    public static long queueDrops(long dropped, long forwarded, double loss) {
        long offered = dropped + forwarded;
        return Math.max(0, Math.round(dropped - loss * offered));
    }

    /** CPU time of the whole process (every thread, kernel time included), ns. */
    public static long cpu() {
        return OS.getProcessCpuTime();
    }

    public static void sleepUntil(long deadline) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000L));
        }
    }

    /**
     * Logback's default is DEBUG on the console; the transport's and Netty's INFO and DEBUG lines
     * would be noise. WARN keeps Netty's leak reports (ERROR).
     */
    public static void quietLogging() {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }
}

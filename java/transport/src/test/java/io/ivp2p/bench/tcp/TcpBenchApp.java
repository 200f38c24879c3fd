package io.ivp2p.bench.tcp;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntConsumer;

import io.ivp2p.bench.BenchSupport;

/**
 * The app side of the TCP baseline (see {@link TcpBench}), in network namespace A: connects the bulk
 * and the messages connection to {@link TcpBenchDevice}, counts the bulk bytes read during the window,
 * takes System.nanoTime() when each message's last byte is read, and after the grace prints one row
 * in the layout of TransportBench's part B (its first eight columns, then a note):
 *
 * <pre>loss  ch1 Mbit/s  ch1 % cap  ch1+2 % cap | p50 p95 p99 ms (x RTT) | lost msgs | note</pre>
 *
 * <p>As in TransportBench: the messages counted are those the device sent (time taken just before
 * {@code write}) within the window; latency = receive time - that send time, one clock (see
 * {@link TcpBench}); a message not read by the end of the 1 s grace is lost (an infinite latency in
 * the percentiles). ch1+2 counts 1024 bytes for every message of the window, delivered or not, as
 * TransportBench does. Which messages the device sent in the window, and its retransmission
 * counters, come from the device's stats file; without it (the device died) only the messages that
 * arrived are counted and the note says so.
 *
 * <p>Usage: {@code TcpBenchApp deviceAddress port windowSeconds statsFile loss label}; label starts
 * the note (the congestion control). Exits by itself: 30 s without a connection, or after the grace.
 */
public final class TcpBenchApp {
    private TcpBenchApp() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: TcpBenchApp deviceAddress port windowSeconds statsFile loss label");
            System.exit(2);
        }
        InetSocketAddress device = new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1]));
        long windowNanos = Long.parseLong(args[2]) * 1_000_000_000L;
        Path statsFile = Path.of(args[3]);
        double loss = Double.parseDouble(args[4]);
        String label = args[5];
        long started = System.nanoTime();
        TcpBench.watchdog("app", started + TcpBench.CONNECT_NANOS + TcpBench.WARMUP_NANOS + windowNanos
                + TcpBench.GRACE_NANOS + 2 * TcpBench.MARGIN_NANOS);

        long connectDeadline = started + TcpBench.CONNECT_NANOS;
        Socket bulk = connect(device, connectDeadline);
        Socket messages = null;
        try {
            bulk.getOutputStream().write(TcpBench.BULK);
            messages = connect(device, connectDeadline);
            messages.setTcpNoDelay(true);
            long t0 = System.nanoTime();
            DataOutputStream out = new DataOutputStream(messages.getOutputStream());
            out.write(TcpBench.MESSAGES);
            out.writeLong(t0);
            out.flush();
            run(bulk, messages, t0, windowNanos, statsFile, loss, label);
        } finally {
            closeQuietly(bulk);
            closeQuietly(messages);
        }
    }

    /** Retries until the deadline: the device's JVM may not listen yet, and a SYN can be lost. */
    private static Socket connect(InetSocketAddress to, long deadline) throws IOException, InterruptedException {
        IOException last = null;
        while (System.nanoTime() < deadline) {
            Socket s = new Socket();
            try {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                s.connect(to, (int) Math.max(1, Math.min(10_000, left)));
                return s;
            } catch (IOException e) {
                last = e;
                s.close();
                Thread.sleep(100);
            }
        }
        throw new IOException("cannot connect to " + to + " within 30 s", last);
    }

    private static void run(Socket bulk, Socket messages, long t0, long windowNanos, Path statsFile, double loss,
            String label) throws Exception {
        long windowStart = t0 + TcpBench.WARMUP_NANOS;
        long windowEnd = windowStart + windowNanos;
        long graceEnd = windowEnd + TcpBench.GRACE_NANOS;
        int capacity = TcpBench.messageCapacity(windowNanos);
        AtomicLongArray sentAt = new AtomicLongArray(capacity);
        AtomicLongArray receivedAt = new AtomicLongArray(capacity);
        AtomicLong bulkRead = new AtomicLong();

        Thread bulkReader = TcpBench.start("bulk-reader", () -> {
            byte[] buf = new byte[TcpBench.CHUNK];
            readUntil(bulk, graceEnd, buf, n -> bulkRead.addAndGet(n));
        });
        Thread messageReader = TcpBench.start("message-reader", () -> {
            byte[] m = new byte[TcpBench.MESSAGE];
            ByteBuffer b = ByteBuffer.wrap(m);
            int have = 0;
            try {
                messages.setSoTimeout(TcpBench.READ_TIMEOUT_MILLIS);
                InputStream in = messages.getInputStream();
                while (System.nanoTime() < graceEnd) {
                    int n;
                    try {
                        n = in.read(m, have, TcpBench.MESSAGE - have);
                    } catch (SocketTimeoutException e) {
                        continue;
                    }
                    if (n < 0) {
                        return;
                    }
                    have += n;
                    if (have == TcpBench.MESSAGE) {
                        long now = System.nanoTime(); // the message's last byte has been read
                        long seq = b.getLong(0);
                        if (seq >= 0 && seq < capacity) {
                            sentAt.set((int) seq, b.getLong(8));
                            receivedAt.set((int) seq, now);
                        }
                        have = 0;
                    }
                }
            } catch (IOException e) {
                // the device closed or reset the connection
            }
        });

        BenchSupport.sleepUntil(windowStart);
        long b0 = bulkRead.get();
        long tw0 = System.nanoTime();
        BenchSupport.sleepUntil(windowEnd);
        long b1 = bulkRead.get();
        long tw1 = System.nanoTime();
        BenchSupport.sleepUntil(graceEnd); // messages of the window still in flight may arrive
        bulkReader.join(2000);
        messageReader.join(2000);

        Map<String, String> stats = readStats(statsFile, graceEnd + TcpBench.MARGIN_NANOS);
        int first = Integer.parseInt(stats.getOrDefault("window_first_seq", "-1"));
        int last = Integer.parseInt(stats.getOrDefault("window_last_seq", "-1"));
        List<Long> lat = new ArrayList<>();
        int undelivered = 0;
        if (stats.isEmpty()) {
            // No device stats: only the messages that arrived and say they were sent in the window.
            for (int i = 0; i < capacity; i++) {
                long s = sentAt.get(i);
                if (receivedAt.get(i) != 0 && s >= windowStart && s <= windowEnd) {
                    lat.add(receivedAt.get(i) - s);
                }
            }
        } else {
            for (int i = Math.max(0, first); i <= last && i < capacity; i++) {
                long got = receivedAt.get(i);
                if (got == 0) {
                    undelivered++;
                    lat.add(Long.MAX_VALUE);
                } else {
                    lat.add(got - sentAt.get(i));
                }
            }
        }
        long[] latencies = lat.stream().mapToLong(Long::longValue).sorted().toArray();
        double seconds = (tw1 - tw0) / 1e9;
        double bulkRate = (b1 - b0) / seconds;
        double messageRate = latencies.length * (double) TcpBench.MESSAGE / seconds;
        double cap = TcpBench.CAP_BYTES_PER_SECOND;
        System.out.printf(Locale.ROOT, "%3.0f%% %7.2f %6.1f%% %6.1f%% | %13s %13s %13s %4d | %s%n", loss * 100,
                bulkRate * 8 / 1e6, 100 * bulkRate / cap, 100 * (bulkRate + messageRate) / cap,
                latency(BenchSupport.percentileMs(latencies, 50)), latency(BenchSupport.percentileMs(latencies, 95)),
                latency(BenchSupport.percentileMs(latencies, 99)), undelivered, note(label, stats));
        System.out.flush();
        System.err.printf(Locale.ROOT, "app: %d window messages, device bulk: %s; device messages: %s%n",
                latencies.length, stats.getOrDefault("bulk_ss", "?"), stats.getOrDefault("messages_ss", "?"));
    }

    private static void readUntil(Socket s, long deadline, byte[] buf, IntConsumer counter) {
        try {
            s.setSoTimeout(TcpBench.READ_TIMEOUT_MILLIS);
            InputStream in = s.getInputStream();
            while (System.nanoTime() < deadline) {
                try {
                    int n = in.read(buf);
                    if (n < 0) {
                        return;
                    }
                    counter.accept(n);
                } catch (SocketTimeoutException e) {
                    // look at the clock again
                }
            }
        } catch (IOException e) {
            // the device closed or reset the connection
        }
    }

    /** The device's key=value file, waiting for it until {@code deadline}; empty if it never came. */
    private static Map<String, String> readStats(Path file, long deadline) throws InterruptedException {
        Map<String, String> out = new HashMap<>();
        while (true) {
            if (Files.exists(file)) {
                try {
                    for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                        int eq = line.indexOf('=');
                        if (eq > 0) {
                            out.put(line.substring(0, eq), line.substring(eq + 1));
                        }
                    }
                    return out;
                } catch (IOException e) {
                    out.clear();
                }
            }
            if (System.nanoTime() >= deadline) {
                return out;
            }
            Thread.sleep(50);
        }
    }

    /** The label, the device's retransmitted share of the segments it sent in the window, its bulk cwnd. */
    private static String note(String label, Map<String, String> stats) {
        if (stats.isEmpty()) {
            return label + "; no device stats (only delivered messages counted)";
        }
        long out = Long.parseLong(stats.getOrDefault("out_segs", "-1"));
        long retrans = Long.parseLong(stats.getOrDefault("retrans_segs", "-1"));
        String[] bulk = stats.getOrDefault("bulk_ss", "?").split(" ");
        // The congestion control the bulk connection really used, as ss reported it.
        StringBuilder s = new StringBuilder(bulk[0].equals(label) ? label : label + " (ss says " + bulk[0] + ")");
        if (out > 0 && retrans >= 0) {
            s.append(String.format(Locale.ROOT, "; retrans/sent %.1f%% (%d/%d segs)", 100.0 * retrans / out, retrans,
                    out));
        }
        for (String t : bulk) {
            if (t.startsWith("cwnd:") || t.startsWith("mss:")) {
                s.append(' ').append(t);
            } else if (t.startsWith("rtt:")) {
                s.append(" srtt:").append(t.substring(4, t.indexOf('/') > 0 ? t.indexOf('/') : t.length()))
                        .append("ms");
            }
        }
        return s.toString();
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    /** A latency cell of this table (see {@link BenchSupport#latency}). */
    private static String latency(double ms) {
        return BenchSupport.latency(ms, TcpBench.RTT_MS);
    }
}

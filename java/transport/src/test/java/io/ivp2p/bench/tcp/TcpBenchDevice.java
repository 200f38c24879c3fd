package io.ivp2p.bench.tcp;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import io.ivp2p.bench.BenchSupport;

/**
 * The device side of the TCP baseline (see {@link TcpBench}), in network namespace B: listens, accepts
 * the bulk and the messages connection (told apart by their first byte), then until the end of the
 * grace writes bulk as fast as the socket takes it and a 1024-byte message every 10 ms on the
 * messages connection (TCP_NODELAY): bytes 0..7 the sequence number, 8..15 System.nanoTime() just
 * before {@code write}, like TransportBench's Probe.
 *
 * <p>Right after the window it writes a small properties file for the app: which messages it sent
 * in the window (the app cannot see the ones that never arrived), this namespace's TCP segment and
 * retransmission counters over the window (/proc/net/snmp; the namespace holds only this benchmark's
 * sockets), and {@code ss -tin} of both connections (congestion control, cwnd, RTT, MSS).
 *
 * <p>Usage: {@code TcpBenchDevice listenAddress port windowSeconds statsFile}. Exits by itself: 30 s
 * without both connections, or at the end of the grace; a watchdog halts the JVM shortly after.
 */
public final class TcpBenchDevice {
    private TcpBenchDevice() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: TcpBenchDevice listenAddress port windowSeconds statsFile");
            System.exit(2);
        }
        InetAddress address = InetAddress.getByName(args[0]);
        int port = Integer.parseInt(args[1]);
        long windowNanos = Long.parseLong(args[2]) * 1_000_000_000L;
        Path statsFile = Path.of(args[3]);
        long started = System.nanoTime();
        // Connections, then warm-up, window and grace, plus margins: nothing legitimate runs longer.
        TcpBench.watchdog("device", started + TcpBench.CONNECT_NANOS + TcpBench.WARMUP_NANOS + windowNanos
                + TcpBench.GRACE_NANOS + 2 * TcpBench.MARGIN_NANOS);

        Socket bulk = null;
        Socket messages = null;
        long t0 = 0;
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(address, port));
            System.err.println("device: listening on " + server.getLocalSocketAddress());
            while (bulk == null || messages == null) {
                long left = started + TcpBench.CONNECT_NANOS - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("no bulk and messages connections within 30 s");
                }
                server.setSoTimeout((int) Math.max(1, left / 1_000_000L));
                Socket s = server.accept();
                s.setSoTimeout((int) Math.max(1, left / 1_000_000L));
                DataInputStream in = new DataInputStream(s.getInputStream());
                int kind = in.read();
                if (kind == TcpBench.BULK && bulk == null) {
                    bulk = s;
                } else if (kind == TcpBench.MESSAGES && messages == null) {
                    t0 = in.readLong();
                    // The messages are small and latency-sensitive: no Nagle delay behind a partial segment.
                    s.setTcpNoDelay(true);
                    messages = s;
                } else {
                    s.close();
                }
            }
        } catch (SocketTimeoutException e) {
            closeQuietly(bulk);
            closeQuietly(messages);
            throw new IllegalStateException("no bulk and messages connections within 30 s", e);
        }
        run(bulk, messages, t0, windowNanos, statsFile, port);
    }

    private static void run(Socket bulk, Socket messages, long t0, long windowNanos, Path statsFile, int port)
            throws Exception {
        long windowStart = t0 + TcpBench.WARMUP_NANOS;
        long windowEnd = windowStart + windowNanos;
        long graceEnd = windowEnd + TcpBench.GRACE_NANOS;
        int capacity = TcpBench.messageCapacity(windowNanos);
        AtomicLongArray sentAt = new AtomicLongArray(capacity);
        AtomicInteger sent = new AtomicInteger();

        Thread bulkWriter = TcpBench.start("bulk-writer", () -> {
            byte[] chunk = new byte[TcpBench.CHUNK];
            Arrays.fill(chunk, (byte) 0x5A);
            try {
                OutputStream out = bulk.getOutputStream();
                while (System.nanoTime() < graceEnd) {
                    out.write(chunk); // blocks while the send buffer is full: as fast as the socket takes it
                }
            } catch (IOException e) {
                // the app closed or reset the connection: done
            }
        });
        Thread messageWriter = TcpBench.start("message-writer", () -> {
            byte[] m = new byte[TcpBench.MESSAGE];
            ByteBuffer b = ByteBuffer.wrap(m);
            long period = 1_000_000_000L / TcpBench.MESSAGES_PER_SECOND;
            long next = System.nanoTime();
            try {
                OutputStream out = messages.getOutputStream();
                for (int seq = 0; seq < capacity; seq++) {
                    LockSupport.parkNanos(next - System.nanoTime());
                    long now = System.nanoTime();
                    if (now >= graceEnd) {
                        break;
                    }
                    b.putLong(0, seq);
                    b.putLong(8, now);
                    sentAt.set(seq, now);
                    sent.set(seq + 1);
                    out.write(m);
                    // A late tick is not made up with a burst: the schedule slips instead (as in TransportBench).
                    next = Math.max(next + period, System.nanoTime());
                }
            } catch (IOException e) {
                // closed
            }
        });
        // Nothing is read from the app after the first bytes; this only notices it going away, and
        // then the run is over: no stats file, and the app's side reports the failure.
        Thread closeWatcher = TcpBench.start("close-watcher", () -> {
            if (!drainUntil(bulk, graceEnd)) {
                System.err.println("device: the app closed or reset the connection before the end; exiting");
                Runtime.getRuntime().halt(1);
            }
        });

        BenchSupport.sleepUntil(windowStart);
        Map<String, Long> c0 = TcpBench.tcpCounters();
        BenchSupport.sleepUntil(windowEnd);
        Map<String, Long> c1 = TcpBench.tcpCounters();
        String ss = TcpBench.ss(port);
        int count = sent.get();
        int first = -1;
        int last = -1;
        for (int i = 0; i < count; i++) {
            long at = sentAt.get(i);
            if (at >= windowStart && at <= windowEnd) {
                first = first < 0 ? i : first;
                last = i;
            }
        }
        StringBuilder props = new StringBuilder();
        props.append("window_first_seq=").append(first).append('\n');
        props.append("window_last_seq=").append(last).append('\n');
        props.append("out_segs=").append(delta(c0, c1, "OutSegs")).append('\n');
        props.append("retrans_segs=").append(delta(c0, c1, "RetransSegs")).append('\n');
        props.append("bulk_ss=").append(describe(ss, bulk.getPort())).append('\n');
        props.append("messages_ss=").append(describe(ss, messages.getPort())).append('\n');
        // Written then renamed, so the app never reads half a file.
        Path tmp = statsFile.resolveSibling(statsFile.getFileName() + ".tmp");
        Files.writeString(tmp, props.toString(), StandardCharsets.US_ASCII);
        Files.move(tmp, statsFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        BenchSupport.sleepUntil(graceEnd);
        // Closing unblocks a writer stuck on a full send buffer.
        closeQuietly(bulk);
        closeQuietly(messages);
        bulkWriter.join(2000);
        messageWriter.join(2000);
        closeWatcher.join(2000);
        System.err.printf(Locale.ROOT, "device: done, %d messages sent, %d in the window%n", sent.get(),
                first < 0 ? 0 : last - first + 1);
    }

    /** Reads and discards until the deadline; false if the peer closed or reset the connection first. */
    private static boolean drainUntil(Socket s, long deadline) {
        byte[] buf = new byte[256];
        try {
            s.setSoTimeout(TcpBench.READ_TIMEOUT_MILLIS);
            InputStream in = s.getInputStream();
            while (System.nanoTime() < deadline) {
                try {
                    if (in.read(buf) < 0) {
                        return System.nanoTime() >= deadline;
                    }
                } catch (SocketTimeoutException e) {
                    // look at the clock again
                }
            }
            return true;
        } catch (IOException e) {
            // reset, or closed by this side at the end
            return System.nanoTime() >= deadline;
        }
    }

    private static long delta(Map<String, Long> a, Map<String, Long> b, String name) {
        Long x = a.get(name);
        Long y = b.get(name);
        return x == null || y == null ? -1 : y - x;
    }

    /**
     * The interesting fields of one connection's {@code ss -tin} entry (the one whose peer port is
     * {@code peerPort}): congestion control, MSS, cwnd, smoothed RTT, retransmissions, bytes.
     */
    static String describe(String ss, int peerPort) {
        String[] lines = ss.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String head = lines[i];
            if (head.isEmpty() || Character.isWhitespace(head.charAt(0))) {
                continue;
            }
            String[] cols = head.trim().split("\\s+");
            if (cols.length < 5 || !cols[4].endsWith(":" + peerPort)) {
                continue;
            }
            StringBuilder detail = new StringBuilder();
            for (int k = i + 1; k < lines.length && !lines[k].isEmpty() && Character.isWhitespace(lines[k].charAt(0));
                    k++) {
                detail.append(' ').append(lines[k].trim());
            }
            String[] tokens = detail.toString().trim().split("\\s+");
            // The algorithm's name comes after flags such as "ts sack" and before the first name:value.
            String algorithm = "?";
            for (String t : tokens) {
                if (t.contains(":")) {
                    break;
                }
                algorithm = t;
            }
            StringBuilder out = new StringBuilder(algorithm);
            for (String t : tokens) {
                for (String key : new String[] {"mss:", "cwnd:", "rtt:", "retrans:", "bytes_sent:", "bytes_retrans:"}) {
                    if (t.startsWith(key)) {
                        out.append(' ').append(t);
                    }
                }
            }
            return out.toString();
        }
        return "?";
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
}

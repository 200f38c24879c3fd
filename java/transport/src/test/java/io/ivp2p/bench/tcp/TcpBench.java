package io.ivp2p.bench.tcp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.ivp2p.bench.BenchSupport;

/**
 * What {@link TcpBenchDevice} and {@link TcpBenchApp} share: the TCP baseline of the transport
 * benchmark's part B (io.ivp2p.bench.TransportBench), run by {@code scripts/bench-tcp.sh} with the
 * two processes in two network namespaces joined by {@code bench/tcp/tundelay} (the same 20 Mbit/s
 * cap, 100 KB drop-tail queue and 20 ms one-way delay as ImpairmentProxy) and iptables' random
 * loss. A benchmark, not a test: Maven compiles it and never runs it.
 *
 * <p>Timeline. The app connects the bulk connection (first byte {@link #BULK}) and the messages
 * connection (first byte {@link #MESSAGES}, then the app's start time t0 as 8 bytes). Both
 * processes then work to the same deadlines: warm-up until t0 + {@link #WARMUP_NANOS}, the window
 * until then + the window, the grace until then + {@link #GRACE_NANOS}.
 *
 * <p>One clock for two processes: the deadlines and the message timestamps are
 * {@link System#nanoTime()}, which on Linux is CLOCK_MONOTONIC. That clock is one for the whole
 * machine (network namespaces do not change it; the script creates no time namespace, the only thing
 * that could offset it), so a time taken in the device process can be compared with one taken in
 * the app process.
 */
final class TcpBench {
    /** Part B's figures. */
    static final long CAP_BYTES_PER_SECOND = BenchSupport.CAP_BYTES_PER_SECOND;
    static final double RTT_MS = BenchSupport.RTT_MS;
    static final long WARMUP_NANOS = BenchSupport.WARMUP_NANOS;
    static final long GRACE_NANOS = BenchSupport.GRACE_NANOS;
    static final int MESSAGE = BenchSupport.MESSAGE;
    static final int MESSAGES_PER_SECOND = BenchSupport.MESSAGES_PER_SECOND;
    static final int CHUNK = 64 * 1024;

    static final int BULK = 'B';
    static final int MESSAGES = 'M';

    /** How long the app keeps trying to connect, and the device waits for both connections. */
    static final long CONNECT_NANOS = 30_000_000_000L;
    /** After the grace: time to write and read the device's stats file before giving up. */
    static final long MARGIN_NANOS = 2_000_000_000L;
    /** Reads wake up this often to look at the clock, so a vanished peer cannot hold a process. */
    static final int READ_TIMEOUT_MILLIS = 500;

    private TcpBench() {
    }

    /** Messages a run can send: warm-up, window and grace, plus slack. */
    static int messageCapacity(long windowNanos) {
        return (int) ((WARMUP_NANOS + windowNanos + GRACE_NANOS) / 1_000_000_000L + 2) * MESSAGES_PER_SECOND;
    }

    static Thread start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Exits the JVM at {@code deadline} whatever the other threads are doing (a write to a peer that
     * vanished without a reset blocks with no timeout in java.net). Exit status 3.
     */
    static void watchdog(String who, long deadline) {
        start(who + "-watchdog", () -> {
            try {
                BenchSupport.sleepUntil(deadline);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println(who + ": still running at its deadline, exiting");
            Runtime.getRuntime().halt(3);
        });
    }

    /** This network namespace's TCP counters (/proc/net/snmp, the "Tcp:" lines), by name. */
    static Map<String, Long> tcpCounters() {
        Map<String, Long> out = new HashMap<>();
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/snmp"), StandardCharsets.US_ASCII);
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("Tcp:") && lines.get(i + 1).startsWith("Tcp:")) {
                    String[] names = lines.get(i).split("\\s+");
                    String[] values = lines.get(i + 1).split("\\s+");
                    for (int k = 1; k < Math.min(names.length, values.length); k++) {
                        out.put(names[k], Long.parseLong(values[k]));
                    }
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no counters: the note says so
        }
        return out;
    }

    /** {@code ss -tin} for the TCP sockets on local port {@code port}, or "" (2 s at most). */
    static String ss(int port) {
        try {
            Process p = new ProcessBuilder("ss", "-tinH", "sport = :" + port).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "";
            }
            return new String(out, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}

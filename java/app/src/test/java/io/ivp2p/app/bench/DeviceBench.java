package io.ivp2p.app.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.LoggerFactory;

import io.ivp2p.app.AppConfig;
import io.ivp2p.app.DeviceKeys;
import io.ivp2p.app.P2pClient;
import io.ivp2p.app.P2pError;
import io.ivp2p.app.P2pException;
import io.ivp2p.bench.BenchSupport;
import io.ivp2p.path.SessionEndpoint;
import io.ivp2p.path.SessionHandle;
import io.ivp2p.testnet.ImpairmentProxy;

/**
 * The app side of the device benchmark (issue 4, point 14): a benchmark, not a test (it asserts
 * nothing; Maven compiles it and never runs it). The device is bench/device_bench.c, camera
 * firmware linked against libiv_p2p with the engine's JVM inside it, in its own process; this JVM
 * is the apps ({@link P2pClient}s), on loopback (127.0.0.1). Run by
 * {@code scripts/bench-device.sh}, which starts the device, runs this, and rewrites
 * {@code bench/RESULTS-device.md}.
 *
 * <p>A control session ({@code bench_ctl}) stays connected throughout and drives the device's
 * measurement windows with commands ({@code bench:phase-begin}/{@code phase-end}, answered by
 * the firmware's {@code command_cb} with its figures), between the timed parts. Every figure is
 * printed next to a baseline measured in this run, and next to its target:
 * <ol>
 * <li>LAN connect (discovery + DTLS-PSK + HELLO/WELCOME) against {@code connectDirect} to the same
 *     device (no discovery) and a bare SessionEndpoint handshake in this JVM;
 * <li>command round trips app→device and device→app ({@code iv_avt_p2p_send_command}, timed in
 *     C) against the same bytes echoed on a bare session channel in this JVM;
 * <li>frame latency from {@code send_get_cb} returning a frame to the app's read of its last byte,
 *     at 2 and 8 Mbit/s, against the 10 ms poll interval (both clocks are CLOCK_MONOTONIC:
 *     {@link System#nanoTime()} on Linux, and the firmware's {@code clock_gettime}; checked below);
 * <li>device CPU per Mbit/s against the idle device over the same window;
 * <li>device buffer memory per app, 4 apps × 2 streams, fast and throttled, against the vendor's
 *     published bounds.
 * </ol>
 *
 * <p>Usage: {@code DeviceBench PROBE_PORT TRANS_PORT [windowSeconds]} with the device's access key
 * in {@code IVP2P_ACCESS_KEY}; windowSeconds (default 15) scales the streaming windows.
 */
public final class DeviceBench {
    static final String DEVICE = "bench_cam";
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    // 1.
    static final int CONNECTS = 50;
    static final int CONNECT_WARMUP = 5;
    static final double TARGET_CONNECT_MS = 100;
    // 2.
    static final int RTTS = 5000;
    /**
     * Ten thousand: with 200 both JITs were still compiling the path (p90 above 1 ms; round trips
     * of about 4 ms, one scheduler tick, come in clusters while compiler threads hold the cores).
     * The first {@link #RTT_COLD} of them are shown as well: what an app sees after connecting.
     */
    static final int RTT_WARMUP = 10_000;
    static final int RTT_COLD = 1000;
    static final int RTT_BYTES = 64;
    static final double TARGET_RTT_MS = 2;
    // 3.
    static final int FPS = 25;
    static final int[] LATENCY_KBPS = {2000, 8000};
    static final double SENDER_INTERVAL_MS = 10; // the firmware leaves sender_interval_ms 0 = 10 ms
    static final int FRAME_HEADER = 32;
    static final int FRAME_MAGIC = 0x46425649;
    // 4. and 5.
    static final int APPS = 4;
    static final int STREAMS = 2;
    static final int APP_STREAM_KBPS = 1000;
    static final int CPU_KBPS = 8000;
    static final long WARMUP_NANOS = 2_000_000_000L;
    static final long KIB = 1024;
    /** Throttled link, each app, each way: 1.2 Mbit/s for 2 Mbit/s of streams, 20 ms, 30 KB queue (200 ms). */
    static final long THROTTLE_BYTES_PER_SECOND = 150_000;
    static final long THROTTLE_QUEUE = 30_000;
    static final long THROTTLE_DELAY_MICROS = 20_000;
    /** Watermarks (low, warn, high) the bench sets, and the vendor sample's. */
    static final long[] BENCH_MARKS = {64 * KIB, 96 * KIB, 128 * KIB};
    static final long[] VENDOR_MARKS = {200 * KIB, 400 * KIB, 500 * KIB};
    /** All 0: no events, no pause (the state after init until the firmware sets watermarks). */
    static final long[] NO_MARKS = {0, 0, 0};
    /** An unmeasured stream before section 3: both JITs compile the streaming path first. */
    static final long STREAM_WARMUP_NANOS = 5_000_000_000L;
    /** Vendor bounds per app (abi-facts.md, "Published resource figures"), KB read as KiB. */
    static final long FAST_BOUND = 150 * KIB;
    static final long SLOW_BOUND = (STREAMS * 512 + 732) * KIB;
    static final double TARGET_BOUND_SHARE = 0.5;

    private final InetSocketAddress probe;
    private final InetSocketAddress session;
    private final String key;
    private final long windowNanos;
    private final List<String> targets = new ArrayList<>();
    private P2pClient ctl;
    private int ctlHandle;

    private DeviceBench(int probePort, int transPort, String key, long windowNanos) {
        this.probe = new InetSocketAddress(LOOPBACK, probePort);
        this.session = new InetSocketAddress(LOOPBACK, transPort);
        this.key = key;
        this.windowNanos = windowNanos;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: DeviceBench PROBE_PORT TRANS_PORT [windowSeconds]  (key in IVP2P_ACCESS_KEY)");
            System.exit(2);
        }
        String key = System.getenv("IVP2P_ACCESS_KEY");
        if (key == null || key.isEmpty()) {
            System.err.println("IVP2P_ACCESS_KEY is not set");
            System.exit(2);
        }
        quietLogging();
        // Bounded: whatever happens, this JVM ends (the script then stops the device).
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(15));
                System.err.println("DeviceBench: still running after 15 minutes, giving up");
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException e) {
                // finished
            }
        }, "bench-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        long window = (args.length > 2 ? Long.parseLong(args[2]) : 15) * 1_000_000_000L;
        long started = System.nanoTime();
        DeviceBench b = new DeviceBench(Integer.parseInt(args[0]), Integer.parseInt(args[1]), key, window);
        b.run();
        System.out.printf(Locale.ROOT, "(whole run %.0f s)%n", (System.nanoTime() - started) / 1e9);
        System.exit(0);
    }

    static void quietLogging() {
        BenchSupport.quietLogging();
        // logback-test.xml (on the test class path) has io.ivp2p.app at INFO: one line per connect.
        if (LoggerFactory.getLogger("io.ivp2p.app") instanceof ch.qos.logback.classic.Logger app) {
            app.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private void run() throws Exception {
        System.out.println("App JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + ", " + Runtime.getRuntime().availableProcessors() + " CPUs; device " + DEVICE + " at " + session
                + ", probe port " + probe.getPort());
        ctl = client("bench_ctl", probe);
        ctlHandle = connect(ctl, 10_000);
        clockCheck();
        System.out.println();
        connects();
        System.out.println();
        roundTrips();
        System.out.println();
        latencies();
        System.out.println();
        cpuAndMemory();
        System.out.println();
        printPauses();
        System.out.println();
        System.out.println("Targets (printed, not asserted):");
        for (String t : targets) {
            System.out.println("  " + t);
        }
        ctl.disconnect(ctlHandle);
        ctl.deInit();
    }

    // ------------------------------------------------------------------ helpers

    private P2pClient client(String uid, InetSocketAddress probeTarget) {
        P2pClient c = new P2pClient();
        DeviceKeys keys = DeviceKeys.of(DEVICE, key);
        AppConfig config = AppConfig.defaults().withBindAddress(new InetSocketAddress(LOOPBACK, 0))
                .withProbeTargets(List.of(probeTarget));
        int rc = c.init(uid, keys, config);
        if (rc != 0) {
            throw new IllegalStateException("init " + uid + ": " + P2pError.describe(rc));
        }
        return c;
    }

    private static int connect(P2pClient c, int timeoutMs) {
        int h = c.connectBlocking(DEVICE, P2pClient.LAN_FIRST, timeoutMs);
        if (h < 0) {
            throw new IllegalStateException("connect: " + P2pError.describe(h));
        }
        return h;
    }

    /** A control command to the device's command_cb; its text reply. */
    private String device(String command) throws P2pException {
        return new String(ctl.command(ctlHandle, command.getBytes(StandardCharsets.UTF_8), 60_000),
                StandardCharsets.UTF_8);
    }

    static Map<String, String> kv(String line) {
        Map<String, String> m = new HashMap<>();
        for (String part : line.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                m.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return m;
    }

    private Map<String, String> phase(String name, boolean sample, Sleeper during) throws Exception {
        String r = device("bench:phase-begin " + name + " " + (sample ? 1 : 0));
        if (!r.startsWith("ok")) {
            throw new IllegalStateException("phase-begin: " + r);
        }
        during.run();
        return kv(device("bench:phase-end"));
    }

    @FunctionalInterface
    interface Sleeper {
        void run() throws Exception;
    }

    /** Sorted copy, ns. */
    static long[] sorted(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s;
    }

    /** Nearest rank, in the unit divided by {@code unit}. */
    static double pct(long[] sorted, double p, double unit) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / unit;
    }

    private void target(String what, double value, double limit, String unit) {
        targets.add(String.format(Locale.ROOT, "%-96s %7.2f %-3s (target <= %.2f) -> %s", what, value, unit, limit,
                value <= limit ? "met" : "MISSED"));
    }

    private void clockCheck() throws Exception {
        long t0 = System.nanoTime();
        long device = Long.parseLong(kv(device("bench:clock")).get("mono_ns"));
        long t1 = System.nanoTime();
        boolean inside = device >= t0 && device <= t1;
        System.out.printf(Locale.ROOT, "Clock check: the device's CLOCK_MONOTONIC read during a command lies %s this JVM's "
                + "System.nanoTime() before and after it (window %.2f ms): %s%n", inside ? "between" : "OUTSIDE",
                (t1 - t0) / 1e6, inside ? "one clock, cross-process latencies are valid"
                        : "different clocks, section 3 is INVALID");
    }

    // ------------------------------------------------------------------ 1. connect

    private void connects() throws Exception {
        P2pClient c = client("bench_conn", probe);
        long[] lan = new long[CONNECTS];
        long[] direct = new long[CONNECTS];
        try {
            for (int i = -CONNECT_WARMUP; i < CONNECTS; i++) {
                long t0 = System.nanoTime();
                int h = connect(c, 10_000);
                long t1 = System.nanoTime();
                c.disconnect(h);
                if (i >= 0) {
                    lan[i] = t1 - t0;
                }
            }
            for (int i = -CONNECT_WARMUP; i < CONNECTS; i++) {
                long t0 = System.nanoTime();
                int h = c.connectDirect(DEVICE, session, 10_000);
                long t1 = System.nanoTime();
                if (h < 0) {
                    throw new IllegalStateException("connectDirect: " + P2pError.describe(h));
                }
                c.disconnect(h);
                if (i >= 0) {
                    direct[i] = t1 - t0;
                }
            }
        } finally {
            c.deInit();
        }
        long[] bare = bareHandshakes();
        long[] l = sorted(lan);
        long[] d = sorted(direct);
        long[] b = sorted(bare);
        double base = pct(b, 50, 1e6);
        System.out.printf("1. LAN connect on loopback, %d connects after %d warm-up, one at a time, each disconnected before "
                + "the next (ms)%n", CONNECTS, CONNECT_WARMUP);
        System.out.printf(Locale.ROOT, "%-78s %7s %7s %7s %7s %9s%n", "case", "median", "p90", "min", "max",
                "vs base");
        row1("P2pClient.connectBlocking LAN_FIRST: PROBE to 127.0.0.1:" + probe.getPort()
                + ", DTLS-PSK, HELLO/WELCOME", l, base);
        row1("P2pClient.connectDirect to the session port: DTLS-PSK, HELLO/WELCOME", d, base);
        row1("baseline: bare SessionEndpoint DTLS-PSK handshake, both ends in this JVM", b, base);
        target("1. LAN connect, median", pct(l, 50, 1e6), TARGET_CONNECT_MS, "ms");
    }

    private static void row1(String name, long[] sorted, double base) {
        System.out.printf(Locale.ROOT, "%-78s %7.1f %7.1f %7.1f %7.1f %8.2fx%n", name, pct(sorted, 50, 1e6),
                pct(sorted, 90, 1e6), pct(sorted, 0, 1e6), pct(sorted, 100, 1e6), pct(sorted, 50, 1e6) / base);
    }

    /**
     * The baselines' path: two bare SessionEndpoints on loopback in this JVM, DTLS-PSK with the
     * device's key, no app SDK and no device process.
     */
    private final class BarePair implements AutoCloseable {
        final byte[] psk = key.getBytes(StandardCharsets.UTF_8);
        final LinkedBlockingQueue<SessionHandle> accepted = new LinkedBlockingQueue<>();
        final SessionEndpoint server;
        final SessionEndpoint client;

        BarePair() throws Exception {
            InetSocketAddress any = new InetSocketAddress(LOOPBACK, 0);
            server = SessionEndpoint.open(any, SessionEndpoint.Config.defaults(), id -> psk.clone(), accepted::add);
            try {
                client = SessionEndpoint.open(any, SessionEndpoint.Config.defaults(), null, null);
            } catch (Exception e) {
                server.close();
                throw e;
            }
        }

        SessionHandle connect(String uid) throws Exception {
            return client.connect(server.localAddress(), uid, psk).get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            client.close();
            server.close();
        }
    }

    private long[] bareHandshakes() throws Exception {
        long[] out = new long[CONNECTS];
        try (BarePair bare = new BarePair()) {
            for (int i = -CONNECT_WARMUP; i < CONNECTS; i++) {
                long t0 = System.nanoTime();
                SessionHandle h = bare.connect("bench_bare");
                long t1 = System.nanoTime();
                h.close();
                h.closed().get(5, TimeUnit.SECONDS);
                SessionHandle s = bare.accepted.poll(5, TimeUnit.SECONDS);
                if (s != null) {
                    s.closed().get(5, TimeUnit.SECONDS);
                }
                if (i >= 0) {
                    out[i] = t1 - t0;
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ 2. command round trips

    private void roundTrips() throws Exception {
        byte[] msg = new byte[RTT_BYTES];
        Arrays.fill(msg, (byte) 'a');
        long[] up = new long[RTT_WARMUP + RTTS];
        for (int i = 0; i < up.length; i++) {
            long t0 = System.nanoTime();
            byte[] r = ctl.command(ctlHandle, msg, 5_000);
            long t1 = System.nanoTime();
            if (!Arrays.equals(r, msg)) {
                throw new IllegalStateException("the device's echo differs");
            }
            up[i] = t1 - t0;
        }
        ctl.setCommandHandler(ctlHandle, (h, m) -> m);
        Map<String, String> down = kv(device("bench:send-command " + RTTS + " " + RTT_WARMUP + " " + RTT_BYTES));
        ctl.setCommandHandler(ctlHandle, null);
        long[] dn = Arrays.stream(down.getOrDefault("rtt_ns", "").split(",")).filter(s -> !s.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        if (dn.length != RTT_WARMUP + RTTS) {
            throw new IllegalStateException("device -> app: " + dn.length + " round trips, " + down.get("errors")
                    + " errors (last rc " + down.get("last_rc") + ")");
        }
        long[] base = bareEcho();
        long[] u = sorted(Arrays.copyOfRange(up, RTT_WARMUP, up.length));
        long[] d = sorted(Arrays.copyOfRange(dn, RTT_WARMUP, dn.length));
        long[] b = sorted(base);
        double b50 = pct(b, 50, 1e3);
        System.out.printf("2. Command round trip on loopback, %d B each way, one at a time: %d after %d warm-up (us); "
                + "also the first %d of the warm-up%n", RTT_BYTES, RTTS, RTT_WARMUP, RTT_COLD);
        System.out.printf(Locale.ROOT, "%-78s %7s %7s %7s %7s %9s%n", "case", "median", "p90", "p99", "max",
                "vs base");
        row2("app -> device: P2pClient.command, the firmware's command_cb echoes (timed in Java)", u, b50);
        row2("device -> app: iv_avt_p2p_send_command from a firmware thread, the app's handler echoes (timed in C)",
                d, b50);
        row2("baseline: the same bytes echoed on channel 1 of a bare session, both ends in this JVM", b, b50);
        row2("app -> device, the first " + RTT_COLD + " (cold: right after the connect phase)",
                sorted(Arrays.copyOf(up, RTT_COLD)), b50);
        row2("device -> app, the first " + RTT_COLD + " (cold: its first send_commands)",
                sorted(Arrays.copyOf(dn, RTT_COLD)), b50);
        target("2. command round trip app -> device, median", pct(u, 50, 1e6), TARGET_RTT_MS, "ms");
        target("2. command round trip device -> app, median", pct(d, 50, 1e6), TARGET_RTT_MS, "ms");
    }

    private static void row2(String name, long[] sorted, double base) {
        System.out.printf(Locale.ROOT, "%-78s %7.0f %7.0f %7.0f %7.0f %8.2fx%n", name, pct(sorted, 50, 1e3),
                pct(sorted, 90, 1e3), pct(sorted, 99, 1e3), pct(sorted, 100, 1e3), pct(sorted, 50, 1e3) / base);
    }

    /** RTT_BYTES echoed on channel 1 of a bare session (a reader thread on the accepting side writes them back). */
    private long[] bareEcho() throws Exception {
        long[] out = new long[RTTS];
        try (BarePair bare = new BarePair()) {
            SessionHandle a = bare.connect("bench_echo");
            SessionHandle s = bare.accepted.poll(10, TimeUnit.SECONDS);
            Thread echo = new Thread(() -> {
                byte[] buf = new byte[RTT_BYTES];
                try {
                    while (true) {
                        int n = s.read(1, buf, 0, buf.length, 5_000);
                        if (n <= 0) {
                            return;
                        }
                        s.write(1, buf, 0, n, 5_000);
                    }
                } catch (RuntimeException e) {
                    // closed
                }
            }, "bench-echo");
            echo.setDaemon(true);
            echo.start();
            byte[] msg = new byte[RTT_BYTES];
            byte[] in = new byte[RTT_BYTES];
            for (int i = -RTT_WARMUP; i < RTTS; i++) {
                long t0 = System.nanoTime();
                a.write(1, msg, 0, msg.length, 5_000);
                int got = 0;
                while (got < RTT_BYTES) {
                    int n = a.read(1, in, got, RTT_BYTES - got, 5_000);
                    if (n <= 0) {
                        throw new IllegalStateException("bare echo: read " + n);
                    }
                    got += n;
                }
                long t1 = System.nanoTime();
                if (i >= 0) {
                    out[i] = t1 - t0;
                }
            }
            a.close();
            echo.join(5_000);
        }
        return out;
    }

    // ------------------------------------------------------------------ GC pauses

    /** One stop-the-world pause from a JVM's -Xlog:gc log (decorator timenanos: System.nanoTime at its end). */
    record Pause(String jvm, String kind, long endNanos, double ms) {
        long startNanos() {
            return endNanos - (long) (ms * 1e6);
        }
    }

    private static final Pattern PAUSE = Pattern.compile("\\[(\\d+)ns\\].*\\bPause (\\w+).* ([0-9.]+)ms$");

    /**
     * The pauses logged so far by the JVMs in {@code -Ddevicebench.gclogs=label=path,...} (the script
     * runs both with {@code -Xlog:gc:file=...:timenanos,uptime}); none without the property.
     */
    static List<Pause> pauses() {
        List<Pause> out = new ArrayList<>();
        for (String entry : System.getProperty("devicebench.gclogs", "").split(",")) {
            int eq = entry.indexOf('=');
            if (eq < 0) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(Path.of(entry.substring(eq + 1)))) {
                    Matcher m = PAUSE.matcher(line);
                    if (m.find()) {
                        out.add(new Pause(entry.substring(0, eq), m.group(2), Long.parseLong(m.group(1)),
                                Double.parseDouble(m.group(3))));
                    }
                }
            } catch (java.io.IOException e) {
                System.out.println("   (GC log " + entry + " unreadable: " + e + ")");
            }
        }
        return out;
    }

    /** " [device GC 38.1 ms]" for the pauses overlapping [from, to], else "". */
    static String pausesDuring(long from, long to) {
        StringBuilder b = new StringBuilder();
        for (Pause p : pauses()) {
            if (p.startNanos() <= to && p.endNanos() >= from) {
                b.append(String.format(Locale.ROOT, "%s%s GC %.1f ms", b.length() == 0 ? " [" : ", ", p.jvm(), p.ms()));
            }
        }
        return b.length() == 0 ? "" : b.append("]").toString();
    }

    private static void printPauses() {
        List<Pause> all = pauses();
        if (all.isEmpty()) {
            System.out.println("GC pauses: not recorded (no -Ddevicebench.gclogs)");
            return;
        }
        System.out.println("GC pauses over the whole run (-Xlog:gc of each JVM):");
        Map<String, List<Pause>> by = new java.util.TreeMap<>();
        for (Pause p : all) {
            by.computeIfAbsent(p.jvm(), k -> new ArrayList<>()).add(p);
        }
        for (Map.Entry<String, List<Pause>> e : by.entrySet()) {
            double total = 0;
            double max = 0;
            Map<String, Integer> kinds = new java.util.TreeMap<>();
            for (Pause p : e.getValue()) {
                total += p.ms();
                max = Math.max(max, p.ms());
                kinds.merge(p.kind(), 1, Integer::sum);
            }
            System.out.printf(Locale.ROOT, "   %-7s %3d pauses %s, %.0f ms in all, longest %.1f ms%n", e.getKey(),
                    e.getValue().size(), kinds, total, max);
        }
    }

    // ------------------------------------------------------------------ 3. frame latency

    /** Reads one stream, parses the firmware's frame headers, keeps one record per whole frame. */
    static final class FrameReader {
        private final P2pClient client;
        private final int handle;
        private final int channel;
        private final Thread thread;
        final AtomicLong bytes = new AtomicLong();
        /** seq, due, got (send_get_cb), read (System.nanoTime of the read that gave its last byte). */
        final List<long[]> frames = new ArrayList<>();
        volatile int result;
        volatile boolean broken;

        FrameReader(P2pClient client, int handle, int channel) {
            this.client = client;
            this.handle = handle;
            this.channel = channel;
            this.thread = new Thread(this::loop, "bench-reader-" + handle + "-" + channel);
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            byte[] buf = new byte[64 * 1024];
            ByteBuffer header = ByteBuffer.allocate(FRAME_HEADER).order(ByteOrder.LITTLE_ENDIAN);
            long left = 0; // body bytes of the current frame still to come
            long[] current = null;
            while (true) {
                int n = client.read(handle, channel, buf, 0, buf.length, 500);
                long now = System.nanoTime();
                if (n == P2pError.TIME_OUT) {
                    continue;
                }
                if (n < 0) {
                    result = n;
                    return;
                }
                bytes.addAndGet(n);
                int i = 0;
                while (i < n) {
                    if (current == null) {
                        int take = Math.min(header.remaining(), n - i);
                        header.put(buf, i, take);
                        i += take;
                        if (header.hasRemaining()) {
                            break;
                        }
                        header.flip();
                        int magic = header.getInt(0);
                        if (magic != FRAME_MAGIC) {
                            broken = true; // out of step: stop parsing, keep counting bytes
                            result = 1;
                            drain(buf);
                            return;
                        }
                        current = new long[] {header.getInt(4) & 0xffffffffL, header.getLong(16), header.getLong(24), 0};
                        left = (header.getInt(8) & 0xffffffffL) - FRAME_HEADER;
                        header.clear();
                    } else {
                        int take = (int) Math.min(left, n - i);
                        left -= take;
                        i += take;
                    }
                    if (current != null && left == 0) {
                        current[3] = now;
                        synchronized (frames) {
                            frames.add(current);
                        }
                        current = null;
                    }
                }
            }
        }

        private void drain(byte[] buf) {
            int n;
            while ((n = client.read(handle, channel, buf, 0, buf.length, 500)) > 0 || n == P2pError.TIME_OUT) {
                if (n > 0) {
                    bytes.addAndGet(n);
                }
            }
        }

        /** Frames that send_get_cb returned within [from, to]. */
        List<long[]> window(long from, long to) {
            List<long[]> w = new ArrayList<>();
            synchronized (frames) {
                for (long[] f : frames) {
                    if (f[2] >= from && f[2] <= to) {
                        w.add(f);
                    }
                }
            }
            return w;
        }

        /** Asks the device to end the stream and waits for its end (or the session's). */
        void close() throws Exception {
            client.closeStream(handle, channel);
            thread.join(10_000);
        }
    }

    private void latencies() throws Exception {
        ctl.openStream(ctlHandle, 1, "action=live&kbps=" + LATENCY_KBPS[LATENCY_KBPS.length - 1] + "&fps=" + FPS, 5_000);
        FrameReader warm = new FrameReader(ctl, ctlHandle, 1);
        Thread.sleep(STREAM_WARMUP_NANOS / 1_000_000);
        warm.close();
        List<String> slowest = new ArrayList<>();
        System.out.printf(Locale.ROOT, "3. Frame latency on loopback (after an unmeasured %.0f s stream): one stream of %d fps, "
                + "%.0f s after a %.0f s warm-up; "
                + "latency = the app's read of a frame's last byte - send_get_cb returning it (ms); poll wait = "
                + "send_get_cb returning it - the frame being due at the firmware (ms; bounded by "
                + "sender_interval_ms)%n", STREAM_WARMUP_NANOS / 1e9, FPS, windowNanos / 1e9, WARMUP_NANOS / 1e9);
        System.out.printf(Locale.ROOT, "%-9s %7s %8s %8s %7s %7s %7s %7s %11s %10s %10s %9s%n", "stream", "frames",
                "bytes", "median", "p90", "p99", "max", "skipped", "median/10ms", "wait med", "wait p99",
                "got Mbit/s");
        for (int kbps : LATENCY_KBPS) {
            ctl.openStream(ctlHandle, 1, "action=live&kbps=" + kbps + "&fps=" + FPS, 5_000);
            FrameReader r = new FrameReader(ctl, ctlHandle, 1);
            Thread.sleep(WARMUP_NANOS / 1_000_000);
            long from = System.nanoTime();
            long b0 = r.bytes.get();
            BenchSupport.sleepUntil(from + windowNanos);
            long to = System.nanoTime();
            long b1 = r.bytes.get();
            Thread.sleep(500); // the last frames of the window arrive
            r.close();
            List<long[]> w = r.window(from, to);
            long[] lat = new long[w.size()];
            long[] wait = new long[w.size()];
            long skipped = 0;
            for (int i = 0; i < w.size(); i++) {
                long[] f = w.get(i);
                lat[i] = f[3] - f[2];
                wait[i] = f[2] - f[1];
                if (i > 0) {
                    skipped += Math.max(0, f[0] - w.get(i - 1)[0] - 1);
                }
            }
            long[] l = sorted(lat);
            long[] q = sorted(wait);
            int frameBytes = kbps * 1000 / 8 / FPS;
            System.out.printf(Locale.ROOT, "%-9s %7d %8d %8.2f %7.2f %7.2f %7.2f %7d %10.2fx %10.2f %10.2f %9.2f%s%n",
                    kbps / 1000 + " Mbit/s", w.size(), frameBytes, pct(l, 50, 1e6), pct(l, 90, 1e6), pct(l, 99, 1e6),
                    pct(l, 100, 1e6), skipped, pct(l, 50, 1e6) / SENDER_INTERVAL_MS, pct(q, 50, 1e6), pct(q, 99, 1e6),
                    (b1 - b0) * 8 / ((to - from) / 1e9) / 1e6, r.broken ? "  (FRAME PARSE LOST STEP)" : "");
            Integer[] order = new Integer[lat.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (x, y) -> Long.compare(lat[y], lat[x]));
            StringBuilder worst = new StringBuilder();
            for (int i = 0; i < Math.min(5, order.length); i++) {
                long[] f = w.get(order[i]);
                worst.append(String.format(Locale.ROOT, "%s%.1f ms at %.1f s%s", i == 0 ? "" : ", ", lat[order[i]] / 1e6,
                        (f[2] - from) / 1e9, pausesDuring(f[2], f[3])));
            }
            slowest.add(kbps / 1000 + " Mbit/s: " + worst);
        }
        System.out.println("   slowest frames (latency at the time send_get_cb returned them, from the window's start; "
                + "[GC pauses of either JVM overlapping them]):");
        for (String line : slowest) {
            System.out.println("   " + line);
        }
    }

    // ------------------------------------------------------------------ 4. CPU and 5. memory

    /** Apps with their streams: {@code APPS} clients, each {@code STREAMS} streams. */
    private final class Fleet implements AutoCloseable {
        final List<P2pClient> clients = new ArrayList<>();
        final List<Integer> handles = new ArrayList<>();
        final List<FrameReader> readers = new ArrayList<>();
        final List<ImpairmentProxy> proxies = new ArrayList<>();

        Fleet(boolean throttled, String tag) throws Exception {
            for (int a = 0; a < APPS; a++) {
                InetSocketAddress target = probe;
                if (throttled) {
                    ImpairmentProxy.Impairment link = new ImpairmentProxy.Impairment(0, THROTTLE_DELAY_MICROS,
                            THROTTLE_BYTES_PER_SECOND, THROTTLE_QUEUE);
                    ImpairmentProxy p = new ImpairmentProxy(session, link, link, 4200 + a);
                    proxies.add(p);
                    // The device's session port answers probes too: discovery runs through the proxy.
                    target = p.address();
                }
                P2pClient c = client("bench_" + tag + a, target);
                clients.add(c);
                handles.add(connect(c, 10_000));
            }
        }

        void open() throws P2pException {
            for (int a = 0; a < APPS; a++) {
                for (int s = 1; s <= STREAMS; s++) {
                    clients.get(a).openStream(handles.get(a), s, "action=live&kbps=" + APP_STREAM_KBPS + "&fps=" + FPS
                            + "&app=" + a, 5_000);
                    readers.add(new FrameReader(clients.get(a), handles.get(a), s));
                }
            }
        }

        long bytes() {
            long n = 0;
            for (FrameReader r : readers) {
                n += r.bytes.get();
            }
            return n;
        }

        @Override
        public void close() throws Exception {
            for (FrameReader r : readers) {
                r.client.closeStream(r.handle, r.channel);
            }
            for (FrameReader r : readers) {
                r.thread.join(10_000);
            }
            for (int a = 0; a < clients.size(); a++) {
                clients.get(a).disconnect(handles.get(a));
                clients.get(a).deInit();
            }
            for (ImpairmentProxy p : proxies) {
                p.close();
            }
        }
    }

    private record Cpu(String name, double wallSeconds, double cpuSeconds, double mbit, long rssKib) {
        double corePercent() {
            return 100 * cpuSeconds / wallSeconds;
        }
    }

    private record Memory(String name, String link, long[] marks, Map<String, String> device, double appMbit) {
        long appMax() {
            return Long.parseLong(device.get("app_max"));
        }
    }

    private void cpuAndMemory() throws Exception {
        List<Cpu> cpu = new ArrayList<>();
        List<Memory> memory = new ArrayList<>();

        Map<String, String> idle = phase("cpu-idle", false, () -> Thread.sleep(windowNanos / 1_000_000));
        cpu.add(cpu("idle: the control session connected, no stream (baseline)", idle, 0));
        // No app at all: the control session leaves after phase-begin and is back (a handshake) for phase-end.
        device("bench:phase-begin cpu-idle-alone 0");
        ctl.disconnect(ctlHandle);
        Thread.sleep(windowNanos / 1_000_000);
        ctlHandle = connect(ctl, 10_000);
        cpu.add(cpu("idle, no app connected (the control session away)", kv(device("bench:phase-end")), 0));

        ctl.openStream(ctlHandle, 1, "action=live&kbps=" + CPU_KBPS + "&fps=" + FPS, 5_000);
        FrameReader one = new FrameReader(ctl, ctlHandle, 1);
        Thread.sleep(WARMUP_NANOS / 1_000_000);
        long[] b = new long[2];
        Map<String, String> single = phase("cpu-1x8mbit", false, () -> {
            b[0] = one.bytes.get();
            Thread.sleep(windowNanos / 1_000_000);
            b[1] = one.bytes.get();
        });
        one.close();
        cpu.add(cpu("1 app, 1 stream of " + CPU_KBPS / 1000 + " Mbit/s", single, b[1] - b[0]));

        String set = device("bench:watermarks " + BENCH_MARKS[0] + " " + BENCH_MARKS[1] + " " + BENCH_MARKS[2]);
        if (!set.equals("rc=0")) {
            throw new IllegalStateException("set_buf_watermark: " + set);
        }
        // Fast link: the memory window from the first byte of 4 x 2 streams, then the CPU window on them.
        try (Fleet fleet = new Fleet(false, "fast")) {
            long[] fb = new long[2];
            Map<String, String> m = phase("mem-fast", true, () -> {
                fleet.open();
                fb[0] = fleet.bytes();
                BenchSupport.sleepUntil(System.nanoTime() + windowNanos);
                fb[1] = fleet.bytes();
            });
            memory.add(new Memory("fast", "loopback", BENCH_MARKS, m, mbit(fb[1] - fb[0], m) / APPS));
            Map<String, String> c = phase("cpu-4x2", false, () -> {
                fb[0] = fleet.bytes();
                Thread.sleep(windowNanos / 1_000_000);
                fb[1] = fleet.bytes();
            });
            cpu.add(cpu(APPS + " apps x " + STREAMS + " streams of " + APP_STREAM_KBPS / 1000 + " Mbit/s", c,
                    fb[1] - fb[0]));
        }
        for (long[] marks : List.of(BENCH_MARKS, VENDOR_MARKS, NO_MARKS)) {
            set = device("bench:watermarks " + marks[0] + " " + marks[1] + " " + marks[2]);
            if (!set.equals("rc=0")) {
                throw new IllegalStateException("set_buf_watermark: " + set);
            }
            String tag = marks == BENCH_MARKS ? "slow" : marks == VENDOR_MARKS ? "vendor" : "nomarks";
            try (Fleet fleet = new Fleet(true, tag)) {
                long[] fb = new long[2];
                // From the streams' first byte: the buffers fill while the window runs.
                Map<String, String> m = phase("mem-" + tag, true, () -> {
                    fleet.open();
                    fb[0] = fleet.bytes();
                    BenchSupport.sleepUntil(System.nanoTime() + windowNanos + 5_000_000_000L);
                    fb[1] = fleet.bytes();
                });
                memory.add(new Memory("throttled", String.format(Locale.ROOT, "%.1f Mbit/s, %d ms, %d KB queue",
                        THROTTLE_BYTES_PER_SECOND * 8 / 1e6, THROTTLE_DELAY_MICROS / 1000, THROTTLE_QUEUE / 1000), marks,
                        m, mbit(fb[1] - fb[0], m) / APPS));
            }
        }
        device("bench:watermarks 0 0 0");
        printCpu(cpu);
        System.out.println();
        printMemory(memory);
    }

    private static double mbit(long bytes, Map<String, String> phase) {
        return bytes * 8 / Double.parseDouble(phase.get("wall_s")) / 1e6;
    }

    private static Cpu cpu(String name, Map<String, String> p, long bytes) {
        double wall = Double.parseDouble(p.get("wall_s"));
        double cpu = Double.parseDouble(p.get("user_s")) + Double.parseDouble(p.get("sys_s"));
        return new Cpu(name, wall, cpu, bytes * 8 / wall / 1e6, Long.parseLong(p.get("rss_kib")));
    }

    private void printCpu(List<Cpu> rows) {
        Cpu idle = rows.get(0);
        System.out.printf(Locale.ROOT, "4. Device CPU: the device process (firmware, libiv_p2p, the engine's JVM: every "
                + "thread, user + system, getrusage), %.0f s windows after a %.0f s warm-up; Mbit/s = stream bytes the "
                + "apps read in the window; %% core per Mbit/s: gross, and net of the idle baseline (the first row); "
                + "RSS: the device process's VmRSS at the window's end%n",
                windowNanos / 1e9, WARMUP_NANOS / 1e9);
        System.out.printf(Locale.ROOT, "%-58s %8s %7s %8s %10s %13s %13s %8s%n", "case", "window s", "Mbit/s", "CPU s",
                "% one core", "%core/Mbit/s", "net of idle", "RSS MiB");
        for (Cpu c : rows) {
            boolean base = c.mbit() == 0;
            double net = (c.corePercent() - idle.corePercent()) / c.mbit();
            System.out.printf(Locale.ROOT, "%-58s %8.1f %7.2f %8.2f %9.2f%% %13s %13s %8.1f%n", c.name(), c.wallSeconds(),
                    c.mbit(), c.cpuSeconds(), c.corePercent(),
                    base ? "-" : String.format(Locale.ROOT, "%.2f%%", c.corePercent() / c.mbit()),
                    base ? "-" : String.format(Locale.ROOT, "%.2f%%", net), c.rssKib() / 1024.0);
        }
    }

    private void printMemory(List<Memory> rows) {
        System.out.printf(Locale.ROOT, "5. Device buffer memory per app: %d apps x %d streams of %d Mbit/s (%d fps), "
                + "each app its own P2pClient; %.0f s windows from the streams' first byte (throttled: %.0f s). "
                + "\"app max\": the largest, over the window and the apps, of the sum of iv_avt_p2p_get_send_buf over "
                + "one app's streams, sampled by the firmware every 1 ms; vendor bound per app: %d KiB (fast), "
                + "(n x 512 + 732) KiB = %d KiB (weak link, n = %d); target: app max <= %.0f %% of the bound%n",
                APPS, STREAMS, APP_STREAM_KBPS / 1000, FPS, windowNanos / 1e9, (windowNanos + 5e9) / 1e9,
                FAST_BOUND / KIB, SLOW_BOUND / KIB, STREAMS, TARGET_BOUND_SHARE * 100);
        System.out.printf(Locale.ROOT, "%-9s %-29s %-13s %12s %8s %7s %-22s %10s %12s %10s %12s %9s %9s%n", "link", "path",
                "low/warn/high", "app max KiB", "bound", "ratio", "each app's max, KiB", "all apps", "engine alloc",
                "HIGH/LOW", "frames sent/", "Mbit/s", "RSS MiB");
        System.out.printf(Locale.ROOT, "%-9s %-29s %-13s %12s %8s %7s %-22s %10s %12s %10s %12s %9s %9s%n", "", "",
                "KiB", "", "KiB", "", "", "max KiB", "max KiB", "events", "skipped", "per app", "max");
        for (Memory m : rows) {
            boolean fast = m.name().equals("fast");
            long bound = fast ? FAST_BOUND : SLOW_BOUND;
            double ratio = (double) m.appMax() / bound;
            StringBuilder each = new StringBuilder();
            for (String v : m.device().get("app_maxes").split(",")) {
                each.append(each.length() == 0 ? "" : " ").append(v.equals("-") ? "-" : Long.parseLong(v) / KIB);
            }
            long engine = Long.parseLong(m.device().get("engine_max"));
            String marks = m.marks()[2] == 0 ? "off (0/0/0)"
                    : m.marks()[0] / KIB + "/" + m.marks()[1] / KIB + "/" + m.marks()[2] / KIB;
            System.out.printf(Locale.ROOT, "%-9s %-29s %-13s %12.1f %8d %6.2fx %-22s %10.1f %12s %10s %12s %9.2f %9.1f%n",
                    m.name(), m.link(), marks, m.appMax() / (double) KIB, bound / KIB, ratio, each,
                    Long.parseLong(m.device().get("total_max")) / (double) KIB,
                    engine < 0 ? "-" : String.format(Locale.ROOT, "%.1f", engine / (double) KIB),
                    m.device().get("high") + "/" + m.device().get("low"),
                    m.device().get("frames") + "/" + m.device().get("skipped"), m.appMbit(),
                    Long.parseLong(m.device().get("rss_max_kib")) / 1024.0);
            String which = m.marks() == BENCH_MARKS ? "this firmware's" : m.marks() == VENDOR_MARKS
                    ? "the vendor sample's" : "none: as after init";
            target(String.format(Locale.ROOT, "5. buffer per app / vendor bound, %s, watermarks %s (%s)", m.name(), marks,
                    which), ratio,
                    TARGET_BOUND_SHARE, "x");
        }
        System.out.println("   when the app max was sampled (s into the window) [GC pauses of either JVM in the 250 ms "
                + "before it]; the mean over the window of the sum over all apps:");
        for (Memory m : rows) {
            long at = Long.parseLong(m.device().get("app_max_at_ns"));
            System.out.printf(Locale.ROOT, "     %-9s high %-7s at %6s s%s; mean of all apps %.1f KiB%n", m.name(),
                    m.marks()[2] == 0 ? "off" : m.marks()[2] / KIB + " KiB", m.device().get("app_max_at_s"),
                    pausesDuring(at - 250_000_000L, at), Double.parseDouble(m.device().get("total_mean")) / KIB);
        }
        System.out.println("   all apps: the largest per-sample sum over every stream (vendor bound: m x the per-app "
                + "bound); engine alloc: the session chunk memory of every app session, both directions "
                + "(DeviceEngine.bufferedBytes, 16 KiB chunks, every 20 ms; it excludes the firmware frame the "
                + "engine holds, which get_send_buf counts); RSS: the whole device process (JVM included)");
    }
}

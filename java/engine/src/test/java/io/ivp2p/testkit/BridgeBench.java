package io.ivp2p.testkit;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.sun.jna.Function;
import com.sun.jna.Pointer;

import io.ivp2p.bridge.EngineHost;
import io.ivp2p.bridge.FirmwareBuffer;
import io.ivp2p.bridge.FirmwareCallbacks;
import io.ivp2p.bridge.IvEvent;

/**
 * Driver of the bridge benchmark (bench/bridge_bench.c), section B: Java to C through JNA, one
 * line per firmware callback shape, against the cheapest JNA call there is ({@code int f(void)})
 * measured in the same run. Not a test: it asserts nothing about speed.
 *
 * <p>Called from C through tests-c/jvm_fixture (static {@code String method(String)}) after
 * {@code iv_avt_p2p_init}, on the C program's own (attached) thread, so it uses the live
 * {@link FirmwareCallbacks} of the running engine: gate, argument conversion and all.
 */
public final class BridgeBench {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Keeps results alive so no call can be optimised away. */
    private static volatile long sink;

    private BridgeBench() {}

    /** Bytes allocated so far by the calling thread (for section A, measured from C). */
    public static String allocated(String ignored) {
        return Long.toString(THREADS.getCurrentThreadAllocatedBytes());
    }

    /**
     * {@code args}: space-separated {@code key=value}: {@code baseline} (address of a C
     * {@code int f(void)}, decimal or 0x hex; required), {@code warmup}, {@code iters},
     * {@code rounds}. Returns one line per operation:
     * {@code name<TAB>ns/call<TAB>baseline ns/call<TAB>bytes/call}; the first line is the
     * baseline itself.
     */
    public static String run(String args) {
        long baselineAddress = 0;
        int warmup = 50_000;
        int iters = 100_000;
        int rounds = 5;
        for (String kv : args.trim().split("\\s+")) {
            int eq = kv.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String k = kv.substring(0, eq);
            String v = kv.substring(eq + 1);
            switch (k) {
                case "baseline" -> baselineAddress = v.startsWith("0x")
                        ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseUnsignedLong(v);
                case "warmup" -> warmup = Integer.parseInt(v);
                case "iters" -> iters = Integer.parseInt(v);
                case "rounds" -> rounds = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown key " + k);
            }
        }
        if (baselineAddress == 0) {
            throw new IllegalArgumentException("baseline=<address of int f(void)> is required");
        }
        if (!THREADS.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("ThreadMXBean cannot measure allocation here");
        }
        THREADS.setThreadAllocatedMemoryEnabled(true);

        FirmwareCallbacks cb = EngineHost.instance().current().orElseThrow().callbacks();
        Function baselineFn = Function.getFunction(new Pointer(baselineAddress));
        long stream = cb.sendInit("action=live&channel=0", "bench-peer");
        long talk = cb.recvInit("action=voice&codec=g711a", "bench-peer");
        if (stream == 0 || talk == 0) {
            throw new IllegalStateException("bench callbacks refused send_init/recv_init");
        }
        byte[] voice = new byte[160]; // 20 ms of G.711 at 8 kHz
        byte[] cmd = "{\"cmd\":\"get_info\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        List<Op> ops = new ArrayList<>();
        ops.add(new Op("JNA baseline: int f(void)") {
            @Override
            void run(int n, Meter m) {
                long s = 0;
                m.start();
                for (int i = 0; i < n; i++) {
                    s += baselineFn.invokeInt(new Object[0]);
                }
                m.stop();
                sink += s;
            }
        });
        ops.add(new Op("send_init_cb(params, peer) -> void*") {
            @Override
            void run(int n, Meter m) {
                long s = 0;
                m.start();
                for (int i = 0; i < n; i++) {
                    s += cb.sendInit("action=live&channel=0", "bench-peer");
                }
                m.stop();
                sink += s;
            }
        });
        ops.add(new Op("send_get_cb(h) -> iv_cm_memory_s, no release") {
            @Override
            void run(int n, Meter m) {
                long s = 0;
                m.start();
                for (int i = 0; i < n; i++) {
                    s += cb.sendGet(stream).size();
                }
                m.stop();
                sink += s;
            }
        });
        ops.add(new Op("send_get_cb(h) + release (buf_free_fn)") {
            @Override
            void run(int n, Meter m) {
                long s = 0;
                m.start();
                for (int i = 0; i < n; i++) {
                    FirmwareBuffer b = cb.sendGet(stream);
                    s += b.size();
                    b.release();
                }
                m.stop();
                sink += s;
            }
        });
        ops.add(new Op("buf_free_fn(buf, size) via release()") {
            private final FirmwareBuffer[] batch = new FirmwareBuffer[2048];

            @Override
            void run(int n, Meter m) {
                for (int done = 0; done < n; ) {
                    int k = Math.min(batch.length, n - done);
                    for (int i = 0; i < k; i++) {
                        batch[i] = cb.sendGet(stream); // untimed: fresh buffers to release
                    }
                    m.start();
                    for (int i = 0; i < k; i++) {
                        batch[i].release();
                    }
                    m.stop();
                    Arrays.fill(batch, 0, k, null);
                    done += k;
                }
            }
        });
        ops.add(new Op("send_stop_cb(h) -> int") {
            @Override
            void run(int n, Meter m) {
                m.start();
                for (int i = 0; i < n; i++) {
                    cb.sendStop(stream);
                }
                m.stop();
            }
        });
        ops.add(new Op("event_notify_cb(WATERMARK_HIGH, h)") {
            @Override
            void run(int n, Meter m) {
                m.start();
                for (int i = 0; i < n; i++) {
                    cb.eventNotify(IvEvent.WATERMARK_HIGH, stream);
                }
                m.stop();
            }
        });
        ops.add(new Op("recv_init_cb(params, peer) -> void*") {
            @Override
            void run(int n, Meter m) {
                long s = 0;
                m.start();
                for (int i = 0; i < n; i++) {
                    s += cb.recvInit("action=voice&codec=g711a", "bench-peer");
                }
                m.stop();
                sink += s;
            }
        });
        ops.add(new Op("recv_voice_cb(h, buf, 160 B)") {
            @Override
            void run(int n, Meter m) {
                m.start();
                for (int i = 0; i < n; i++) {
                    cb.recvVoice(talk, voice, 0, voice.length);
                }
                m.stop();
            }
        });
        ops.add(new Op("command_cb(cmd, 18, peer) -> iv_cm_memory_s + release") {
            @Override
            void run(int n, Meter m) {
                long s = 0;
                m.start();
                for (int i = 0; i < n; i++) {
                    FirmwareBuffer b = cb.command(cmd, "bench-peer");
                    s += b.size();
                    b.release();
                }
                m.stop();
                sink += s;
            }
        });

        double[][] results = new double[ops.size()][];
        for (int i = 0; i < ops.size(); i++) {
            results[i] = measure(ops.get(i), warmup, iters, rounds);
        }
        double baseline = results[0][0];
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < ops.size(); i++) {
            out.append(ops.get(i).name).append('\t')
                    .append(String.format(java.util.Locale.ROOT, "%.1f\t%.1f\t%.1f%n",
                            results[i][0], baseline, results[i][1]));
        }
        return out.toString();
    }

    /** Median over rounds of ns/call and of bytes allocated/call, after a warm-up. */
    private static double[] measure(Op op, int warmup, int iters, int rounds) {
        settle();
        Meter m = new Meter();
        op.run(warmup, m);
        double[] ns = new double[rounds];
        double[] bytes = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            m.reset();
            op.run(iters, m);
            ns[r] = (double) m.nanos / iters;
            bytes[r] = (double) m.bytes / iters;
        }
        Arrays.sort(ns);
        Arrays.sort(bytes);
        return new double[] {ns[rounds / 2], bytes[rounds / 2]};
    }

    /**
     * Starts every operation from the same state: the previous one's garbage collected and the
     * native memory behind its JNA {@code Memory} objects freed by JNA's cleaner thread, so no
     * operation pays for another's backlog. Its own garbage is paid for inside its rounds.
     */
    private static void settle() {
        System.gc();
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Times (and counts allocation of) the parts of a run between start and stop. */
    private static final class Meter {
        long nanos;
        long bytes;
        private long t0;
        private long a0;

        void reset() {
            nanos = 0;
            bytes = 0;
        }

        void start() {
            a0 = THREADS.getCurrentThreadAllocatedBytes();
            t0 = System.nanoTime();
        }

        void stop() {
            long t1 = System.nanoTime();
            long a1 = THREADS.getCurrentThreadAllocatedBytes();
            nanos += t1 - t0;
            bytes += a1 - a0;
        }
    }

    private abstract static class Op {
        final String name;

        Op(String name) {
            this.name = name;
        }

        /** n calls; the timed part lies between m.start() and m.stop(). */
        abstract void run(int n, Meter m);
    }
}

package io.ivp2p.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.ivp2p.bridge.EngineHost;
import io.ivp2p.bridge.FirmwareBuffer;
import io.ivp2p.bridge.FirmwareCallbacks;
import io.ivp2p.bridge.IvEvent;

/**
 * Drives each of the seven callback shapes of the running engine, for tests-c/test_callbacks.c,
 * which registers C callbacks with a known script (see that file) and checks what arrives on the
 * C side; this side checks what comes back. Returns "ok" or the list of mismatches.
 */
public final class CallbackDriver {
    /** Handles the C script returns; kept in step with test_callbacks.c. */
    static final long LIVE_HANDLE = 0x1001;
    static final long TALK_HANDLE = 0x2002;
    static final long CHURN_HANDLE = 0x3003;
    static final int CHURN_THREADS = 4;
    static final int CHURN_CALLS = 1000;

    /** The callbacks of the engine run() drove, for afterExit(). */
    private static volatile FirmwareCallbacks lastCallbacks;

    private CallbackDriver() {}

    public static String run(String ignored) throws Exception {
        FirmwareCallbacks cb = EngineHost.instance().current().orElseThrow().callbacks();
        lastCallbacks = cb;
        List<String> failures = new ArrayList<>();

        expect(failures, "send_init live", LIVE_HANDLE,
                cb.sendInit("action=live&channel=0&quality=high", "peer-A"));
        expect(failures, "send_init refused", 0L, cb.sendInit("action=refuse", "peer-A"));

        FirmwareBuffer frame = cb.sendGet(LIVE_HANDLE);
        expect(failures, "send_get 1 has data", true, frame.hasData());
        expect(failures, "send_get 1 bytes", "frame-1", text(frame.copy()));
        frame.release();
        frame.release(); // must not free twice
        FirmwareBuffer empty = cb.sendGet(LIVE_HANDLE);
        expect(failures, "send_get 2 empty", true, !empty.hasData() && !empty.isEnd());
        empty.release();
        FirmwareBuffer unowned = cb.sendGet(LIVE_HANDLE);
        expect(failures, "send_get 3 bytes", "static", text(unowned.copy()));
        unowned.release(); // NULL buf_free_fn: never freed
        FirmwareBuffer end = cb.sendGet(LIVE_HANDLE);
        expect(failures, "send_get 4 end", true, end.isEnd());
        end.release();
        cb.sendStop(LIVE_HANDLE);

        cb.eventNotify(IvEvent.WATERMARK_HIGH, LIVE_HANDLE);
        cb.eventNotify(IvEvent.PEER_READY, 0);

        expect(failures, "recv_init", TALK_HANDLE, cb.recvInit("action=talk&codec=g711a", "peer-B"));
        cb.recvVoice(TALK_HANDLE, bytes("xxhello "), 2, 6);
        cb.recvVoice(TALK_HANDLE, bytes("world"), 0, 5);
        cb.recvVoiceEnd(TALK_HANDLE);

        FirmwareBuffer reply = cb.command(bytes("get_info"), "peer-C");
        expect(failures, "command reply", "reply:get_info", text(reply.copy()));
        reply.release();
        FirmwareBuffer closed = cb.command(bytes("close"), "peer-C");
        expect(failures, "command closed", false, closed.hasData());
        closed.release();

        // Buffers taken and released on several engine threads at once: the C side counts
        // that each was freed exactly once.
        ExecutorService pool = Executors.newFixedThreadPool(CHURN_THREADS);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < CHURN_THREADS; t++) {
                results.add(pool.submit(() -> {
                    int bad = 0;
                    for (int i = 0; i < CHURN_CALLS; i++) {
                        FirmwareBuffer b = cb.sendGet(CHURN_HANDLE);
                        if (!b.hasData() || b.size() != 32) {
                            bad++;
                        }
                        b.release();
                    }
                    return bad;
                }));
            }
            for (Future<Integer> f : results) {
                expect(failures, "churn buffers with 32 bytes", 0, f.get());
            }
        } finally {
            pool.shutdown();
        }
        return failures.isEmpty() ? "ok" : String.join("; ", failures);
    }

    /** After iv_avt_p2p_exit: every callback of the old engine must be refused. */
    public static String afterExit(String ignored) {
        FirmwareCallbacks cb = lastCallbacks;
        if (cb == null) {
            return "run() was not called";
        }
        try {
            cb.sendGet(LIVE_HANDLE);
            return "send_get ran after exit";
        } catch (IllegalStateException expected) {
            return "refused";
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    private static void expect(List<String> failures, String what, Object expected, Object actual) {
        if (!expected.equals(actual)) {
            failures.add(what + ": expected " + expected + ", got " + actual);
        }
    }
}

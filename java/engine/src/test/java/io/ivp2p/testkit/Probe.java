package io.ivp2p.testkit;

import java.lang.management.ManagementFactory;

import io.ivp2p.bridge.EngineHost;
import io.ivp2p.bridge.P2pParams;

/**
 * Test-only views of the engine for the C conformance tests (tests-c/jvm_fixture.h calls these
 * as {@code static String f(String)}).
 */
public final class Probe {
    private Probe() {}

    /** Live Java threads (daemon or not), including attached native threads. */
    public static String javaThreads(String ignored) {
        return Integer.toString(ManagementFactory.getThreadMXBean().getThreadCount());
    }

    /**
     * As {@link #javaThreads}, for after iv_avt_p2p_exit: first waits (at most 10 s in all) for
     * the engine's own threads (named "ivp2p-...") to end. Exit returns once the pump has
     * finished its last round, which its thread signals from its own exit path a moment before
     * it ends; counted at once, that thread is still there more often than not (a
     * ScheduledThreadPoolExecutor on an idle machine: about half the time). A thread that has
     * not ended after the wait is counted, as it should be.
     */
    public static String javaThreadsAfterExit(String ignored) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            long left = deadline - System.nanoTime();
            if (t.getName().startsWith("ivp2p-") && left > 0) {
                t.join(Math.max(1, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        return javaThreads(ignored);
    }

    /** The running engine's copy of iv_p2p_parm_s, as "key=value;..." or "none". */
    public static String params(String ignored) {
        return EngineHost.instance().current().map(e -> {
            P2pParams p = e.params();
            return "device_id=" + p.net().deviceId() + ";vendor_id=" + p.net().vendorId()
                    + ";local_addr=" + p.net().localAddr() + ";probe_port=" + p.net().probePort()
                    + ";trans_port=" + p.net().transPort() + ";log_file_path="
                    + p.init().logFilePath() + ";mtu=" + p.init().mtuSize() + ";interval="
                    + p.init().senderIntervalMs() + ";keepalive=" + p.keepAlive().intervalSeconds()
                    + "x" + p.keepAlive().maxAttempts();
        }).orElse("none");
    }
}

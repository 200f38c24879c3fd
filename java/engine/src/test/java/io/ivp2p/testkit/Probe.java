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

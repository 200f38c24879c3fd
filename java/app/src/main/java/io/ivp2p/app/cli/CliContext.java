package io.ivp2p.app.cli;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.ivp2p.app.AppConfig;
import io.ivp2p.app.DeviceKeys;
import io.ivp2p.app.P2pClient;
import io.ivp2p.app.P2pError;

/**
 * What every sub-command shares: the common options, making and connecting clients, and stdout,
 * where each result is one line of {@code key=value} fields (tests parse it; logs go to stderr).
 */
final class CliContext {
    static final int DEFAULT_TIMEOUT_MS = 10_000;

    final CliOptions options;
    private final PrintStream out;
    final String uid;
    final String deviceId;
    private final String key;
    final int timeoutMs;
    final int mode;
    final List<InetSocketAddress> probes;
    final InetSocketAddress direct;

    CliContext(CliOptions o, PrintStream out, Map<String, String> env) throws UsageException {
        this.options = o;
        this.out = out;
        this.uid = o.get("uid", "app");
        this.deviceId = o.require("device");
        String k = o.get("key", env.get("IVP2P_ACCESS_KEY"));
        if (k == null || k.isEmpty()) {
            throw new UsageException("no access key: --key or IVP2P_ACCESS_KEY");
        }
        this.key = k;
        this.timeoutMs = o.getInt("timeout", DEFAULT_TIMEOUT_MS, 1, Integer.MAX_VALUE);
        this.mode = switch (o.get("mode", "lan")) {
            case "lan" -> P2pClient.LAN_FIRST;
            case "internet" -> P2pClient.INTERNET_FIRST;
            default -> throw new UsageException("--mode is lan or internet");
        };
        List<InetSocketAddress> p = new ArrayList<>();
        for (String s : o.all("probe")) {
            p.add(address("--probe", s));
        }
        if (p.isEmpty()) {
            p.add(new InetSocketAddress("255.255.255.255", AppConfig.DEFAULT_PROBE_PORT));
        }
        this.probes = List.copyOf(p);
        this.direct = o.has("direct") ? address("--direct", o.get("direct", null)) : null;
    }

    /** "HOST:PORT" or "[IPv6]:PORT". */
    static InetSocketAddress address(String option, String s) throws UsageException {
        try {
            return AppConfig.parseAddress(s, 1);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + " " + e.getMessage());
        }
    }

    /** An initialised client for {@code clientUid} that knows the device's key. */
    P2pClient newClient(String clientUid) throws UsageException, CliFailure {
        DeviceKeys keys;
        try {
            keys = DeviceKeys.of(deviceId, key);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        P2pClient c = new P2pClient();
        int r = c.init(clientUid, keys, AppConfig.defaults().withProbeTargets(probes));
        if (r != P2pError.SUCCESSFUL) {
            throw new CliFailure(r, "init " + clientUid);
        }
        return c;
    }

    /** Connects (direct or by LAN discovery) within --timeout; the handle or an error code. */
    int connect(P2pClient c) {
        return connect(c, timeoutMs);
    }

    int connect(P2pClient c, int withinMs) {
        return direct != null ? c.connectDirect(deviceId, direct, withinMs)
                : c.connectBlocking(deviceId, mode, withinMs);
    }

    /** One result line, whole (lines of different threads never mix). */
    void println(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /** "error code=<n> [fields] NAME: what it means". */
    void error(int code, String fields) {
        println("error code=" + code + (fields == null || fields.isEmpty() ? "" : " " + fields) + " "
                + P2pError.describe(code));
    }

    /** A sub-command failed with a {@link P2pError} code: print it, exit 2. */
    static final class CliFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final int code;

        CliFailure(int code, String what) {
            super(what + ": " + P2pError.describe(code));
            this.code = code;
        }
    }
}

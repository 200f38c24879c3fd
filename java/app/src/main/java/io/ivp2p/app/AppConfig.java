package io.ivp2p.app;

import java.net.InetSocketAddress;
import java.util.List;

import io.ivp2p.path.SessionEndpoint;

/**
 * Settings of a {@link P2pClient}.
 *
 * @param probeTargets     where LAN probes go: the device's {@code probe_port} (broadcast by
 *                         default) and/or known addresses; a device also answers probes sent to
 *                         its session port
 * @param probeIntervalMs  probes are re-sent this often until an answer verifies (UDP may drop one)
 * @param bindAddress      local address of the session socket and the discovery socket (port 0:
 *                         ephemeral; the session port is the one given here)
 * @param endpoint         the session endpoint's settings (DTLS, keep-alive, buffers, limits)
 * @param commandQueue     device commands of one session waiting for the app's handler; one more
 *                         is answered DEVICE_COMMAND_UNHANDLED "app busy"
 * @param disconnectLingerMs how long {@link P2pClient#disconnect} and deInit wait for the device
 *                         to acknowledge what was sent before they end the session anyway
 */
public record AppConfig(List<InetSocketAddress> probeTargets, int probeIntervalMs, InetSocketAddress bindAddress,
        SessionEndpoint.Config endpoint, int commandQueue, int disconnectLingerMs) {

    /**
     * The probe port apps broadcast to when none is configured. The vendor SDK has no default
     * (firmware sets {@code net_info.probe_port}); a device must use this one to be found without
     * configuration on the app side.
     */
    public static final int DEFAULT_PROBE_PORT = 23710;
    public static final int DEFAULT_PROBE_INTERVAL_MS = 200;
    public static final int DEFAULT_COMMAND_QUEUE = 32;
    public static final int DEFAULT_DISCONNECT_LINGER_MS = 2000;

    public AppConfig {
        if (probeTargets == null || probeTargets.isEmpty()) {
            throw new IllegalArgumentException("no probe targets");
        }
        probeTargets = List.copyOf(probeTargets);
        for (InetSocketAddress t : probeTargets) {
            if (t.isUnresolved() || t.getPort() == 0) {
                throw new IllegalArgumentException("probe target " + t + " unresolved or without a port");
            }
        }
        if (probeIntervalMs < 10 || probeIntervalMs > 60_000) {
            throw new IllegalArgumentException("probeIntervalMs " + probeIntervalMs + " not in 10..60000");
        }
        if (bindAddress == null || bindAddress.isUnresolved()) {
            throw new IllegalArgumentException("bindAddress " + bindAddress);
        }
        if (endpoint == null) {
            throw new IllegalArgumentException("no endpoint config");
        }
        if (commandQueue < 1 || commandQueue > 10_000) {
            throw new IllegalArgumentException("commandQueue " + commandQueue + " not in 1..10000");
        }
        if (disconnectLingerMs < 0 || disconnectLingerMs > 60_000) {
            throw new IllegalArgumentException("disconnectLingerMs " + disconnectLingerMs + " not in 0..60000");
        }
    }

    /** Broadcast probes to 255.255.255.255:{@value #DEFAULT_PROBE_PORT} every 200 ms, any local address. */
    public static AppConfig defaults() {
        return new AppConfig(List.of(new InetSocketAddress("255.255.255.255", DEFAULT_PROBE_PORT)),
                DEFAULT_PROBE_INTERVAL_MS, new InetSocketAddress(0), SessionEndpoint.Config.defaults(),
                DEFAULT_COMMAND_QUEUE, DEFAULT_DISCONNECT_LINGER_MS);
    }

    /**
     * Parses {@code "HOST:PORT"} or {@code "[IPv6]:PORT"} (a probe target, a device address), resolving
     * the host name.
     *
     * @param minPort 1 for a target, 0 where "any port" makes sense (a local address)
     * @throws IllegalArgumentException saying what is wrong with {@code s}
     */
    public static InetSocketAddress parseAddress(String s, int minPort) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("'" + s + "': need HOST:PORT");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "': bad port");
        }
        if (port < minPort || port > 65535) {
            throw new IllegalArgumentException("'" + s + "': port not in " + minPort + "..65535");
        }
        try {
            return new InetSocketAddress(java.net.InetAddress.getByName(host), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("'" + s + "': unknown host");
        }
    }

    public AppConfig withProbeTargets(List<InetSocketAddress> targets) {
        return new AppConfig(targets, probeIntervalMs, bindAddress, endpoint, commandQueue, disconnectLingerMs);
    }

    public AppConfig withProbeIntervalMs(int ms) {
        return new AppConfig(probeTargets, ms, bindAddress, endpoint, commandQueue, disconnectLingerMs);
    }

    public AppConfig withBindAddress(InetSocketAddress bind) {
        return new AppConfig(probeTargets, probeIntervalMs, bind, endpoint, commandQueue, disconnectLingerMs);
    }

    public AppConfig withEndpoint(SessionEndpoint.Config config) {
        return new AppConfig(probeTargets, probeIntervalMs, bindAddress, config, commandQueue, disconnectLingerMs);
    }

    public AppConfig withCommandQueue(int n) {
        return new AppConfig(probeTargets, probeIntervalMs, bindAddress, endpoint, n, disconnectLingerMs);
    }

    public AppConfig withDisconnectLingerMs(int ms) {
        return new AppConfig(probeTargets, probeIntervalMs, bindAddress, endpoint, commandQueue, ms);
    }
}

package io.ivp2p.viewer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.ivp2p.app.AppConfig;
import io.ivp2p.app.DeviceKeys;
import io.ivp2p.app.P2pClient;
import io.ivp2p.discovery.LanMessage;

/**
 * The viewer's command line. The access key comes from the environment only
 * ({@code IVP2P_ACCESS_KEY}): a key on the command line is visible to every user in {@code ps}.
 */
record ViewerOptions(String deviceId, String accessKey, String uid, List<InetSocketAddress> probes,
        InetSocketAddress http, int connectTimeoutMs) {

    static final String USAGE = """
            usage: ivp2p-viewer --device ID [options]     (the access key: IVP2P_ACCESS_KEY)
              --device ID            the camera's device id ([A-Za-z0-9_]{1,64})
              --probe HOST:PORT      where LAN probes go (repeatable; default 255.255.255.255:23710, the
                                     whole LAN); name the camera's address when broadcasts don't reach it
              --uid NAME             this app's user id (default viewer)
              --http HOST:PORT       where the page is served (default 127.0.0.1:8080; port 0: any free port)
              --connect-timeout MS   one connect attempt (default 5000); failed attempts are retried
            """;

    static final int DEFAULT_HTTP_PORT = 8080;

    /** A bad command line; the message says what is wrong. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static ViewerOptions parse(String[] args, Map<String, String> env) throws UsageException {
        String device = null;
        String uid = "viewer";
        List<InetSocketAddress> probes = new ArrayList<>();
        InetSocketAddress http = new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_HTTP_PORT);
        int timeout = 5000;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                throw new UsageException("");
            }
            if (i + 1 >= args.length) {
                throw new UsageException(a.startsWith("--") ? a + " needs a value" : "unexpected argument '" + a + "'");
            }
            String v = args[++i];
            switch (a) {
                case "--device" -> device = v;
                case "--uid" -> uid = v;
                case "--probe" -> probes.add(address(a, v, false));
                case "--http" -> http = address(a, v, true);
                case "--connect-timeout" -> timeout = integer(a, v, 100, 600_000);
                default -> throw new UsageException("unknown option '" + a + "'");
            }
        }
        if (device == null) {
            throw new UsageException("--device is required");
        }
        if (!LanMessage.DEVICE_ID.matcher(device).matches()) {
            throw new UsageException("--device '" + device + "': need [A-Za-z0-9_]{1,64}");
        }
        if (!P2pClient.USER_ID.matcher(uid).matches()) {
            throw new UsageException("--uid '" + uid + "': need " + P2pClient.USER_ID.pattern());
        }
        String key = env.get("IVP2P_ACCESS_KEY");
        if (key == null || key.isEmpty()) {
            throw new UsageException("no access key: set IVP2P_ACCESS_KEY to the camera's access key");
        }
        if (key.getBytes(StandardCharsets.UTF_8).length < DeviceKeys.MIN_KEY_BYTES) {
            throw new UsageException("IVP2P_ACCESS_KEY is shorter than " + DeviceKeys.MIN_KEY_BYTES
                    + " bytes (the camera refuses such keys too)");
        }
        if (probes.isEmpty()) {
            probes.add(new InetSocketAddress("255.255.255.255", AppConfig.DEFAULT_PROBE_PORT));
        }
        return new ViewerOptions(device, key, uid, List.copyOf(probes), http, timeout);
    }

    /** "HOST:PORT" or "[IPv6]:PORT". */
    static InetSocketAddress address(String option, String s, boolean portZeroOk) throws UsageException {
        try {
            return AppConfig.parseAddress(s, portZeroOk ? 0 : 1);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + " " + e.getMessage());
        }
    }

    private static int integer(String option, String v, int min, int max) throws UsageException {
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException(option + " '" + v + "': need a whole number in " + min + ".." + max);
    }

    @Override
    public String toString() { // never the key
        return "ViewerOptions[device=" + deviceId + " uid=" + uid + " probes=" + probes + " http=" + http + "]";
    }
}

package io.ivp2p.device;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.ivp2p.bridge.IvError;
import io.ivp2p.bridge.IvException;
import io.ivp2p.discovery.LanMessage;

/**
 * The device settings that are not in {@code iv_p2p_parm_s}, from the same config file the shim
 * reads its {@code jvm.*} keys from ({@code $IVP2P_CONFIG}, else {@code /etc/ivp2p/ivp2p.conf}; a
 * missing default file is fine) with environment variables overriding it:
 *
 * <table>
 * <tr><th>key</th><th>environment</th><th>meaning</th></tr>
 * <tr><td>device.id</td><td>IVP2P_DEVICE_ID</td><td>used when net_info.device_id is NULL/empty</td></tr>
 * <tr><td>device.access_key</td><td>IVP2P_ACCESS_KEY</td><td>the DTLS PSK apps must know (≥ 16 bytes); no default</td></tr>
 * <tr><td>device.port</td><td>IVP2P_DEVICE_PORT</td><td>session port when net_info.trans_port is 0 (0 = ephemeral)</td></tr>
 * <tr><td>device.max_connections</td><td>IVP2P_MAX_CONNECTIONS</td><td>app sessions at once (vendor: 32)</td></tr>
 * </table>
 *
 * @param deviceId       null when not configured
 * @param accessKey      null when not configured: the device then refuses app sessions
 * @param port           the session port when LAN mode does not set one
 * @param maxConnections app sessions at once
 * @param origin         where the access key came from, for the log (never the key itself)
 */
public record DeviceSettings(String deviceId, String accessKey, int port, int maxConnections,
        String origin) {
    public static final String DEFAULT_FILE = "/etc/ivp2p/ivp2p.conf";
    /** Vendor: "32 connections" is the documented limit of its SDK. */
    public static final int DEFAULT_MAX_CONNECTIONS = 32;
    /** Shorter keys are guessable offline from one recorded handshake. */
    public static final int MIN_KEY_BYTES = 16;
    private static final List<String> KEYS = List.of("device.id", "device.access_key", "device.port",
            "device.max_connections");

    public DeviceSettings {
        if (deviceId != null && !LanMessage.DEVICE_ID.matcher(deviceId).matches()) {
            throw bad("device id \"" + deviceId + "\" (" + origin + "): need [A-Za-z0-9_], 1..64 characters");
        }
        if (accessKey != null && accessKey.getBytes(StandardCharsets.UTF_8).length < MIN_KEY_BYTES) {
            throw bad("access key (" + origin + ") is shorter than " + MIN_KEY_BYTES + " bytes");
        }
        if (port < 0 || port > 65535) {
            throw bad("device.port " + port + ": need 0..65535");
        }
        if (maxConnections < 1 || maxConnections > 1024) {
            throw bad("device.max_connections " + maxConnections + ": need 1..1024");
        }
    }

    /** Settings for tests and embedders that do not use the file. */
    public static DeviceSettings of(String deviceId, String accessKey) {
        return new DeviceSettings(deviceId, accessKey, 0, DEFAULT_MAX_CONNECTIONS, "code");
    }

    public DeviceSettings withMaxConnections(int n) {
        return new DeviceSettings(deviceId, accessKey, port, n, origin);
    }

    public byte[] accessKeyBytes() {
        return accessKey == null ? null : accessKey.getBytes(StandardCharsets.UTF_8);
    }

    /** Reads the file and the environment of this process. */
    public static DeviceSettings load() {
        return load(System.getenv());
    }

    static DeviceSettings load(Map<String, String> env) {
        String explicit = env.get("IVP2P_CONFIG");
        Path file = Path.of(explicit != null && !explicit.isEmpty() ? explicit : DEFAULT_FILE);
        String[] values = new String[KEYS.size()];
        String[] origins = new String[KEYS.size()];
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#") || !line.startsWith("device.")) {
                    continue; // jvm.* keys are the shim's, and it checks them
                }
                int eq = line.indexOf('=');
                String key = eq < 0 ? line : line.substring(0, eq).strip();
                int k = KEYS.indexOf(key);
                if (eq < 0 || k < 0) {
                    // A typo in a device.* key would otherwise leave the device without its key.
                    throw bad(file + ":" + (i + 1) + ": unknown setting \"" + key + "\" (known: " + KEYS + ")");
                }
                values[k] = line.substring(eq + 1).strip();
                origins[k] = file + ":" + (i + 1);
            }
        } catch (NoSuchFileException e) {
            if (explicit != null && !explicit.isEmpty()) {
                throw bad("IVP2P_CONFIG=" + explicit + " does not exist");
            }
        } catch (IOException e) {
            throw bad("cannot read " + file + ": " + e.getMessage());
        }
        String[] envNames = {"IVP2P_DEVICE_ID", "IVP2P_ACCESS_KEY", "IVP2P_DEVICE_PORT", "IVP2P_MAX_CONNECTIONS"};
        for (int k = 0; k < envNames.length; k++) {
            String v = env.get(envNames[k]);
            if (v != null && !v.isEmpty()) {
                values[k] = v;
                origins[k] = "$" + envNames[k];
            }
        }
        return new DeviceSettings(values[0], values[1],
                number(values[2], origins[2], 0), number(values[3], origins[3], DEFAULT_MAX_CONNECTIONS),
                origins[1] == null ? "not configured" : origins[1]);
    }

    private static int number(String v, String origin, int dflt) {
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw bad(origin + ": \"" + v + "\" is not a number");
        }
    }

    private static IvException bad(String message) {
        return new IvException(IvError.AVT_INPUT_PARAM_INVAILD, message);
    }

    @Override
    public String toString() {
        return "DeviceSettings{id=" + deviceId + ", key " + (accessKey == null ? "missing" : "from " + origin)
                + ", port=" + port + ", max_connections=" + maxConnections + "}";
    }
}

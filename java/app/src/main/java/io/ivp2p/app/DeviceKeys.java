package io.ivp2p.app;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.ivp2p.discovery.LanMessage;

/**
 * Access keys of the devices an app may connect to: device id → access key. The key is the DTLS
 * PSK (its UTF-8 bytes) and the key of the LAN answers' MAC (docs/protocol.md, "Identity and
 * keys"). Thread-safe; keys can be added while connected.
 */
public final class DeviceKeys {
    /** As the device requires: "at least 16 bytes" (shorter keys are guessable offline). */
    public static final int MIN_KEY_BYTES = 16;

    private final Map<String, byte[]> keys = new ConcurrentHashMap<>();

    public DeviceKeys() {
    }

    /** Keys from a map of device id → access key. */
    public static DeviceKeys of(Map<String, String> keys) {
        DeviceKeys k = new DeviceKeys();
        keys.forEach(k::put);
        return k;
    }

    /** One device's key. */
    public static DeviceKeys of(String deviceId, String accessKey) {
        return new DeviceKeys().put(deviceId, accessKey);
    }

    /**
     * Adds or replaces a key.
     *
     * @throws IllegalArgumentException for a malformed device id or a key under 16 bytes
     */
    public DeviceKeys put(String deviceId, String accessKey) {
        if (deviceId == null || !LanMessage.DEVICE_ID.matcher(deviceId).matches()) {
            throw new IllegalArgumentException("device id \"" + deviceId + "\": need [A-Za-z0-9_]{1,64}");
        }
        if (accessKey == null || accessKey.getBytes(StandardCharsets.UTF_8).length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("access key of " + deviceId + " is shorter than "
                    + MIN_KEY_BYTES + " bytes");
        }
        keys.put(deviceId, accessKey.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** A copy of the key's bytes (callers may wipe it), or null if none is known. */
    byte[] keyFor(String deviceId) {
        byte[] k = keys.get(deviceId);
        return k == null ? null : k.clone();
    }

    @Override
    public String toString() {
        return "DeviceKeys" + keys.keySet(); // never the keys
    }
}

package io.ivp2p.discovery;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * LAN discovery datagrams. The app sends a PROBE naming the device it looks for (broadcast to the
 * device's {@code probe_port}, or to configured addresses); the device answers from the port its
 * sessions use, so the app connects to the answer's source address. The answer carries an
 * HMAC-SHA256 under a key derived from the device's access key, over everything before it,
 * including the app's fresh nonce: an answer forged without the key, or replayed from an older
 * probe, fails the check and is ignored.
 *
 * <pre>
 *   PROBE:  "IVP2" | version u8 (1) | type u8 (1) | nonce [16] | id length u8 | device id
 *   ANSWER: "IVP2" | version u8 (1) | type u8 (2) | nonce [16] | flags u8 | session port u16
 *           | id length u8 | device id | HMAC-SHA256 [32]
 * </pre>
 * The first byte, 'I' (0x49), lies in RFC 7983's "other" range, so probes can share a socket with
 * DTLS and STUN. Flag bit 0: the device is at its connection limit (the app fails fast).
 */
public final class LanMessage {
    public static final byte[] MAGIC = {'I', 'V', 'P', '2'};
    public static final int VERSION = 1;
    public static final int PROBE = 1;
    public static final int ANSWER = 2;
    public static final int NONCE = 16;
    public static final int MAC = 32;
    public static final int FLAG_FULL = 1;
    /** Device ids: the vendor's {@code [A-Za-z0-9_]}, at most 64 characters. */
    public static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9_]{1,64}");

    private LanMessage() {}

    /** A parsed probe. */
    public record Probe(byte[] nonce, String deviceId) {}

    /** A parsed, not yet verified answer; {@code signed} is the part the MAC covers. */
    public record Answer(byte[] nonce, int flags, int sessionPort, String deviceId, byte[] signed,
            byte[] mac) {
        public boolean full() {
            return (flags & FLAG_FULL) != 0;
        }

        /** True if the MAC is right for {@code accessKey} and the answer echoes {@code nonce}. */
        public boolean verify(byte[] accessKey, byte[] expectedNonce) {
            return MessageDigest.isEqual(nonce, expectedNonce)
                    && MessageDigest.isEqual(mac, hmac(accessKey, signed));
        }
    }

    public static byte[] probe(byte[] nonce, String deviceId) {
        byte[] id = id(deviceId);
        if (nonce.length != NONCE) {
            throw new IllegalArgumentException("nonce of " + nonce.length + " bytes");
        }
        return ByteBuffer.allocate(4 + 2 + NONCE + 1 + id.length).put(MAGIC).put((byte) VERSION)
                .put((byte) PROBE).put(nonce).put((byte) id.length).put(id).array();
    }

    public static byte[] answer(byte[] nonce, int flags, int sessionPort, String deviceId, byte[] accessKey) {
        byte[] id = id(deviceId);
        ByteBuffer b = ByteBuffer.allocate(4 + 2 + NONCE + 1 + 2 + 1 + id.length + MAC);
        b.put(MAGIC).put((byte) VERSION).put((byte) ANSWER).put(nonce).put((byte) flags)
                .putShort((short) sessionPort).put((byte) id.length).put(id);
        byte[] signed = Arrays.copyOf(b.array(), b.position());
        b.put(hmac(accessKey, signed));
        return b.array();
    }

    /** The type of a discovery datagram (PROBE, ANSWER), or 0 if it is not one. */
    public static int typeOf(ByteBuffer d) {
        if (d.remaining() < 6) {
            return 0;
        }
        int p = d.position();
        for (int i = 0; i < 4; i++) {
            if (d.get(p + i) != MAGIC[i]) {
                return 0;
            }
        }
        return d.get(p + 4) == VERSION ? d.get(p + 5) : 0;
    }

    /** Parses a probe, or returns null if malformed. */
    public static Probe parseProbe(ByteBuffer d) {
        if (typeOf(d) != PROBE) {
            return null;
        }
        try {
            ByteBuffer b = d.duplicate();
            b.position(b.position() + 6);
            byte[] nonce = new byte[NONCE];
            b.get(nonce);
            String id = readId(b);
            return id == null || b.hasRemaining() ? null : new Probe(nonce, id);
        } catch (BufferUnderflowException e) {
            return null;
        }
    }

    /** Parses an answer (the MAC is checked by {@link Answer#verify}), or null if malformed. */
    public static Answer parseAnswer(ByteBuffer d) {
        if (typeOf(d) != ANSWER) {
            return null;
        }
        try {
            ByteBuffer b = d.duplicate();
            int start = b.position();
            b.position(start + 6);
            byte[] nonce = new byte[NONCE];
            b.get(nonce);
            int flags = b.get() & 0xFF;
            int port = b.getShort() & 0xFFFF;
            String id = readId(b);
            if (id == null || b.remaining() != MAC) {
                return null;
            }
            byte[] signed = new byte[b.position() - start];
            d.duplicate().get(signed);
            byte[] mac = new byte[MAC];
            b.get(mac);
            return new Answer(nonce, flags, port, id, signed, mac);
        } catch (BufferUnderflowException e) {
            return null;
        }
    }

    private static String readId(ByteBuffer b) {
        int len = b.get() & 0xFF;
        byte[] id = new byte[len];
        b.get(id);
        String s = new String(id, StandardCharsets.US_ASCII);
        return DEVICE_ID.matcher(s).matches() ? s : null;
    }

    private static byte[] id(String deviceId) {
        if (deviceId == null || !DEVICE_ID.matcher(deviceId).matches()) {
            throw new IllegalArgumentException("device id \"" + deviceId + "\": need [A-Za-z0-9_]{1,64}");
        }
        return deviceId.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * HMAC-SHA256 under a key derived from the access key ("ivp2p lan answer" label), so the MAC
     * key differs from the DTLS PSK even though both come from the same secret.
     */
    static byte[] hmac(byte[] accessKey, byte[] data) {
        try {
            Mac derive = Mac.getInstance("HmacSHA256");
            derive.init(new SecretKeySpec(accessKey, "HmacSHA256"));
            byte[] key = derive.doFinal("ivp2p lan answer".getBytes(StandardCharsets.US_ASCII));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}

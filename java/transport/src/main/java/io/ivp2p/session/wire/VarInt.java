package io.ivp2p.session.wire;

import java.nio.ByteBuffer;

/**
 * Variable-length integers as in RFC 9000 §16: the two high bits of the first byte give the
 * length (1, 2, 4 or 8 bytes), the rest is the value, big-endian; values up to 2^62-1.
 */
public final class VarInt {
    public static final long MAX = (1L << 62) - 1;

    private VarInt() {}

    public static int size(long v) {
        if (v < 0 || v > MAX) {
            throw new IllegalArgumentException("varint out of range: " + v);
        }
        return v < 64 ? 1 : v < 16384 ? 2 : v < 1073741824 ? 4 : 8;
    }

    public static void write(ByteBuffer out, long v) {
        switch (size(v)) {
            case 1 -> out.put((byte) v);
            case 2 -> out.putShort((short) (v | 0x4000));
            case 4 -> out.putInt((int) (v | 0x8000_0000L));
            default -> out.putLong(v | 0xC000_0000_0000_0000L);
        }
    }

    /** Reads one varint; throws {@link WireFormatException} if the buffer ends inside it. */
    public static long read(ByteBuffer in) {
        need(in, 1);
        int first = in.get(in.position()) & 0xff;
        int len = 1 << (first >> 6);
        need(in, len);
        return switch (len) {
            case 1 -> in.get() & 0x3f;
            case 2 -> in.getShort() & 0x3fff;
            case 4 -> in.getInt() & 0x3fff_ffffL;
            default -> in.getLong() & 0x3fff_ffff_ffff_ffffL;
        };
    }

    static void need(ByteBuffer in, int n) {
        if (in.remaining() < n) {
            throw new WireFormatException("truncated: need " + n + " bytes, have " + in.remaining());
        }
    }
}

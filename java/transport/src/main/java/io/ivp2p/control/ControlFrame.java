package io.ivp2p.control;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One control-channel message. Wire form (big-endian), 12-byte header then payload:
 * <pre>
 *   type u8 | channel u8 | reserved u16 (0) | request id u32 | payload length u32 | payload
 * </pre>
 *
 * @param channel   the channel a stream or talk frame is about (0 otherwise)
 * @param requestId pairs a request with its reply; ids are per direction (each end counts its own)
 */
public record ControlFrame(FrameType type, int channel, int requestId, byte[] payload) {
    public static final int HEADER = 12;
    /**
     * Largest payload: commands, replies and params strings all fit. The vendor recommends
     * send_command messages under 16 KB; 256 KiB leaves room for large replies (a recording list)
     * while bounding what one peer can make the other buffer.
     */
    public static final int MAX_PAYLOAD = 256 * 1024;

    public ControlFrame {
        if (channel < 0 || channel > 7) {
            throw new IllegalArgumentException("channel " + channel + " not in 0..7");
        }
        if (payload == null) {
            payload = new byte[0];
        }
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("control payload of " + payload.length
                    + " bytes exceeds " + MAX_PAYLOAD);
        }
    }

    public static ControlFrame of(FrameType type, int channel, int requestId, String text) {
        return new ControlFrame(type, channel, requestId, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A frame whose payload is an 8-byte offset followed by UTF-8 text. */
    public static ControlFrame withOffset(FrameType type, int channel, int requestId, long offset,
            String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + t.length).putLong(offset).put(t);
        return new ControlFrame(type, channel, requestId, b.array());
    }

    /** An ERROR reply. */
    public static ControlFrame error(int requestId, int code, String reason) {
        byte[] t = reason.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + t.length).putInt(code).put(t);
        return new ControlFrame(FrameType.ERROR, 0, requestId, b.array());
    }

    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** The offset of a frame made by {@link #withOffset}. */
    public long offset() {
        if (payload.length < 8) {
            throw new IllegalStateException(type + " frame without offset");
        }
        return ByteBuffer.wrap(payload).getLong();
    }

    /** The text after the offset of a frame made by {@link #withOffset}. */
    public String textAfterOffset() {
        return payload.length <= 8 ? "" : new String(payload, 8, payload.length - 8, StandardCharsets.UTF_8);
    }

    /** The code of an ERROR frame. */
    public int errorCode() {
        return payload.length < 4 ? 0 : ByteBuffer.wrap(payload).getInt();
    }

    /** The reason of an ERROR frame. */
    public String errorReason() {
        return payload.length <= 4 ? "" : new String(payload, 4, payload.length - 4, StandardCharsets.UTF_8);
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length);
        b.put((byte) type.code()).put((byte) channel).putShort((short) 0).putInt(requestId)
                .putInt(payload.length).put(payload);
        return b.array();
    }

    @Override
    public String toString() {
        return type + "{ch=" + channel + ", req=" + requestId + ", " + payload.length + " B}";
    }
}

package io.ivp2p.session.wire;

import java.nio.ByteBuffer;

/**
 * Bytes {@code [offset, offset + data.remaining())} of one channel's byte stream; {@code fin}
 * marks the end of the stream (graceful close of that direction of the channel).
 *
 * @param data read-only view of the payload; its position and limit are not changed by this frame
 */
public record StreamFrame(int channel, long offset, ByteBuffer data, boolean fin) implements Frame {
    public StreamFrame {
        Frame.checkChannel(channel);
        VarInt.size(offset + data.remaining());
        data = data.asReadOnlyBuffer();
    }

    public int length() {
        return data.remaining();
    }

    /** Offset just past the last byte. */
    public long end() {
        return offset + data.remaining();
    }

    /** Header bytes for a frame of this channel, offset and length (to size a frame to fit). */
    public static int headerSize(long offset, int length) {
        return 2 + VarInt.size(offset) + VarInt.size(length);
    }

    static StreamFrame parseBody(ByteBuffer in, boolean fin) {
        VarInt.need(in, 1);
        int channel = Frame.checkChannel(in.get() & 0xff);
        long offset = VarInt.read(in);
        long length = VarInt.read(in);
        if (length > in.remaining()) {
            throw new WireFormatException("stream frame of " + length + " bytes, " + in.remaining() + " left");
        }
        if (offset + length > VarInt.MAX) {
            throw new WireFormatException("stream offset overflow");
        }
        ByteBuffer data = in.slice(in.position(), (int) length);
        in.position(in.position() + (int) length);
        return new StreamFrame(channel, offset, data, fin);
    }

    @Override
    public int encodedSize() {
        return headerSize(offset, length()) + length();
    }

    @Override
    public void serialize(ByteBuffer out) {
        out.put((byte) (fin ? STREAM_FIN : STREAM)).put((byte) channel);
        VarInt.write(out, offset);
        VarInt.write(out, length());
        out.put(data.duplicate());
    }
}

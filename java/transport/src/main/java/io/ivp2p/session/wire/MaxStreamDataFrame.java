package io.ivp2p.session.wire;

import java.nio.ByteBuffer;

/** Per-channel flow control: the peer may send this channel's bytes up to {@code maximum}. */
public record MaxStreamDataFrame(int channel, long maximum) implements Frame {
    public MaxStreamDataFrame {
        Frame.checkChannel(channel);
        VarInt.size(maximum);
    }

    static MaxStreamDataFrame parseBody(ByteBuffer in) {
        VarInt.need(in, 1);
        int channel = in.get() & 0xff;
        return new MaxStreamDataFrame(Frame.checkChannel(channel), VarInt.read(in));
    }

    @Override
    public int encodedSize() {
        return 2 + VarInt.size(maximum);
    }

    @Override
    public void serialize(ByteBuffer out) {
        out.put((byte) MAX_STREAM_DATA).put((byte) channel);
        VarInt.write(out, maximum);
    }
}

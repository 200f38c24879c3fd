package io.ivp2p.session.wire;

import java.nio.ByteBuffer;

/** A run of zero bytes (one frame for the whole run). Used to probe the path MTU. */
public record PaddingFrame(int length) implements Frame {
    public PaddingFrame {
        if (length < 1) {
            throw new IllegalArgumentException("padding length " + length);
        }
    }

    static PaddingFrame parseBody(ByteBuffer in) {
        int n = 1;
        while (in.hasRemaining() && in.get(in.position()) == 0) {
            in.get();
            n++;
        }
        return new PaddingFrame(n);
    }

    @Override
    public int encodedSize() {
        return length;
    }

    @Override
    public void serialize(ByteBuffer out) {
        for (int i = 0; i < length; i++) {
            out.put((byte) 0);
        }
    }

    @Override
    public boolean ackEliciting() {
        return false;
    }
}

package io.ivp2p.session.wire;

import java.nio.ByteBuffer;

/** Asks for an acknowledgement: keep-alive and probe timeouts. */
public enum PingFrame implements Frame {
    INSTANCE;

    @Override
    public int encodedSize() {
        return 1;
    }

    @Override
    public void serialize(ByteBuffer out) {
        out.put((byte) PING);
    }
}

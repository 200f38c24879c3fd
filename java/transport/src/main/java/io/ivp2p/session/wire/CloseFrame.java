package io.ivp2p.session.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Ends the session: {@code code} 0 is a normal close, other values an error (reason for logs). */
public record CloseFrame(long code, String reason) implements Frame {
    /** Longest reason sent; longer ones are cut, so a CLOSE always fits one packet. */
    public static final int MAX_REASON_BYTES = 128;

    public CloseFrame {
        VarInt.size(code);
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        if (r.length > MAX_REASON_BYTES) {
            reason = new String(r, 0, MAX_REASON_BYTES, StandardCharsets.UTF_8);
        }
    }

    static CloseFrame parseBody(ByteBuffer in) {
        long code = VarInt.read(in);
        long len = VarInt.read(in);
        if (len > MAX_REASON_BYTES) {
            throw new WireFormatException("close reason of " + len + " bytes");
        }
        VarInt.need(in, (int) len);
        byte[] r = new byte[(int) len];
        in.get(r);
        return new CloseFrame(code, new String(r, StandardCharsets.UTF_8));
    }

    private byte[] reasonBytes() {
        return reason.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public int encodedSize() {
        int n = reasonBytes().length;
        return 1 + VarInt.size(code) + VarInt.size(n) + n;
    }

    @Override
    public void serialize(ByteBuffer out) {
        byte[] r = reasonBytes();
        out.put((byte) CLOSE);
        VarInt.write(out, code);
        VarInt.write(out, r.length);
        out.put(r);
    }

    @Override
    public boolean ackEliciting() {
        return false;
    }
}

package io.ivp2p.session.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One session packet: the plaintext of one DTLS record.
 *
 * <pre>
 * type (1 byte, 0x51 = session packet) | packet number (varint) | frame+
 * </pre>
 *
 * Packet numbers start at 0 and grow by one per packet sent, never reused (RFC 9000 §12.3), so
 * an acknowledgement names exactly one transmission and RTT samples are never ambiguous.
 */
public record Packet(long number, List<Frame> frames) {
    public static final int TYPE = 0x51;

    public Packet {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("packet without frames");
        }
        VarInt.size(number);
        frames = List.copyOf(frames);
    }

    public static int headerSize(long number) {
        return 1 + VarInt.size(number);
    }

    public int encodedSize() {
        int n = headerSize(number);
        for (Frame f : frames) {
            n += f.encodedSize();
        }
        return n;
    }

    public boolean ackEliciting() {
        for (Frame f : frames) {
            if (f.ackEliciting()) {
                return true;
            }
        }
        return false;
    }

    public void serialize(ByteBuffer out) {
        out.put((byte) TYPE);
        VarInt.write(out, number);
        for (Frame f : frames) {
            f.serialize(out);
        }
    }

    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(encodedSize());
        serialize(b);
        return b.array();
    }

    /** Parses a whole datagram payload; throws {@link WireFormatException} on any malformation. */
    public static Packet parse(ByteBuffer in) {
        VarInt.need(in, 1);
        int type = in.get() & 0xff;
        if (type != TYPE) {
            throw new WireFormatException("not a session packet: type 0x" + Integer.toHexString(type));
        }
        long number = VarInt.read(in);
        List<Frame> frames = new ArrayList<>();
        while (in.hasRemaining()) {
            frames.add(Frame.parse(in));
        }
        if (frames.isEmpty()) {
            throw new WireFormatException("packet " + number + " without frames");
        }
        return new Packet(number, frames);
    }
}

package io.ivp2p.session.wire;

import java.nio.ByteBuffer;

/**
 * A frame inside a session packet. Immutable; each type knows its exact encoded size, writes
 * itself, and is parsed by {@link #parse}. Types and layouts (all integers are {@link VarInt}s
 * unless noted):
 *
 * <pre>
 * 0x00 PADDING
 * 0x01 PING                         ack-eliciting; keep-alive probes
 * 0x02 ACK      largest, ack_delay_us, range_count, first_range, (gap, range)*   (RFC 9000 §19.3)
 * 0x08 STREAM   channel (1 byte), offset, length, data         0x09: the same with FIN
 * 0x11 MAX_STREAM_DATA  channel (1 byte), maximum offset the sender may send up to
 * 0x1c CLOSE    error code, reason length, reason (UTF-8)
 * </pre>
 */
public sealed interface Frame permits PaddingFrame, PingFrame, AckFrame, StreamFrame,
        MaxStreamDataFrame, CloseFrame {

    int PADDING = 0x00;
    int PING = 0x01;
    int ACK = 0x02;
    int STREAM = 0x08;
    int STREAM_FIN = 0x09;
    int MAX_STREAM_DATA = 0x11;
    int CLOSE = 0x1c;

    /** Bytes {@link #serialize} writes. */
    int encodedSize();

    void serialize(ByteBuffer out);

    /** RFC 9002 §2: a packet with such a frame must be acknowledged (all but ACK, PADDING, CLOSE). */
    default boolean ackEliciting() {
        return true;
    }

    /** Parses one frame at the buffer's position and moves past it. */
    static Frame parse(ByteBuffer in) {
        VarInt.need(in, 1);
        int type = in.get() & 0xff;
        return switch (type) {
            case PADDING -> PaddingFrame.parseBody(in);
            case PING -> PingFrame.INSTANCE;
            case ACK -> AckFrame.parseBody(in);
            case STREAM, STREAM_FIN -> StreamFrame.parseBody(in, type == STREAM_FIN);
            case MAX_STREAM_DATA -> MaxStreamDataFrame.parseBody(in);
            case CLOSE -> CloseFrame.parseBody(in);
            default -> throw new WireFormatException("unknown frame type 0x" + Integer.toHexString(type));
        };
    }

    /** Channel numbers are 0..7 (ARCHITECTURE.md: 8 channels per session). */
    int CHANNELS = 8;

    static int checkChannel(int channel) {
        if (channel < 0 || channel >= CHANNELS) {
            throw new WireFormatException("channel " + channel + " out of range 0.." + (CHANNELS - 1));
        }
        return channel;
    }
}

package io.ivp2p.control;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the control channel's byte stream into {@link ControlFrame}s. Frames of a type this version
 * does not know are skipped (a newer peer may send them); a length above
 * {@link ControlFrame#MAX_PAYLOAD} or a bad channel is a protocol error, since nothing after it
 * can be trusted.
 */
public final class ControlDecoder {
    private final byte[] header = new byte[ControlFrame.HEADER];
    private int headerFill;
    private byte[] payload;
    private int payloadFill;
    private int type;
    private int channel;
    private int requestId;
    private long skipped;

    /** Frames skipped because their type is unknown. */
    public long skipped() {
        return skipped;
    }

    /** Feeds {@code len} bytes; returns the frames they completed, in order. */
    public List<ControlFrame> feed(byte[] b, int off, int len) throws ControlProtocolException {
        List<ControlFrame> out = new ArrayList<>(1);
        int end = off + len;
        while (off < end) {
            if (payload == null) {
                int n = Math.min(ControlFrame.HEADER - headerFill, end - off);
                System.arraycopy(b, off, header, headerFill, n);
                headerFill += n;
                off += n;
                if (headerFill < ControlFrame.HEADER) {
                    break;
                }
                ByteBuffer h = ByteBuffer.wrap(header);
                type = h.get() & 0xFF;
                channel = h.get() & 0xFF;
                h.getShort();
                requestId = h.getInt();
                long length = h.getInt() & 0xFFFFFFFFL;
                if (length > ControlFrame.MAX_PAYLOAD) {
                    throw new ControlProtocolException("control frame of " + length
                            + " bytes exceeds " + ControlFrame.MAX_PAYLOAD);
                }
                if (channel > 7) {
                    throw new ControlProtocolException("control frame for channel " + channel);
                }
                payload = new byte[(int) length];
                payloadFill = 0;
            }
            int n = Math.min(payload.length - payloadFill, end - off);
            System.arraycopy(b, off, payload, payloadFill, n);
            payloadFill += n;
            off += n;
            if (payloadFill == payload.length) {
                FrameType t = FrameType.of(type);
                if (t == null) {
                    skipped++;
                } else {
                    out.add(new ControlFrame(t, channel, requestId, payload));
                }
                payload = null;
                headerFill = 0;
            }
        }
        return out;
    }
}

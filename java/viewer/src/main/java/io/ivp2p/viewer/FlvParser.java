package io.ivp2p.viewer;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits an FLV byte stream, fed in pieces of any size, into its header and tags (FLV
 * specification 10.1, annex E.2/E.3). Not thread-safe: one feeder.
 *
 * <p>Memory is bounded: a tag larger than {@link #MAX_TAG_BYTES} is a format error, as is anything
 * that is not FLV, so a broken stream cannot make the viewer buffer without end.
 */
final class FlvParser {
    /** A 640x360 key frame is tens of KiB; 4 MiB leaves room for 4K key frames without trusting the 24-bit size. */
    static final int MAX_TAG_BYTES = 4 << 20;
    /** "FLV", version, flags, DataOffset (E.2), then PreviousTagSize0 (E.3). */
    static final int FILE_HEADER = 9 + 4;

    /** The stream is not FLV, or a tag is larger than the limit. */
    static final class FlvFormatException extends Exception {
        private static final long serialVersionUID = 1L;

        FlvFormatException(String message) {
            super(message);
        }
    }

    private final Consumer<byte[]> header;
    private final Consumer<FlvTag> tag;
    private byte[] buf = new byte[64 * 1024];
    private int len;
    private boolean headerDone;
    private long offset; // of buf[0] in the stream, for error messages

    /**
     * @param header gets the 9-byte file header and PreviousTagSize0, as received
     * @param tag    gets each tag, in stream order
     */
    FlvParser(Consumer<byte[]> header, Consumer<FlvTag> tag) {
        this.header = header;
        this.tag = tag;
    }

    /** Parses what {@code b[off..off+n)} completes; keeps an incomplete tail for the next call. */
    void feed(byte[] b, int off, int n) throws FlvFormatException {
        ensure(len + n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        int pos = 0;
        if (!headerDone) {
            if (len < FILE_HEADER) {
                return;
            }
            if (buf[0] != 'F' || buf[1] != 'L' || buf[2] != 'V') {
                throw new FlvFormatException("not FLV: the stream starts with " + hex(buf, 0, 3));
            }
            int dataOffset = be32(buf, 5);
            if (dataOffset != 9) { // E.2: "The length of this header in bytes", 9 for version 1
                throw new FlvFormatException("FLV DataOffset " + dataOffset + ", expected 9");
            }
            header.accept(Arrays.copyOf(buf, FILE_HEADER));
            headerDone = true;
            pos = FILE_HEADER;
        }
        while (len - pos >= FlvTag.HEADER) {
            int type = buf[pos] & 0x1f; // E.4.1: 2 reserved bits, Filter, TagType
            int size = (buf[pos + 1] & 0xff) << 16 | (buf[pos + 2] & 0xff) << 8 | buf[pos + 3] & 0xff;
            if (type != FlvTag.AUDIO && type != FlvTag.VIDEO && type != FlvTag.SCRIPT) {
                throw new FlvFormatException("FLV tag type " + type + " at byte " + (offset + pos));
            }
            if (size > MAX_TAG_BYTES) {
                throw new FlvFormatException("FLV tag of " + size + " bytes at byte " + (offset + pos) + " (limit "
                        + MAX_TAG_BYTES + ")");
            }
            int whole = FlvTag.HEADER + size + 4;
            if (len - pos < whole) {
                break;
            }
            int ts = (buf[pos + 4] & 0xff) << 16 | (buf[pos + 5] & 0xff) << 8 | buf[pos + 6] & 0xff
                    | (buf[pos + 7] & 0xff) << 24;
            byte[] data = Arrays.copyOfRange(buf, pos + FlvTag.HEADER, pos + FlvTag.HEADER + size);
            pos += whole;
            tag.accept(new FlvTag(type, ts, data));
        }
        System.arraycopy(buf, pos, buf, 0, len - pos);
        len -= pos;
        offset += pos;
    }

    private void ensure(int need) {
        if (need > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(need, buf.length * 2));
        }
    }

    private static int be32(byte[] b, int i) {
        return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | b[i + 3] & 0xff;
    }

    private static String hex(byte[] b, int off, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = off; i < off + n; i++) {
            s.append(String.format("%02x", b[i] & 0xff));
        }
        return s.toString();
    }
}

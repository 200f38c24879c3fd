package io.ivp2p.viewer;

import java.io.ByteArrayOutputStream;

/** Small synthetic FLV streams (tags with made-up payloads; only the FLV framing is real). */
final class FlvTestData {
    static final byte[] HEADER = {'F', 'L', 'V', 1, 5, 0, 0, 0, 9, 0, 0, 0, 0};

    private FlvTestData() {}

    static FlvTag metadata() {
        return new FlvTag(FlvTag.SCRIPT, 0, new byte[] {2, 0, 10, 'o', 'n', 'M', 'e', 't', 'a', 'D', 'a', 't', 'a'});
    }

    static FlvTag avcConfig(int ts) {
        return new FlvTag(FlvTag.VIDEO, ts, new byte[] {0x17, 0, 0, 0, 0, 1, 0x42});
    }

    static FlvTag aacConfig(int ts) {
        return new FlvTag(FlvTag.AUDIO, ts, new byte[] {(byte) 0xaf, 0, 0x14, 0x08});
    }

    static FlvTag keyFrame(int ts) {
        return new FlvTag(FlvTag.VIDEO, ts, new byte[] {0x17, 1, 0, 0, 0, 'K'});
    }

    static FlvTag interFrame(int ts) {
        return new FlvTag(FlvTag.VIDEO, ts, new byte[] {0x27, 1, 0, 0, 0, 'P'});
    }

    static FlvTag audio(int ts) {
        return new FlvTag(FlvTag.AUDIO, ts, new byte[] {(byte) 0xaf, 1, 'A'});
    }

    /** The header and the tags as one byte stream. */
    static byte[] stream(FlvTag... tags) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(HEADER);
        for (FlvTag t : tags) {
            out.writeBytes(t.encode());
        }
        return out.toByteArray();
    }
}

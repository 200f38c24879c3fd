package io.ivp2p.viewer;

/**
 * One FLV tag (Adobe FLV and F4V file format specification 10.1, annex E.4.1): its type, its
 * timestamp in ms and its data (the body after the 11-byte tag header).
 */
record FlvTag(int type, int timestamp, byte[] data) {
    static final int AUDIO = 8;
    static final int VIDEO = 9;
    static final int SCRIPT = 18;
    /** E.4.3.1: FrameType 1 = key frame (for AVC, a seekable frame). */
    private static final int KEY_FRAME = 1;
    /** E.4.3.1: CodecID 7 = AVC. */
    private static final int AVC = 7;
    /** E.4.2.1: SoundFormat 10 = AAC. */
    private static final int AAC = 10;
    /** The size of a tag header, and of the PreviousTagSize field that follows each tag. */
    static final int HEADER = 11;

    boolean isVideo() {
        return type == VIDEO;
    }

    boolean isAudio() {
        return type == AUDIO;
    }

    boolean isScript() {
        return type == SCRIPT;
    }

    /**
     * A video key frame that is a picture: for AVC only AVCPacketType 1 (NALUs), since the sequence
     * header (0) and the end of sequence (2) are tagged as key frames too.
     */
    boolean isKeyFrame() {
        if (!isVideo() || data.length < 1 || (data[0] >> 4 & 0x0f) != KEY_FRAME) {
            return false;
        }
        return (data[0] & 0x0f) != AVC || (data.length > 1 && data[1] == 1);
    }

    /**
     * The AVC decoder configuration (AVCPacketType 0) or the AAC AudioSpecificConfig (AACPacketType
     * 0): what a decoder needs before the first frame.
     */
    boolean isSequenceHeader() {
        if (data.length < 2) {
            return false;
        }
        if (isVideo()) {
            return (data[0] & 0x0f) == AVC && data[1] == 0;
        }
        return isAudio() && (data[0] >> 4 & 0x0f) == AAC && data[1] == 0;
    }

    /** The whole tag with {@code ts} as its timestamp, followed by its PreviousTagSize. */
    byte[] encode(int ts) {
        int n = data.length;
        byte[] out = new byte[HEADER + n + 4];
        out[0] = (byte) type;
        out[1] = (byte) (n >>> 16);
        out[2] = (byte) (n >>> 8);
        out[3] = (byte) n;
        out[4] = (byte) (ts >>> 16);
        out[5] = (byte) (ts >>> 8);
        out[6] = (byte) ts;
        out[7] = (byte) (ts >>> 24); // TimestampExtended: the upper 8 bits
        // StreamID (3 bytes) is always 0.
        System.arraycopy(data, 0, out, HEADER, n);
        int prev = HEADER + n;
        out[HEADER + n] = (byte) (prev >>> 24);
        out[HEADER + n + 1] = (byte) (prev >>> 16);
        out[HEADER + n + 2] = (byte) (prev >>> 8);
        out[HEADER + n + 3] = (byte) prev;
        return out;
    }

    /** The tag as it came, timestamp unchanged. */
    byte[] encode() {
        return encode(timestamp);
    }

    @Override
    public String toString() {
        return "FlvTag[type=" + type + " ts=" + timestamp + " bytes=" + data.length
                + (isKeyFrame() ? " key" : "") + (isSequenceHeader() ? " seq" : "") + "]";
    }
}

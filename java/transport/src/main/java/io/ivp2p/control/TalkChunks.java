package io.ivp2p.control;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Talk audio on its channel keeps the app's chunk boundaries, so each chunk the app sends is one
 * {@code recv_voice_cb} on the device (codecs such as AAC need whole frames). Each chunk is a
 * 4-byte big-endian length and the bytes; a length of 0 ends the talk (then the device calls
 * {@code recv_voice_cb(handle, NULL, 0)}), and a later TALK_OPEN starts the next one on the same
 * byte stream.
 */
public final class TalkChunks {
    /** Largest chunk (a second of 16-bit 48 kHz stereo PCM is 192 KB; real talk frames are small). */
    public static final int MAX_CHUNK = 64 * 1024;

    private final byte[] header = new byte[4];
    private int headerFill;
    private byte[] chunk;
    private int chunkFill;

    /** The 4-byte header of a chunk of {@code len} bytes (0 = the end marker). */
    public static byte[] header(int len) {
        if (len < 0 || len > MAX_CHUNK) {
            throw new IllegalArgumentException("talk chunk of " + len + " bytes (1.." + MAX_CHUNK + ")");
        }
        return ByteBuffer.allocate(4).putInt(len).array();
    }

    /**
     * Feeds received bytes; returns the completed chunks in order, an empty array standing for the
     * end marker.
     */
    public List<byte[]> feed(byte[] b, int off, int len) throws ControlProtocolException {
        List<byte[]> out = new ArrayList<>(2);
        int end = off + len;
        while (off < end) {
            if (chunk == null) {
                int n = Math.min(4 - headerFill, end - off);
                System.arraycopy(b, off, header, headerFill, n);
                headerFill += n;
                off += n;
                if (headerFill < 4) {
                    break;
                }
                headerFill = 0;
                int size = ByteBuffer.wrap(header).getInt();
                if (size < 0 || size > MAX_CHUNK) {
                    throw new ControlProtocolException("talk chunk of " + Integer.toUnsignedString(size)
                            + " bytes exceeds " + MAX_CHUNK);
                }
                if (size == 0) {
                    out.add(new byte[0]);
                    continue;
                }
                chunk = new byte[size];
                chunkFill = 0;
            }
            int n = Math.min(chunk.length - chunkFill, end - off);
            System.arraycopy(b, off, chunk, chunkFill, n);
            chunkFill += n;
            off += n;
            if (chunkFill == chunk.length) {
                out.add(chunk);
                chunk = null;
            }
        }
        return out;
    }
}

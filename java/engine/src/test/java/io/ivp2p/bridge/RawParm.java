package io.ivp2p.bridge;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Builds an {@code iv_p2p_parm_s} in native memory byte by byte at the documented LP64 offsets
 * (shared/abi-facts.md), deliberately without {@link CLayouts}, so tests that read it back
 * cross-check the JNA mapping. Strings live in separate native blocks, as they would in firmware.
 */
final class RawParm implements AutoCloseable {
    static final int SIZE = 200;

    static final int SEND_INIT = 0;
    static final int SEND_GET = 8;
    static final int SEND_STOP = 16;
    static final int EVENT_NOTIFY = 24;
    static final int RECV_INIT = 32;
    static final int RECV_VOICE = 40;
    static final int COMMAND = 48;

    static final int KEEP_ALIVE_TIME_INTER_S = 56;
    static final int KEEP_ALIVE_MAX_ATTEMPT_NUM = 57;

    static final int INIT = 64;
    static final int LOG_LEVEL = INIT;
    static final int LOG_FILE_PATH = INIT + 8;
    static final int LOG_FILE_SIZE = INIT + 16;
    static final int MTU_SIZE = INIT + 20;
    static final int NIC_TYPE = INIT + 24;
    static final int SENDER_INTERVAL_MS = INIT + 28;
    static final int KEEPALIVE_INTERVAL_S = INIT + 32;
    static final int ACCESS_RETRY_TIMES = INIT + 36;
    static final int PROTOCOL = INIT + 40;

    static final int NET = 112;
    static final int PROBE_PORT = NET;
    static final int TRANS_PORT = NET + 4;
    static final int LOCAL_ADDR = NET + 8;
    static final int LOCAL_ADDR_BYTES = 64;
    static final int VENDOR_ID = NET + 72;
    static final int DEVICE_ID = NET + 80;

    final Memory struct = new Memory(SIZE);
    private final List<Memory> blocks = new ArrayList<>();

    RawParm() {
        if (Native.POINTER_SIZE != 8) {
            throw new IllegalStateException("RawParm writes LP64 offsets");
        }
        struct.clear();
    }

    /** A parm that init accepts: FakeFirmware's callbacks, keep-alive 5 s x 3, all defaults. */
    static RawParm valid() {
        return new RawParm().callbacks(FakeFirmware.allCallbacks())
                .u8(KEEP_ALIVE_TIME_INTER_S, 5).u8(KEEP_ALIVE_MAX_ATTEMPT_NUM, 3)
                .u32(LOG_LEVEL, 2);
    }

    long address() {
        return Pointer.nativeValue(struct);
    }

    RawParm pointer(int offset, long address) {
        struct.setLong(offset, address);
        return this;
    }

    RawParm callbacks(P2pParams.Callbacks cb) {
        return pointer(SEND_INIT, cb.sendInit()).pointer(SEND_GET, cb.sendGet())
                .pointer(SEND_STOP, cb.sendStop()).pointer(EVENT_NOTIFY, cb.eventNotify())
                .pointer(RECV_INIT, cb.recvInit()).pointer(RECV_VOICE, cb.recvVoice())
                .pointer(COMMAND, cb.command());
    }

    RawParm u8(int offset, int value) {
        struct.setByte(offset, (byte) value);
        return this;
    }

    RawParm u32(int offset, long value) {
        struct.setInt(offset, (int) value);
        return this;
    }

    /** A NUL-terminated copy of {@code s} in its own block, or NULL for null. */
    RawParm string(int offset, String s) {
        if (s == null) {
            return pointer(offset, 0);
        }
        return pointer(offset, Pointer.nativeValue(block(s.getBytes(StandardCharsets.UTF_8), true)));
    }

    /** Raw bytes (no NUL added) in their own block. */
    RawParm bytes(int offset, byte[] b) {
        return pointer(offset, Pointer.nativeValue(block(b, false)));
    }

    /** Writes the 64-byte local_addr array: {@code s} then NULs. */
    RawParm localAddr(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        struct.setMemory(LOCAL_ADDR, LOCAL_ADDR_BYTES, (byte) 0);
        struct.write(LOCAL_ADDR, b, 0, b.length);
        return this;
    }

    private Memory block(byte[] b, boolean nul) {
        Memory m = new Memory(b.length + 1L);
        m.clear();
        m.write(0, b, 0, b.length);
        if (!nul) {
            m.setByte(b.length, (byte) 'Z');
        }
        blocks.add(m);
        return m;
    }

    /** Overwrites the struct and every string with garbage, then frees them. */
    void scribbleAndFree() {
        struct.setMemory(0, SIZE, (byte) 0xA5);
        for (Memory m : blocks) {
            m.setMemory(0, m.size(), (byte) 'X');
        }
        close();
    }

    @Override
    public void close() {
        for (Memory m : blocks) {
            m.close();
        }
        blocks.clear();
        struct.close();
    }
}

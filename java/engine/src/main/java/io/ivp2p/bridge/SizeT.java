package io.ivp2p.bridge;

import com.sun.jna.IntegerType;
import com.sun.jna.Native;

/** C {@code size_t}: 8 bytes on LP64, 4 on ILP32, unsigned. */
public final class SizeT extends IntegerType {
    private static final long serialVersionUID = 1L;

    /** {@code (size_t)-1}, the vendor's "error/end" size in {@code iv_cm_memory_s}. */
    public static final long MAX = Native.SIZE_T_SIZE == 8 ? -1L : 0xFFFF_FFFFL;

    public SizeT() {
        this(0);
    }

    public SizeT(long value) {
        super(Native.SIZE_T_SIZE, value, true);
    }
}

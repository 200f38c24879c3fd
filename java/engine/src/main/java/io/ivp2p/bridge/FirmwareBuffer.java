package io.ivp2p.bridge;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.jna.Pointer;

/**
 * An {@code iv_cm_memory_s} a callback returned. The engine reads the bytes and then calls
 * {@link #release()}, which calls the firmware's {@code buf_free_fn(buf, size)} exactly once (and
 * never when {@code buf_free_fn} or {@code buf} is NULL: the vendor's "NULL fn = never free").
 */
public final class FirmwareBuffer {
    private final long address;
    private final long size;
    private final long freeFn;
    private final FirmwareCallbacks owner;
    private final AtomicBoolean released = new AtomicBoolean();

    FirmwareBuffer(long address, long size, long freeFn, FirmwareCallbacks owner) {
        this.address = address;
        this.size = size;
        this.freeFn = freeFn;
        this.owner = owner;
    }

    public long address() {
        return address;
    }

    /** The size as the firmware gave it (unsigned; {@link SizeT#MAX} for "end"). */
    public long size() {
        return size;
    }

    /** {@code buf == NULL, size == (size_t)-1}: the stream ended, stop polling. */
    public boolean isEnd() {
        return address == 0 && size == SizeT.MAX;
    }

    /** Bytes to send: a non-NULL buffer of 1 or more bytes. */
    public boolean hasData() {
        return address != 0 && size != 0 && size != SizeT.MAX;
    }

    /** A read-only view of the firmware's bytes, valid until {@link #release()}. */
    public ByteBuffer view() {
        checkReadable();
        return new Pointer(address).getByteBuffer(0, size).asReadOnlyBuffer();
    }

    /** A copy of the bytes. */
    public byte[] copy() {
        checkReadable();
        return new Pointer(address).getByteArray(0, (int) size);
    }

    /** Calls {@code buf_free_fn(buf, size)} once; later calls do nothing. */
    public void release() {
        if (released.compareAndSet(false, true) && freeFn != 0 && address != 0) {
            owner.free(address, size, freeFn);
        }
    }

    public boolean isReleased() {
        return released.get();
    }

    private void checkReadable() {
        if (!hasData() || released.get()) {
            throw new IllegalStateException("no readable data: " + this);
        }
        if (Long.compareUnsigned(size, Integer.MAX_VALUE) > 0) {
            throw new IvException(IvError.AVT_SEND_STREAM_TOO_BIG,
                    "buffer of " + Long.toUnsignedString(size) + " bytes exceeds 2 GiB");
        }
    }

    @Override
    public String toString() {
        return "FirmwareBuffer{buf=0x" + Long.toHexString(address) + ", size="
                + Long.toUnsignedString(size) + ", free_fn=0x" + Long.toHexString(freeFn)
                + (released.get() ? ", released" : "") + "}";
    }
}

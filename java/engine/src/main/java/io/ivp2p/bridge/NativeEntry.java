package io.ivp2p.bridge;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ivp2p.device.DeviceEngine;
import io.ivp2p.device.SendStats;
import io.ivp2p.device.Watermarks;

/**
 * The only class the C shim calls (native/bridge_ids.h lists the signatures). One static method
 * per exported function; C pointers arrive as {@code long} addresses and {@code size_t} values as
 * unsigned {@code long}s. Every method catches every {@link Throwable} and returns its
 * {@code IV_ERR_*} code through {@link ErrorMap}, so nothing is ever thrown back into C.
 *
 * <p>Order of checks, the same in C and Java: NULL pointers ({@code IV_ERR_AVT_INPUT_PARAM_NULL}),
 * then state ({@code IV_ERR_AVT_STATE_ERROR} before init), then values. Before the first init the
 * JVM does not exist yet, so the shim can answer the first two without starting it.
 */
public final class NativeEntry {
    private static final Logger log = LoggerFactory.getLogger(NativeEntry.class);

    /** Vendor: "timeout_ms == 0 uses the default timeout (about 7500 ms)". */
    public static final long SEND_COMMAND_DEFAULT_TIMEOUT_MS = 7500;
    /**
     * Largest send_command message. The vendor recommends under 16 KB "or real-time traffic
     * suffers"; we accept up to 64 KiB so that 16 KB messages work with room to spare.
     */
    public static final long SEND_COMMAND_MAX_BYTES = 64 * 1024;
    /** Bound on a peer name read from C (app session ids are far shorter). */
    static final int MAX_PEER_BYTES = 256;

    private NativeEntry() {}

    /** Once, when the JVM starts: load JNA's installed native stub so a broken install fails early. */
    static int boot() {
        try {
            log.debug("engine {} on Java {}: JNA {} with {}-byte pointers", Version.VERSION,
                    Runtime.version(), Native.VERSION, Native.POINTER_SIZE);
            return IvError.NONE.code();
        } catch (Throwable t) {
            log.error(bootFailure(t, System.getProperty("jna.boot.library.path")), t);
            return IvError.AVT_FAILED.code();
        }
    }

    /**
     * What went wrong when JNA first loaded, in words a firmware developer can act on: the three
     * causes we have met are a missing or foreign-CPU stub, a Java runtime without a module JNA
     * needs (a {@code jlink} image without java.logging), and anything else, named as thrown.
     */
    static String bootFailure(Throwable t, String bootPath) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UnsatisfiedLinkError) {
                return "JNA's native stub did not load (jna.boot.library.path=" + bootPath + "): install"
                        + " libjnidispatch.so for this CPU next to the engine jars (" + c.getMessage() + ")";
            }
            String missing = c.getMessage();
            if (c instanceof NoClassDefFoundError && missing != null
                    && (missing.startsWith("java/") || missing.startsWith("javax/") || missing.startsWith("jdk/"))) {
                return "the Java runtime lacks a module the engine needs (" + missing + " is missing): a jlink"
                        + " image needs java.base, java.desktop, java.naming, java.sql, java.logging,"
                        + " jdk.crypto.ec and jdk.unsupported (docs/porting.md, section 3.4)";
            }
        }
        return "JNA did not start (jna.boot.library.path=" + bootPath + "): " + t;
    }

    static int init(long parmAddress) {
        try {
            EngineHost.instance().init(ParmReader.read(parmAddress));
            return IvError.NONE.code();
        } catch (Throwable t) {
            return ErrorMap.report("iv_avt_p2p_init", t);
        }
    }

    static int exit() {
        try {
            EngineHost.instance().exit();
            return IvError.NONE.code();
        } catch (Throwable t) {
            return ErrorMap.report("iv_avt_p2p_exit", t);
        }
    }

    static int setBufWatermark(long low, long warn, long high) {
        try {
            DeviceEngine engine = EngineHost.instance().require("iv_avt_p2p_set_buf_watermark");
            engine.setWatermarks(new Watermarks(low, warn, high));
            return IvError.NONE.code();
        } catch (Throwable t) {
            return ErrorMap.report("iv_avt_p2p_set_buf_watermark", t);
        }
    }

    /** 0 for an unknown handle or before init (iv_av.h), never an error code. */
    static long getSendBuf(long handle) {
        try {
            DeviceEngine engine = EngineHost.instance().currentOrNull();
            return engine == null ? 0 : engine.sendBuffered(handle);
        } catch (Throwable t) {
            ErrorMap.report("iv_avt_p2p_get_send_buf", t);
            return 0;
        }
    }

    /** Fills the caller's zeroed {@code iv_p2p_send_stats_s} at {@code statsOut}. */
    static void getSendStatus(long handle, long statsOut) {
        try {
            DeviceEngine engine = EngineHost.instance().currentOrNull();
            SendStats s = engine == null ? SendStats.NONE : engine.sendStats(handle);
            StatsWriter.write(new Pointer(statsOut), s);
        } catch (Throwable t) {
            ErrorMap.report("iv_avt_p2p_get_send_status", t);
        }
    }

    static int sendCommand(long peer, long msg, long msgLen, long recvBuf, long recvLenPtr,
            int timeoutMs) {
        try {
            if (peer == 0 || msg == 0 || recvBuf == 0 || recvLenPtr == 0) {
                throw new IvException(IvError.AVT_INPUT_PARAM_NULL, "NULL argument");
            }
            DeviceEngine engine = EngineHost.instance().require("iv_avt_p2p_send_command");
            if (msgLen == 0) {
                throw new IvException(IvError.AVT_INPUT_PARAM_INVAILD, "msg_len is 0");
            }
            if (Long.compareUnsigned(msgLen, SEND_COMMAND_MAX_BYTES) > 0) {
                throw new IvException(IvError.AVT_SEND_STREAM_TOO_BIG, "msg_len "
                        + Long.toUnsignedString(msgLen) + " exceeds " + SEND_COMMAND_MAX_BYTES);
            }
            String peerName = peerName(new Pointer(peer));
            long timeout = timeoutMs == 0 ? SEND_COMMAND_DEFAULT_TIMEOUT_MS
                    : Integer.toUnsignedLong(timeoutMs);
            Pointer recvLen = new Pointer(recvLenPtr);
            long capacity = Native.SIZE_T_SIZE == 8 ? recvLen.getLong(0)
                    : Integer.toUnsignedLong(recvLen.getInt(0));
            byte[] reply = engine.sendCommand(peerName,
                    new Pointer(msg).getByteArray(0, (int) msgLen), timeout);
            if (Long.compareUnsigned(reply.length, capacity) > 0) {
                // iv_av.h: *recv_len then holds the size needed, so the caller can retry.
                writeSize(recvLen, reply.length);
                throw new IvException(IvError.AVT_MALLOC_BUFFER_FAILED, "reply of " + reply.length
                        + " bytes does not fit recv_buf of " + Long.toUnsignedString(capacity));
            }
            new Pointer(recvBuf).write(0, reply, 0, reply.length);
            writeSize(recvLen, reply.length);
            return IvError.NONE.code();
        } catch (Throwable t) {
            return ErrorMap.report("iv_avt_p2p_send_command", t);
        }
    }

    private static void writeSize(Pointer p, long value) {
        if (Native.SIZE_T_SIZE == 8) {
            p.setLong(0, value);
        } else {
            p.setInt(0, (int) value);
        }
    }

    private static String peerName(Pointer p) {
        try {
            return ParmReader.cString(p, MAX_PEER_BYTES, "peer");
        } catch (IvException e) {
            throw new IvException(IvError.AVT_INPUT_PARAM_INVAILD, e.getMessage());
        }
    }
}

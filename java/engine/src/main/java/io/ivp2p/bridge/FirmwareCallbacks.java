package io.ivp2p.bridge;

import java.util.concurrent.ConcurrentHashMap;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seven firmware callbacks of {@code iv_p2p_parm_s} (and the {@code buf_free_fn}s of returned
 * buffers), called through JNA with the exact C shapes. Every call passes the
 * {@link CallbackGate}, so none starts after {@code iv_avt_p2p_exit} has begun.
 *
 * <p>Strings go to C as temporary NUL-terminated UTF-8 copies (the vendor: "peer strings live in
 * temporary memory"). Handles are opaque keys, passed back exactly as the firmware returned them.
 * Calls may come from any engine thread; the firmware's callbacks must be thread-safe.
 */
public final class FirmwareCallbacks {
    private static final Logger log = LoggerFactory.getLogger(FirmwareCallbacks.class);

    private final Function sendInit;
    private final Function sendGet;
    private final Function sendStop;
    private final Function eventNotify;
    private final Function recvInit;
    private final Function recvVoice;
    private final Function command;
    private final CallbackGate gate = new CallbackGate();
    /** Firmware uses one or two free functions; wrap each once, not per buffer. */
    private final ConcurrentHashMap<Long, Function> freeFunctions = new ConcurrentHashMap<>();

    public FirmwareCallbacks(P2pParams.Callbacks addresses) {
        sendInit = function(addresses.sendInit());
        sendGet = function(addresses.sendGet());
        sendStop = function(addresses.sendStop());
        eventNotify = function(addresses.eventNotify());
        recvInit = function(addresses.recvInit());
        recvVoice = function(addresses.recvVoice());
        command = function(addresses.command());
    }

    private static Function function(long address) {
        return address == 0 ? null : Function.getFunction(new Pointer(address));
    }

    private static Pointer handle(long handle) {
        return handle == 0 ? null : new Pointer(handle);
    }

    public CallbackGate gate() {
        return gate;
    }

    /** {@code void *send_init_cb(params, peer)}: the stream handle, 0 = refused. */
    public long sendInit(String params, String peer) {
        gate.enter("p2p_handle_send_init_cb");
        try {
            return ParmReader.addressOf(sendInit.invokePointer(new Object[] {params, peer}));
        } finally {
            gate.leave();
        }
    }

    /** {@code iv_cm_memory_s send_get_cb(handle)}, returned by value. */
    public FirmwareBuffer sendGet(long streamHandle) {
        gate.enter("p2p_handle_send_get_cb");
        try {
            return toBuffer((CLayouts.IvCmMemory) sendGet.invoke(CLayouts.IvCmMemory.ByValue.class,
                    new Object[] {handle(streamHandle)}));
        } finally {
            gate.leave();
        }
    }

    /** {@code int send_stop_cb(handle)}; the vendor ignores the result, so do we. */
    public void sendStop(long streamHandle) {
        gate.enter("p2p_handle_send_stop_cb");
        try {
            sendStop.invokeInt(new Object[] {handle(streamHandle)});
        } finally {
            gate.leave();
        }
    }

    public boolean hasEventNotify() {
        return eventNotify != null;
    }

    /** {@code void event_notify_cb(event, handle)}; nothing happens without that callback. */
    public void eventNotify(IvEvent event, long streamHandle) {
        if (eventNotify == null) {
            return;
        }
        if (!event.carriesStreamHandle() && streamHandle != 0) {
            throw new IllegalArgumentException(event + " carries no stream handle");
        }
        gate.enter("p2p_handle_event_notify_cb");
        try {
            eventNotify.invokeVoid(new Object[] {event.code(), handle(streamHandle)});
        } finally {
            gate.leave();
        }
    }

    /** True when the firmware registered recv_init_cb and recv_voice_cb (talk accepted). */
    public boolean acceptsTalk() {
        return recvInit != null;
    }

    /** {@code void *recv_init_cb(params, peer)}: the receive handle, 0 = refused. */
    public long recvInit(String params, String peer) {
        if (recvInit == null) {
            return 0;
        }
        gate.enter("p2p_handle_recv_init_cb");
        try {
            return ParmReader.addressOf(recvInit.invokePointer(new Object[] {params, peer}));
        } finally {
            gate.leave();
        }
    }

    /** {@code void recv_voice_cb(handle, buf, len)} with a copy of {@code data[off, off+len)}. */
    public void recvVoice(long recvHandle, byte[] data, int off, int len) {
        if (len <= 0) {
            throw new IllegalArgumentException("an audio chunk has at least one byte; "
                    + "(NULL, 0) is the end marker, see recvVoiceEnd");
        }
        Memory chunk = new Memory(len);
        chunk.write(0, data, off, len);
        try {
            voice(recvHandle, chunk, len);
        } finally {
            chunk.close();
        }
    }

    /** {@code recv_voice_cb(handle, NULL, 0)}: the vendor's end-of-talk marker. */
    public void recvVoiceEnd(long recvHandle) {
        voice(recvHandle, null, 0);
    }

    private void voice(long recvHandle, Pointer buf, long len) {
        if (recvVoice == null) {
            return;
        }
        gate.enter("p2p_handle_recv_voice_cb");
        try {
            recvVoice.invokeVoid(new Object[] {handle(recvHandle), buf, new SizeT(len)});
        } finally {
            gate.leave();
        }
    }

    public boolean hasCommand() {
        return command != null;
    }

    /**
     * {@code iv_cm_memory_s command_cb(command, cmd_len, peer)}. The command bytes are followed
     * by a NUL that cmd_len does not count, for firmware that treats them as a C string. Without
     * a command callback the reply is empty (the app is told the channel is closed).
     */
    public FirmwareBuffer command(byte[] cmd, String peer) {
        if (command == null) {
            return new FirmwareBuffer(0, 0, 0, this);
        }
        Memory text = new Memory(cmd.length + 1L);
        text.write(0, cmd, 0, cmd.length);
        text.setByte(cmd.length, (byte) 0);
        gate.enter("p2p_handle_command_cb");
        try {
            return toBuffer((CLayouts.IvCmMemory) command.invoke(CLayouts.IvCmMemory.ByValue.class,
                    new Object[] {text, new SizeT(cmd.length), peer}));
        } finally {
            gate.leave();
            text.close();
        }
    }

    /** {@code buf_free_fn(buf, size)}; called by {@link FirmwareBuffer#release()}. */
    void free(long address, long size, long freeFn) {
        if (gate.isClosed()) {
            // exit frees every outstanding buffer before it closes the gate; one that arrives
            // later is an engine bug, and calling firmware after exit would be a worse one.
            log.error("buf_free_fn(0x{}, {}) after exit: buffer leaked", Long.toHexString(address),
                    Long.toUnsignedString(size));
            return;
        }
        gate.enter("buf_free_fn");
        try {
            freeFunctions.computeIfAbsent(freeFn, FirmwareCallbacks::function)
                    .invokeVoid(new Object[] {new Pointer(address), new SizeT(size)});
        } finally {
            gate.leave();
        }
    }

    private FirmwareBuffer toBuffer(CLayouts.IvCmMemory m) {
        return new FirmwareBuffer(ParmReader.addressOf(m.buf), m.size == null ? 0 : m.size.longValue(),
                ParmReader.addressOf(m.buf_free_fn), this);
    }
}

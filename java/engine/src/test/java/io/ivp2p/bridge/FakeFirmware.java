package io.ivp2p.bridge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import com.sun.jna.Callback;
import com.sun.jna.CallbackReference;
import com.sun.jna.Pointer;

import io.ivp2p.testkit.CallbackShapes;

/**
 * The seven firmware callbacks (and a buf_free_fn) implemented in Java as JNA {@link Callback}s,
 * so that tests get real native function pointers and FirmwareCallbacks goes through the full
 * JNA call path. Every call is recorded; replies are configured through static fields. The
 * callback objects are static so JNA's native trampolines stay alive for the whole run.
 */
final class FakeFirmware {
    /** One recorded call: callback name and its arguments (pointers as Long addresses). */
    record Call(String callback, List<Object> args) {
        Object arg(int i) {
            return args.get(i);
        }
    }

    /** What send_get_cb / command_cb return. */
    record Reply(long buf, long size, long freeFn) {
        static final Reply NONE = new Reply(0, 0, 0);

        CLayouts.IvCmMemory.ByValue toStruct() {
            CLayouts.IvCmMemory.ByValue m = new CLayouts.IvCmMemory.ByValue();
            m.buf = buf == 0 ? null : new Pointer(buf);
            m.size = new SizeT(size);
            m.buf_free_fn = freeFn == 0 ? null : new Pointer(freeFn);
            // JNA copies a by-value callback result from the struct's native memory and does not
            // write the Java fields there itself (JNA 5.19): without this the caller sees zeros.
            m.write();
            return m;
        }
    }

    private static final List<Call> CALLS = Collections.synchronizedList(new ArrayList<>());

    static volatile long sendInitResult;
    static volatile long recvInitResult;
    static volatile Reply sendGetReply = Reply.NONE;
    static volatile Reply commandReply = Reply.NONE;
    /** Runs inside send_init_cb, e.g. to call back into the API from a callback. */
    static volatile Runnable duringSendInit = () -> {};

    static final CallbackShapes.SendInit SEND_INIT = (params, peer) -> {
        note("send_init", params, peer, CallbackGate.insideCallback());
        duringSendInit.run();
        return ptr(sendInitResult);
    };
    static final CallbackShapes.SendGet SEND_GET = handle -> {
        note("send_get", addr(handle));
        return sendGetReply.toStruct();
    };
    static final CallbackShapes.SendStop SEND_STOP = handle -> {
        note("send_stop", addr(handle));
        return 0;
    };
    static final CallbackShapes.EventNotify EVENT_NOTIFY = (event, handle) -> note("event_notify", event, addr(handle));
    static final CallbackShapes.RecvInit RECV_INIT = (params, peer) -> {
        note("recv_init", params, peer);
        return ptr(recvInitResult);
    };
    static final CallbackShapes.RecvVoice RECV_VOICE = (handle, buf, len) -> note("recv_voice", addr(handle), addr(buf),
            len.longValue(), buf == null ? null : buf.getByteArray(0, (int) len.longValue()));
    static final CallbackShapes.Command COMMAND = (command, cmdLen, peer) -> {
        long n = cmdLen.longValue();
        // n + 1: the NUL that iv_av.h promises after the counted bytes.
        note("command", command == null ? null : command.getByteArray(0, (int) n + 1), n, peer);
        return commandReply.toStruct();
    };
    static final CallbackShapes.BufFree BUF_FREE = (buf, size) -> note("buf_free", addr(buf), size.longValue());

    static final long SEND_INIT_FN = fn(SEND_INIT);
    static final long SEND_GET_FN = fn(SEND_GET);
    static final long SEND_STOP_FN = fn(SEND_STOP);
    static final long EVENT_NOTIFY_FN = fn(EVENT_NOTIFY);
    static final long RECV_INIT_FN = fn(RECV_INIT);
    static final long RECV_VOICE_FN = fn(RECV_VOICE);
    static final long COMMAND_FN = fn(COMMAND);
    static final long BUF_FREE_FN = fn(BUF_FREE);

    private FakeFirmware() {}

    static P2pParams.Callbacks allCallbacks() {
        return new P2pParams.Callbacks(SEND_INIT_FN, SEND_GET_FN, SEND_STOP_FN, EVENT_NOTIFY_FN,
                RECV_INIT_FN, RECV_VOICE_FN, COMMAND_FN);
    }

    static void reset() {
        CALLS.clear();
        sendInitResult = 0;
        recvInitResult = 0;
        sendGetReply = Reply.NONE;
        commandReply = Reply.NONE;
        duringSendInit = () -> {};
    }

    static List<Call> calls() {
        synchronized (CALLS) {
            return List.copyOf(CALLS);
        }
    }

    static List<Call> calls(String callback) {
        return calls().stream().filter(c -> c.callback().equals(callback)).toList();
    }

    private static void note(String callback, Object... args) {
        CALLS.add(new Call(callback, Collections.unmodifiableList(Arrays.asList(args))));
    }

    private static long addr(Pointer p) {
        return p == null ? 0 : Pointer.nativeValue(p);
    }

    private static Pointer ptr(long address) {
        return address == 0 ? null : new Pointer(address);
    }

    private static long fn(Callback cb) {
        return Pointer.nativeValue(CallbackReference.getFunctionPointer(cb));
    }
}

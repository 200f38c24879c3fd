package io.ivp2p.device;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import com.sun.jna.Callback;
import com.sun.jna.CallbackReference;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import io.ivp2p.bridge.CLayouts;
import io.ivp2p.bridge.IvEvent;
import io.ivp2p.bridge.P2pParams;
import io.ivp2p.bridge.SizeT;
import io.ivp2p.testkit.CallbackShapes;

/**
 * A firmware written in Java behind real native function pointers (JNA callbacks), so the engine
 * calls it exactly as it calls C firmware. Streams serve a known byte pattern in buffers of native
 * memory freed through {@code buf_free_fn}; everything is counted for the tests to check.
 * Keep the instance reachable for the whole test: JNA's trampolines live as long as it does.
 */
final class TestFirmware {
    /** One stream the firmware accepted. */
    static final class Stream {
        final long handle;
        final String params;
        final String peer;
        final AtomicLong produced = new AtomicLong();
        final AtomicLong stops = new AtomicLong();
        final AtomicLong getsAfterStop = new AtomicLong();
        volatile long limit;

        Stream(long handle, String params, String peer, long limit) {
            this.handle = handle;
            this.params = params;
            this.peer = peer;
            this.limit = limit;
        }
    }

    /** One talk. */
    static final class Talk {
        final long handle;
        final String params;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final List<Integer> chunkSizes = new ArrayList<>();
        int ends;
        int chunksAfterEnd;

        Talk(long handle, String params) {
            this.handle = handle;
            this.params = params;
        }
    }

    // Behaviour, set by tests.
    volatile boolean refuseStreams;
    volatile boolean refuseTalk;
    volatile int chunk = 4096;
    /** Bytes each stream serves before it returns the end marker (Long.MAX_VALUE: never). */
    volatile long streamBytes = Long.MAX_VALUE;
    /** Bytes a stream may serve per poll round, or unlimited; throttles a "live" stream. */
    volatile boolean serving = true;
    volatile Function<byte[], byte[]> commandReply = c -> ("re:" + new String(c, StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.UTF_8);
    volatile long commandDelayMs;
    /** Runs inside send_stop_cb with the handle (e.g. to read the final statistics there). */
    volatile java.util.function.LongConsumer duringStop = h -> { };
    /** Runs inside command_cb with the peer before it replies (e.g. to block it). */
    volatile java.util.function.Consumer<String> duringCommand = peer -> { };

    // What happened.
    final Map<Long, Stream> streams = new ConcurrentHashMap<>();
    final Map<Long, Talk> talks = new ConcurrentHashMap<>();
    final List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<String> commandPeers = java.util.Collections.synchronizedList(new ArrayList<>());
    final Map<Long, Memory> outstanding = new ConcurrentHashMap<>();
    final AtomicLong frees = new AtomicLong();
    final AtomicLong badFrees = new AtomicLong();
    private final AtomicLong nextHandle = new AtomicLong(0x10000);

    private final CallbackShapes.SendInit sendInit = (params, peer) -> {
        if (refuseStreams) {
            return null;
        }
        long h = nextHandle.addAndGet(0x10);
        streams.put(h, new Stream(h, params, peer, streamBytes));
        return new Pointer(h);
    };
    private final CallbackShapes.SendGet sendGet = handle -> {
        Stream s = streams.get(Pointer.nativeValue(handle));
        CLayouts.IvCmMemory.ByValue m = new CLayouts.IvCmMemory.ByValue();
        m.size = new SizeT(0);
        if (s == null || s.stops.get() > 0) {
            if (s != null) {
                s.getsAfterStop.incrementAndGet();
            }
        } else if (s.produced.get() >= s.limit) {
            m.size = new SizeT(-1); // {NULL, (size_t)-1}: the end
        } else if (serving) {
            long off = s.produced.get();
            int n = (int) Math.min(chunk, s.limit - off);
            Memory mem = new Memory(n);
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = pattern(s.handle, off + i);
            }
            mem.write(0, b, 0, n);
            s.produced.addAndGet(n);
            outstanding.put(Pointer.nativeValue(mem), mem);
            m.buf = mem;
            m.size = new SizeT(n);
            m.buf_free_fn = CallbackReference.getFunctionPointer(bufFree());
        }
        m.write();
        return m;
    };
    private final CallbackShapes.SendStop sendStop = handle -> {
        Stream s = streams.get(Pointer.nativeValue(handle));
        if (s != null) {
            duringStop.accept(s.handle);
            s.stops.incrementAndGet();
        }
        return 0;
    };
    private final CallbackShapes.EventNotify eventNotify = (event, handle) -> events.add(IvEvent.values()[event]
            + (handle == null ? "" : "@" + Long.toHexString(Pointer.nativeValue(handle))));
    private final CallbackShapes.RecvInit recvInit = (params, peer) -> {
        if (refuseTalk) {
            return null;
        }
        long h = nextHandle.addAndGet(0x10);
        talks.put(h, new Talk(h, params));
        return new Pointer(h);
    };
    private final CallbackShapes.RecvVoice recvVoice = (handle, buf, len) -> {
        Talk t = talks.get(Pointer.nativeValue(handle));
        synchronized (t) {
            if (buf == null) {
                t.ends++;
            } else if (t.ends > 0) {
                t.chunksAfterEnd++;
            } else {
                int n = (int) len.longValue();
                t.received.writeBytes(buf.getByteArray(0, n));
                t.chunkSizes.add(n);
            }
        }
    };
    private final CallbackShapes.Command command = (cmd, len, peer) -> {
        commandPeers.add(peer);
        duringCommand.accept(peer);
        if (commandDelayMs > 0) {
            try {
                Thread.sleep(commandDelayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] r = commandReply.apply(cmd.getByteArray(0, (int) len.longValue()));
        CLayouts.IvCmMemory.ByValue m = new CLayouts.IvCmMemory.ByValue();
        m.size = new SizeT(0);
        if (r != null && r.length > 0) {
            Memory mem = new Memory(r.length);
            mem.write(0, r, 0, r.length);
            outstanding.put(Pointer.nativeValue(mem), mem);
            m.buf = mem;
            m.size = new SizeT(r.length);
            m.buf_free_fn = CallbackReference.getFunctionPointer(bufFree());
        }
        m.write();
        return m;
    };
    private final CallbackShapes.BufFree free = (buf, size) -> {
        Memory m = outstanding.remove(Pointer.nativeValue(buf));
        if (m == null || m.size() != size.longValue()) {
            badFrees.incrementAndGet();
        } else {
            frees.incrementAndGet();
            m.close();
        }
    };

    private CallbackShapes.BufFree bufFree() {
        return free;
    }

    static byte pattern(long handle, long offset) {
        return (byte) (offset * 31 + handle + (offset >>> 9));
    }

    P2pParams.Callbacks callbacks() {
        return new P2pParams.Callbacks(fn(sendInit), fn(sendGet), fn(sendStop), fn(eventNotify),
                fn(recvInit), fn(recvVoice), fn(command));
    }

    Stream onlyStream() {
        if (streams.size() != 1) {
            throw new IllegalStateException(streams.size() + " streams");
        }
        return streams.values().iterator().next();
    }

    /** How many commands command_cb has had from this peer; safe while the engine adds more. */
    long commandsFrom(String peer) {
        // A synchronized list's stream() is not synchronized: iterate under its lock.
        synchronized (commandPeers) {
            return commandPeers.stream().filter(peer::equals).count();
        }
    }

    List<String> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    private static long fn(Callback cb) {
        return Pointer.nativeValue(CallbackReference.getFunctionPointer(cb));
    }
}

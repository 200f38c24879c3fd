package io.ivp2p.bench.kcp;

import static io.ivp2p.bench.BenchSupport.CAP_BYTES_PER_SECOND;
import static io.ivp2p.bench.BenchSupport.GRACE_NANOS;
import static io.ivp2p.bench.BenchSupport.LOSSES;
import static io.ivp2p.bench.BenchSupport.MESSAGE;
import static io.ivp2p.bench.BenchSupport.MESSAGES_PER_SECOND;
import static io.ivp2p.bench.BenchSupport.ONE_WAY_MICROS;
import static io.ivp2p.bench.BenchSupport.QUEUE_BYTES;
import static io.ivp2p.bench.BenchSupport.RTT_MS;
import static io.ivp2p.bench.BenchSupport.WARMUP_NANOS;

import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;


import io.ivp2p.bench.BenchSupport;
import io.ivp2p.testnet.ImpairmentProxy;
import io.jpower.kcp.netty.Kcp;
import io.jpower.kcp.netty.KcpMetric;
import io.jpower.kcp.netty.Ukcp;
import io.jpower.kcp.netty.UkcpChannel;
import io.jpower.kcp.netty.UkcpChannelOption;
import io.jpower.kcp.netty.UkcpClientChannel;
import io.jpower.kcp.netty.UkcpServerChannel;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.UkcpServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * KCP side by side with the session transport in part B of {@code TransportBench}: the same path
 * ({@link ImpairmentProxy}: 20 Mbit/s each way, 100 KB drop-tail queue, 20 ms each way, random
 * loss each way), the same traffic (device → app bulk, and 1024-byte messages 100 times a second
 * whose delivery latency is measured) and the same measurement (goodput read by the app over a
 * window after a warm-up; p50/p95/p99 latency of the messages sent in the window, a message not
 * read one grace period after the window counting as lost; process CPU over the window). A
 * benchmark, not a test: Maven compiles it and never runs it.
 *
 * <p>KCP is <a href="https://github.com/szhnet/kcp-netty">kcp-netty</a> 1.5.2 (a Java port of
 * skywind3000/kcp on Netty), laid out as Tuya's is: one KCP conversation per channel.
 * The device runs a KCP server ({@link UkcpServerBootstrap}); the app opens two KCP client
 * conversations, bulk and messages, each from its own UDP port, both through one proxy in front
 * of the server. The proxy gives each client port its own socket towards the server but one rate
 * cap and one queue per direction, so the two conversations share one path, as our session's
 * channels do. A KCP server creates a conversation's channel when the client's first packet
 * arrives, so the app opens each conversation with a hello ("bulk" or "msgs") and the device
 * tells the two apart by it. Both conversations are byte streams (KCP's stream mode, as our
 * channels are); the app cuts the messages back out. No encryption: KCP has none (the sessions
 * measured beside it pay for DTLS).
 *
 * <p>Memory stays bounded: the device writes bulk only while its KCP channel is writable (Netty's
 * outbound buffer under its high-water mark; kcp-netty moves data from that buffer into KCP only
 * while KCP holds fewer than twice the send window of segments), and the message writer waits for
 * writability as a blocking write would.
 *
 * <p>Usage: {@code KcpBench [windowSeconds]} (default 15): every configuration of
 * {@link #configs()} at 0, 1, 3 and 10 % loss, then a table.
 */
public final class KcpBench {
    /** Same as UdpSocket's, so the kernel buffers match the sessions'. */
    private static final int SOCKET_BUFFER = 2 * 1024 * 1024;
    /** KCP's segment header (IKCP_OVERHEAD). */
    private static final int KCP_HEADER = 24;
    /** Bulk is written in chunks of this many full segments. */
    private static final int CHUNK_SEGMENTS = 16;
    /** The device's per-conversation Netty outbound buffer: writes stop above the high mark. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);
    /** Both conversations up (hello through the proxy, retransmitted by KCP if lost). */
    private static final long SETUP_TIMEOUT_MILLIS = 15_000;
    private static final long CLOSE_TIMEOUT_MILLIS = 5_000;
    private static final int BULK_CONV = 1;
    private static final int MESSAGES_CONV = 2;
    private static final String HELLO_BULK = "bulk";
    private static final String HELLO_MESSAGES = "msgs";

    private static final int CPUS = Runtime.getRuntime().availableProcessors();

    private KcpBench() {
    }

    /**
     * One KCP configuration, applied to both ends of both conversations. The first four are the
     * arguments of KCP's {@code ikcp_nodelay(kcp, nodelay, interval, resend, nc)}, whose README
     * documents them as: "nodelay: Whether nodelay mode is enabled, 0 is not enabled; 1 enabled",
     * "interval: Protocol internal work interval, in milliseconds, such as 10 ms or 20 ms",
     * "resend: Fast retransmission mode, 0 represents off by default, 2 can be set (2 ACK spans will
     * result in direct retransmission)", "nc: Whether to turn off flow control, 0 represents 'Do not
     * turn off' by default, 1 represents 'Turn off'" (flow control here meaning KCP's congestion
     * window: slow start and backing off on loss). Then {@code ikcp_wndsize(kcp, sndwnd, rcvwnd)}:
     * "the maximum send window and maximum receive window size ... This can be understood as SND_BUF
     * and RCV_BUF of TCP, but ... the unit is the packet" (segments). And {@code ikcp_setmtu}: the
     * largest datagram KCP outputs, its 24-byte header included.
     */
    public record Config(String name, boolean nodelay, int intervalMs, int fastResend, boolean noCongestionWindow,
            int sendWindow, int receiveWindow, int mtu) {
        public Config {
            // KCP clamps the interval to 10..5000 ms; refuse rather than report a setting not used.
            if (intervalMs < 10 || intervalMs > 5000) {
                throw new IllegalArgumentException("interval " + intervalMs + " ms: KCP uses 10..5000");
            }
            if (fastResend < 0 || sendWindow < 1 || receiveWindow < 1) {
                throw new IllegalArgumentException("fast resend >= 0 and windows >= 1");
            }
            // A 1 KB message fits one segment (KCP's own floor is 50).
            if (mtu < MESSAGE + KCP_HEADER || mtu > 65_507) {
                throw new IllegalArgumentException("mtu " + mtu);
            }
        }

        /** The settings in KCP's terms, for tables. */
        public String settings() {
            return String.format(Locale.ROOT, "nodelay(%d, %d, %d, %d) wndsize(%d, %d) mtu %d", nodelay ? 1 : 0,
                    intervalMs, fastResend, noCongestionWindow ? 1 : 0, sendWindow, receiveWindow, mtu);
        }
    }

    /**
     * The configurations compared. Windows: the path's bandwidth-delay product is 20 Mbit/s x 40 ms
     * = 100 KB, 85 datagrams of 1200 bytes, and the proxy queues another 100 KB. KCP keeps at most
     * min(send window, the receiver's free receive window) segments in flight and counts from the
     * oldest unacknowledged one, so a window of exactly the BDP idles while a lost segment is being
     * repaired; 128 (KCP's default receive window, and the floor {@code ikcp_wndsize} puts on it)
     * leaves 43 segments for that. Spread over a round trip, 128 x 1200 = 154 KB stays under BDP
     * + queue (200 KB); KCP does not pace, though, and a whole window sent back to back (at the
     * start, or when many segments time out together) exceeds the 100 KB queue. KCP's default send
     * window (32 segments, at most 32 x 1176 B per 40 ms: 7.5 Mbit/s) would cap the bulk far below
     * the link instead. kcp-netty sets the receive window as given (no floor) and both ends of a
     * conversation use the same settings.
     */
    public static List<Config> configs() {
        return List.of(
                // The README's "Turbo Mode: ikcp_nodelay(kcp, 1, 10, 2, 1)", its setting for speed
                // (the other it names is "Normal Mode: ikcp_nodelay(kcp, 0, 40, 0, 0)").
                new Config("turbo", true, 10, 2, true, 128, 128, 1200),
                // The same with KCP's congestion window on (nc = 0), as in the README's normal mode:
                // slow start, ssthresh = half the segments in flight (plus the fast-resend count) on
                // a fast retransmission, a window of 1 segment after a timeout; the rest of turbo
                // mode unchanged.
                new Config("turbo+cwnd", true, 10, 2, false, 128, 128, 1200));
    }

    /** One measurement; the same figures as TransportBench's part B. */
    public record Result(Config config, double loss, double bulkBytesPerSecond, double probeBytesPerSecond,
            long[] latencyNanosSorted /* Long.MAX_VALUE = not delivered */, int undelivered,
            double cpuShare /* process CPU / (window x CPUs) */, String note) {
        /** The p-th percentile (nearest rank) in ms; infinite if that message was lost, NaN if none. */
        public double percentileMs(double p) {
            return BenchSupport.percentileMs(latencyNanosSorted, p);
        }
    }

    public static void main(String[] args) throws Exception {
        BenchSupport.quietLogging();
        long windowNanos = (args.length > 0 ? Long.parseLong(args[0]) : 15) * 1_000_000_000L;
        long started = System.nanoTime();
        ImpairmentProxy.Impairment[] links = new ImpairmentProxy.Impairment[LOSSES.length];
        for (int i = 0; i < LOSSES.length; i++) {
            links[i] = new ImpairmentProxy.Impairment(LOSSES[i], ONE_WAY_MICROS, CAP_BYTES_PER_SECOND, QUEUE_BYTES);
        }
        // Warm-up (JIT), not reported.
        measure(configs().get(0), links[0], 0, 1_000_000_000L, 1_000_000_000L, 0, 1);
        List<Result> results = new ArrayList<>();
        for (Config c : configs()) {
            for (int i = 0; i < LOSSES.length; i++) {
                results.add(measure(c, links[i], LOSSES[i], WARMUP_NANOS, windowNanos, GRACE_NANOS, 2000 + i));
            }
        }
        print(results, windowNanos);
        System.out.printf(Locale.ROOT, "(whole run %.0f s)%n", (System.nanoTime() - started) / 1e9);
    }

    /**
     * One run: a fresh device, app and proxy ({@code link} each way; {@code loss} is its random
     * loss, for the result and for telling queue drops from random ones), the warm-up, the window
     * and the grace period, then everything closed, also on failure. Takes warm-up + window + grace
     * plus well under a second of setup and teardown; fails after {@value #SETUP_TIMEOUT_MILLIS} ms
     * if the conversations do not come up.
     */
    public static Result measure(Config config, ImpairmentProxy.Impairment link, double loss, long warmupNanos,
            long windowNanos, long graceNanos, long seed) throws Exception {
        int capacity = (int) ((warmupNanos + windowNanos + graceNanos) / 1_000_000_000L + 2) * MESSAGES_PER_SECOND;
        EventLoopGroup deviceLoop = new NioEventLoopGroup(1, new DefaultThreadFactory("kcp-device", true));
        EventLoopGroup appLoop = new NioEventLoopGroup(1, new DefaultThreadFactory("kcp-app", true));
        Device device = null;
        App app = null;
        ImpairmentProxy proxy = null;
        MessageWriter writer = null;
        try {
            device = new Device(config, deviceLoop);
            proxy = new ImpairmentProxy(device.address(), link, link, seed);
            app = new App(config, appLoop, proxy.address(), capacity);
            CompletableFuture.allOf(device.bulk, device.messages).get(SETUP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            Channel bulk = device.bulk.get();
            Channel messages = device.messages.get();

            long t0 = System.nanoTime();
            device.startBulk(bulk);
            writer = new MessageWriter(messages, capacity);
            long warm = t0 + warmupNanos;
            BenchSupport.sleepUntil(warm);
            long b0 = app.bulkRead.get();
            long c0 = BenchSupport.cpu();
            long dropped0 = proxy.dropped.get();
            long forwarded0 = proxy.forwarded.get();
            long[] k0 = metrics(bulk);
            long tw0 = System.nanoTime();
            long end = warm + windowNanos;
            BenchSupport.sleepUntil(end);
            long b1 = app.bulkRead.get();
            long c1 = BenchSupport.cpu();
            long dropped1 = proxy.dropped.get();
            long forwarded1 = proxy.forwarded.get();
            long tw1 = System.nanoTime();
            long[] k1 = metrics(bulk);
            BenchSupport.sleepUntil(end + graceNanos); // messages of the window still in flight may arrive
            writer.stop();

            long[] latencies = BenchSupport.windowLatencies(writer.sentAt, app.receivedAt, writer.count(), tw0, tw1);
            int undelivered = BenchSupport.undelivered(latencies);
            double seconds = (tw1 - tw0) / 1e9;
            long dropped = dropped1 - dropped0;
            long offered = dropped + forwarded1 - forwarded0;
            long queueDrops = BenchSupport.queueDrops(dropped, forwarded1 - forwarded0, loss);
            String note = note(config, k0, k1, queueDrops, offered, device.failure.get(), app.failure.get());
            return new Result(config, loss, (b1 - b0) / seconds, latencies.length * (double) MESSAGE / seconds,
                    latencies, undelivered, (c1 - c0) / 1e9 / seconds / CPUS, note);
        } finally {
            if (writer != null) {
                writer.stop();
            }
            if (device != null) {
                device.close();
            }
            if (app != null) {
                app.close();
            }
            if (proxy != null) {
                proxy.close();
            }
            deviceLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(CLOSE_TIMEOUT_MILLIS);
            appLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(CLOSE_TIMEOUT_MILLIS);
        }
    }

    private static String note(Config config, long[] k0, long[] k1, long queueDrops, long offered,
            Throwable deviceFailure, Throwable appFailure) {
        StringBuilder s = new StringBuilder();
        if (k0 != null && k1 != null) {
            long segments = k1[0] - k0[0];
            s.append(String.format(Locale.ROOT, "bulk: %,d new segments, %.1f timeout resends per 100, srtt %d ms",
                    segments, segments == 0 ? 0.0 : 100.0 * (k1[1] - k0[1]) / segments, k1[2]));
            if (!config.noCongestionWindow()) {
                s.append(String.format(Locale.ROOT, ", cwnd %d at the end", k1[3]));
            }
        } else {
            s.append("bulk: KCP state not readable");
        }
        s.append(String.format(Locale.ROOT, "; queue drops %.2f %% of datagrams", offered == 0 ? 0.0
                : 100.0 * queueDrops / offered));
        if (deviceFailure != null) {
            s.append("; device error: ").append(deviceFailure);
        }
        if (appFailure != null) {
            s.append("; app error: ").append(appFailure);
        }
        return s.toString();
    }

    // ------------------------------------------------------------------ device

    /** The KCP server; each conversation's channel says what it carries by its first read, the hello. */
    private static final class Device {
        final CompletableFuture<Channel> bulk = new CompletableFuture<>();
        final CompletableFuture<Channel> messages = new CompletableFuture<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final List<Channel> children = new CopyOnWriteArrayList<>();
        private final Channel server;
        private final int chunkBytes;

        Device(Config config, EventLoopGroup loop) throws InterruptedException {
            chunkBytes = CHUNK_SEGMENTS * (config.mtu() - KCP_HEADER);
            UkcpServerBootstrap b = new UkcpServerBootstrap()
                    .group(loop)
                    .channel(UkcpServerChannel.class)
                    .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                    .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                    .childHandler(new ChannelInitializer<UkcpChannel>() {
                        @Override
                        protected void initChannel(UkcpChannel ch) {
                            children.add(ch);
                            ch.pipeline().addLast(new Conversation());
                        }
                    });
            kcpOptions(config, b::childOption);
            // The client picks the conversation id; the server's channel takes it from the first packet.
            b.childOption(UkcpChannelOption.UKCP_AUTO_SET_CONV, true);
            b.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK);
            server = b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        }

        InetSocketAddress address() {
            return (InetSocketAddress) server.localAddress();
        }

        void startBulk(Channel ch) {
            ch.pipeline().get(Conversation.class).startPump(chunkBytes);
        }

        /**
         * Closes the server and every conversation. kcp-netty's server close closes its
         * conversations while iterating its own map of them, which fails on the second one
         * (ConcurrentModificationException, the close promise fails); closing what is left
         * afterwards, with the server's socket already closed, frees each conversation's KCP
         * buffers at once (closing them first would park them in a 5 s close-wait instead).
         */
        void close() {
            try {
                server.eventLoop().submit(() -> {
                    server.close();
                    for (Channel c : children) {
                        if (c.isOpen()) {
                            c.close();
                        }
                        Conversation conversation = c.pipeline().get(Conversation.class);
                        if (conversation != null) {
                            conversation.stopPump();
                        }
                    }
                }).awaitUninterruptibly(CLOSE_TIMEOUT_MILLIS);
            } catch (RuntimeException e) {
                // the loop is shutting down already: it closes its channels itself
            }
        }

        /** One KCP conversation, device side. */
        private final class Conversation extends SimpleChannelInboundHandler<ByteBuf> {
            private ChannelHandlerContext ctx;
            private boolean told;
            private ByteBuf chunk;
            private boolean pumping;
            private boolean pumpQueued;

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                if (told) {
                    return; // nothing else is sent to the device; released by the superclass
                }
                told = true;
                String hello = msg.toString(StandardCharsets.US_ASCII);
                if (hello.equals(HELLO_BULK)) {
                    bulk.complete(ctx.channel());
                } else if (hello.equals(HELLO_MESSAGES)) {
                    messages.complete(ctx.channel());
                } else {
                    failure.compareAndSet(null, new IllegalStateException("unknown hello " + hello));
                }
            }

            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                this.ctx = ctx;
            }

            /** Writes one chunk again and again (duplicates of it) from now on; it is released at stop. */
            void startPump(int chunkBytes) {
                ctx.executor().execute(() -> {
                    chunk = ctx.alloc().directBuffer(chunkBytes).writeZero(chunkBytes);
                    pumping = true;
                    pump(ctx);
                });
            }

            /** On the event loop. */
            void stopPump() {
                pumping = false;
                if (chunk != null) {
                    chunk.release();
                    chunk = null;
                }
            }

            /**
             * Writes until the channel is unwritable, then flushes into KCP. Never re-entered from
             * a flush: more is written from a task queued on writability.
             */
            private void pump(ChannelHandlerContext ctx) {
                pumpQueued = false;
                Channel ch = ctx.channel();
                boolean wrote = false;
                while (pumping && ch.isActive() && ch.isWritable()) {
                    ch.write(chunk.retainedDuplicate(), ch.voidPromise());
                    wrote = true;
                }
                if (wrote) {
                    ch.flush();
                }
            }

            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                if (pumping && !pumpQueued && ctx.channel().isWritable()) {
                    pumpQueued = true;
                    ctx.executor().execute(() -> pump(ctx));
                }
                ctx.fireChannelWritabilityChanged();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                failure.compareAndSet(null, cause);
            }
        }
    }

    /**
     * 1 KB messages on the message conversation, {@value #MESSAGES_PER_SECOND} a second, from their
     * own thread as the camera's writer in TransportBench: bytes 0..7 the sequence number, 8..15
     * System.nanoTime() just before the write. A late tick is not made up with a burst.
     */
    private static final class MessageWriter {
        final AtomicLongArray sentAt;
        private final AtomicLong sent = new AtomicLong();
        private volatile boolean stopped;
        private final Thread thread;

        MessageWriter(Channel ch, int capacity) {
            sentAt = new AtomicLongArray(capacity);
            long period = 1_000_000_000L / MESSAGES_PER_SECOND;
            thread = new Thread(() -> {
                long next = System.nanoTime();
                for (int seq = 0; seq < capacity && !stopped && ch.isActive(); seq++) {
                    LockSupport.parkNanos(next - System.nanoTime());
                    long now = System.nanoTime();
                    sentAt.set(seq, now);
                    sent.set(seq + 1);
                    ByteBuf m = ch.alloc().buffer(MESSAGE).writeLong(seq).writeLong(now).writeZero(MESSAGE - 16);
                    // A blocking write: wait while KCP and the outbound buffer are full.
                    while (!ch.isWritable() && !stopped && ch.isActive()) {
                        LockSupport.parkNanos(1_000_000L);
                    }
                    if (stopped || !ch.isActive()) {
                        m.release();
                        break;
                    }
                    ch.writeAndFlush(m, ch.voidPromise()); // released by Netty once KCP has it, or on failure
                    next = Math.max(next + period, System.nanoTime());
                }
            }, "kcp-message-writer");
            thread.setDaemon(true);
            thread.start();
        }

        int count() {
            return (int) sent.get();
        }

        void stop() throws InterruptedException {
            stopped = true;
            thread.join(2000);
        }
    }

    // ------------------------------------------------------------------ app

    /** Two KCP client conversations to the proxy: bulk bytes counted, messages timed. */
    private static final class App {
        final AtomicLong bulkRead = new AtomicLong();
        final AtomicLongArray receivedAt;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final List<Channel> channels = new ArrayList<>();

        App(Config config, EventLoopGroup loop, InetSocketAddress proxy, int capacity) throws InterruptedException {
            receivedAt = new AtomicLongArray(capacity);
            try {
                channels.add(open(config, loop, proxy, BULK_CONV, HELLO_BULK, new BulkReader()));
                channels.add(open(config, loop, proxy, MESSAGES_CONV, HELLO_MESSAGES, new MessageReader()));
            } catch (Throwable t) {
                close();
                throw t;
            }
        }

        private Channel open(Config config, EventLoopGroup loop, InetSocketAddress proxy, int conv, String hello,
                SimpleChannelInboundHandler<ByteBuf> reader) throws InterruptedException {
            Bootstrap b = new Bootstrap()
                    .group(loop)
                    .channel(UkcpClientChannel.class)
                    .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                    .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                    .handler(new ChannelInitializer<UkcpChannel>() {
                        @Override
                        protected void initChannel(UkcpChannel ch) {
                            ch.conv(conv);
                            ch.pipeline().addLast(reader);
                        }
                    });
            kcpOptions(config, b::option);
            // UDP: "connecting" only fixes the peer, it cannot wait on the network.
            Channel ch = b.connect(proxy).sync().channel();
            ch.writeAndFlush(Unpooled.copiedBuffer(hello, StandardCharsets.US_ASCII), ch.voidPromise());
            return ch;
        }

        void close() {
            for (Channel c : channels) {
                c.close().awaitUninterruptibly(CLOSE_TIMEOUT_MILLIS);
            }
        }

        private final class BulkReader extends SimpleChannelInboundHandler<ByteBuf> {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                bulkRead.addAndGet(msg.readableBytes());
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                failure.compareAndSet(null, cause);
            }
        }

        /** Reads the stream back into 1 KB messages; a message is received when its last byte is read. */
        private final class MessageReader extends SimpleChannelInboundHandler<ByteBuf> {
            private final byte[] m = new byte[MESSAGE];
            private int have;

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                while (msg.isReadable()) {
                    int n = Math.min(msg.readableBytes(), MESSAGE - have);
                    msg.readBytes(m, have, n);
                    have += n;
                    if (have == MESSAGE) {
                        long now = System.nanoTime();
                        long seq = ByteBuffer.wrap(m).getLong(0);
                        if (seq >= 0 && seq < receivedAt.length()) {
                            receivedAt.set((int) seq, now);
                        }
                        have = 0;
                    }
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                failure.compareAndSet(null, cause);
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The KCP settings of {@code config} through kcp-netty's channel options. */
    private static void kcpOptions(Config config, OptionSetter set) {
        set.option(UkcpChannelOption.UKCP_NODELAY, config.nodelay());
        set.option(UkcpChannelOption.UKCP_INTERVAL, config.intervalMs());
        set.option(UkcpChannelOption.UKCP_FAST_RESEND, config.fastResend());
        set.option(UkcpChannelOption.UKCP_NOCWND, config.noCongestionWindow());
        set.option(UkcpChannelOption.UKCP_SND_WND, config.sendWindow());
        set.option(UkcpChannelOption.UKCP_RCV_WND, config.receiveWindow());
        set.option(UkcpChannelOption.UKCP_MTU, config.mtu());
        // Byte streams, as our channels: segments are filled up to the MSS rather than one per write.
        set.option(UkcpChannelOption.UKCP_STREAM, true);
    }

    /** Bootstrap.option and UkcpServerBootstrap.childOption. */
    @FunctionalInterface
    private interface OptionSetter {
        <T> Object option(ChannelOption<T> option, T value);
    }

    /**
     * The bulk conversation's KCP counters {new segments sent (snd_nxt), timeout retransmissions,
     * srtt ms, cwnd}, read on its event loop. kcp-netty keeps its Kcp private (channel → Ukcp →
     * Kcp), so by reflection; null if that layout changed.
     */
    private static long[] metrics(Channel ch) {
        try {
            Field ukcpField = ch.getClass().getDeclaredField("ukcp");
            ukcpField.setAccessible(true);
            Ukcp ukcp = (Ukcp) ukcpField.get(ch);
            Field kcpField = Ukcp.class.getDeclaredField("kcp");
            kcpField.setAccessible(true);
            KcpMetric m = ((Kcp) kcpField.get(ukcp)).getMetric();
            return ch.eventLoop().submit(() -> new long[] {m.sndNxt(), m.xmit(), m.srtt(), m.cwnd()})
                    .get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            return null;
        }
    }

    private static void print(List<Result> rows, long windowNanos) {
        int payload = configs().get(0).mtu() - KCP_HEADER;
        double ceiling = payload / (double) configs().get(0).mtu();
        System.out.printf(Locale.ROOT, "KCP (kcp-netty 1.5.2) through ImpairmentProxy: %.0f Mbit/s cap each way (%d KB "
                + "drop-tail queue), %.0f ms each way (RTT %.0f ms), random loss each way;%n",
                CAP_BYTES_PER_SECOND * 8 / 1e6, QUEUE_BYTES / 1000, ONE_WAY_MICROS / 1000.0, RTT_MS);
        System.out.printf(Locale.ROOT, "   device -> app: bulk on one KCP conversation, %d messages/s of %d B on "
                + "another; %d s warm-up, then a %d s window%n", MESSAGES_PER_SECOND, MESSAGE,
                WARMUP_NANOS / 1_000_000_000L, windowNanos / 1_000_000_000L);
        System.out.printf(Locale.ROOT, "   ceiling: %d of %d datagram bytes are payload (%.1f %% of the cap), "
                + "no encryption%n", payload, configs().get(0).mtu(), 100 * ceiling);
        for (Config c : configs()) {
            System.out.printf(Locale.ROOT, "   %-11s %s%n", c.name(), c.settings());
        }
        System.out.printf(Locale.ROOT, "%-11s %4s %7s %7s %7s | %13s %13s %13s %4s | %4s%n", "config", "loss", "bulk",
                "bulk", "bulk+m", "p50 latency", "p95 latency", "p99 latency", "lost", "CPU");
        System.out.printf(Locale.ROOT, "%-11s %4s %7s %7s %7s | %13s %13s %13s %4s | %4s%n", "", "", "Mbit/s",
                "% cap", "% cap", "ms (x RTT)", "ms (x RTT)", "ms (x RTT)", "msgs", "");
        for (Result r : rows) {
            double cap = CAP_BYTES_PER_SECOND;
            System.out.printf(Locale.ROOT, "%-11s %3.0f%% %7.2f %6.1f%% %6.1f%% | %13s %13s %13s %4d | %3.0f%%%n",
                    r.config().name(), r.loss() * 100, r.bulkBytesPerSecond() * 8 / 1e6,
                    100 * r.bulkBytesPerSecond() / cap, 100 * (r.bulkBytesPerSecond() + r.probeBytesPerSecond()) / cap,
                    latency(r.percentileMs(50)), latency(r.percentileMs(95)), latency(r.percentileMs(99)),
                    r.undelivered(), 100 * r.cpuShare());
        }
        System.out.println("   lost msgs: messages of the window not read 1 s after it; CPU: process CPU / (window x "
                + "CPUs); timeout resends: KCP's count (fast retransmissions are not counted)");
        for (Result r : rows) {
            System.out.printf(Locale.ROOT, "  %-11s %3.0f%%: %s%n", r.config().name(), r.loss() * 100, r.note());
        }
    }


    /** A latency cell of this table (see {@link BenchSupport#latency}). */
    private static String latency(double ms) {
        return BenchSupport.latency(ms, RTT_MS);
    }
}

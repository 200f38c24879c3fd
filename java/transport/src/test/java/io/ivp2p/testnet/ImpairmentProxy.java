package io.ivp2p.testnet;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A user-space UDP proxy on loopback that impairs traffic (this kernel has no netem): clients
 * send to {@link #address()}, the proxy forwards to the target from one back socket per client,
 * and forwards replies back. Each direction can drop (seeded), delay, and cap the rate with a
 * drop-tail queue. {@link #rebind()} moves every client's back socket to a new port, which the
 * target sees as a NAT rebinding. Daemon threads; {@link #close()} stops everything.
 */
public final class ImpairmentProxy implements AutoCloseable {
    /** One direction's impairment. */
    public record Impairment(double loss, long delayMicros, long bytesPerSecond, long queueBytes) {
        public static final Impairment NONE = new Impairment(0, 0, 0, 0);
    }

    private final InetSocketAddress target;
    private final DatagramChannel front;
    private final ScheduledThreadPoolExecutor timers;
    private final Map<InetSocketAddress, Back> backs = new ConcurrentHashMap<>();
    private final SplittableRandom random;
    private final Direction up;
    private final Direction down;
    private final Thread frontThread;
    private volatile boolean closed;
    public final AtomicLong dropped = new AtomicLong();
    public final AtomicLong forwarded = new AtomicLong();

    public ImpairmentProxy(InetSocketAddress target, Impairment toTarget, Impairment toClient, long seed)
            throws IOException {
        this.target = target;
        this.random = new SplittableRandom(seed);
        this.front = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "impairment-timer");
            t.setDaemon(true);
            return t;
        });
        // One generator per direction: each direction's offer() is synchronized on itself only.
        this.up = new Direction(toTarget, random.split());
        this.down = new Direction(toClient, random.split());
        this.frontThread = daemon("impairment-front", this::frontLoop);
    }

    public InetSocketAddress address() throws IOException {
        return (InetSocketAddress) front.getLocalAddress();
    }

    /** Every client's traffic leaves from a new port from now on (a NAT rebinding). */
    public void rebind() throws IOException {
        for (Map.Entry<InetSocketAddress, Back> e : backs.entrySet()) {
            Back old = e.getValue();
            e.setValue(new Back(e.getKey()));
            old.close();
        }
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void frontLoop() {
        ByteBuffer buf = ByteBuffer.allocate(65_536);
        while (!closed) {
            try {
                buf.clear();
                InetSocketAddress client = (InetSocketAddress) front.receive(buf);
                buf.flip();
                Back back = backs.computeIfAbsent(client, c -> {
                    try {
                        return new Back(c);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                up.offer(copy(buf), back.channel, target);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    dropped.incrementAndGet();
                }
            }
        }
    }

    private static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining());
        c.put(b).flip();
        return c;
    }

    /** One client's socket towards the target. */
    private final class Back {
        final DatagramChannel channel;

        Back(InetSocketAddress client) throws IOException {
            channel = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            daemon("impairment-back", () -> {
                ByteBuffer buf = ByteBuffer.allocate(65_536);
                while (!closed && channel.isOpen()) {
                    try {
                        buf.clear();
                        SocketAddress from = channel.receive(buf);
                        buf.flip();
                        if (target.equals(from)) {
                            down.offer(copy(buf), front, client);
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a datagram channel does not fail in a way we could act on
            }
        }
    }

    /** Loss, then a drop-tail queue drained at the rate cap, then the delay. */
    private final class Direction {
        final Impairment impairment;
        final SplittableRandom random;
        long queueFreeAtNanos;

        Direction(Impairment impairment, SplittableRandom random) {
            this.impairment = impairment;
            this.random = random;
        }

        synchronized void offer(ByteBuffer datagram, DatagramChannel via, InetSocketAddress to) {
            if (impairment.loss() > 0 && random.nextDouble() < impairment.loss()) {
                dropped.incrementAndGet();
                return;
            }
            long now = System.nanoTime();
            long sendAt = now;
            if (impairment.bytesPerSecond() > 0) {
                long start = Math.max(now, queueFreeAtNanos);
                long backlog = (long) ((start - now) / 1e9 * impairment.bytesPerSecond());
                if (backlog + datagram.remaining() > impairment.queueBytes()) {
                    dropped.incrementAndGet();
                    return;
                }
                queueFreeAtNanos = start + datagram.remaining() * 1_000_000_000L / impairment.bytesPerSecond();
                sendAt = queueFreeAtNanos;
            }
            long delay = sendAt - now + impairment.delayMicros() * 1000;
            timers.schedule(() -> {
                try {
                    via.send(datagram, to);
                    forwarded.incrementAndGet();
                } catch (IOException e) {
                    dropped.incrementAndGet();
                }
            }, delay, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        front.close();
        for (Back b : backs.values()) {
            b.close();
        }
        timers.shutdownNow();
        try {
            frontThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

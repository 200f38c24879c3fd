package io.ivp2p.path;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP socket: a receive thread that hands datagrams (fresh heap copies) to a consumer in
 * batches of what the kernel has queued, and sends from any thread. The only I/O of a session
 * endpoint.
 *
 * <p>Batches: the thread reads without blocking until the socket is empty or {@link #MAX_BATCH}
 * datagrams were read, hands them over in one call, and only then waits. The consumer processes a
 * batch under one lock and wakes each reader once per batch instead of once per datagram.
 */
public final class UdpSocket implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UdpSocket.class);
    /** Largest UDP payload (IPv4): 65,535 − 8 − 20. */
    public static final int MAX_DATAGRAM = 65_507;
    /** Socket buffers sized for a few MB/s of bursts on a 2-core camera. */
    private static final int SOCKET_BUFFER = 2 * 1024 * 1024;
    /**
     * Largest batch: 32 full datagrams are about 40 KB, under a millisecond of processing, so the
     * first datagram of a batch is not held back noticeably, and the consumer's acknowledgements
     * (one per batch at most) still go out often enough for the sender's clock.
     */
    public static final int MAX_BATCH = 32;

    /** Receives batches of datagrams on the socket's receive thread. */
    @FunctionalInterface
    public interface Receiver {
        /**
         * {@code batch} holds 1..{@link #MAX_BATCH} datagrams in arrival order; the list is reused
         * after the call. An exception thrown here is logged and loses the rest of the batch.
         */
        void onDatagrams(List<Datagram> batch);
    }

    /** One received datagram: its source and a heap copy of its bytes, the receiver's to keep. */
    public record Datagram(InetSocketAddress from, ByteBuffer data) {
    }

    private final DatagramChannel channel;
    /** The receive thread waits here when the (non-blocking) socket is empty. */
    private final Selector selector;
    private final AtomicLong sendBufferDrops = new AtomicLong();
    private final Thread receiver;
    private volatile boolean closed;

    /** "0.0.0.0:5000" where InetSocketAddress.toString() gives "0.0.0.0/0.0.0.0:5000". */
    static String plain(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    public UdpSocket(InetSocketAddress bind, Receiver consumer) throws IOException {
        channel = DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
            channel.bind(bind);
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot bind UDP " + plain(bind) + ": " + e.getMessage(), e);
        }
        receiver = new Thread(() -> receiveLoop(consumer), "ivp2p-udp-" + localAddress().getPort());
        receiver.setDaemon(true);
        receiver.start();
    }

    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void receiveLoop(Receiver consumer) {
        ByteBuffer buf = ByteBuffer.allocateDirect(MAX_DATAGRAM);
        List<Datagram> batch = new ArrayList<>(MAX_BATCH);
        while (!closed) {
            try {
                SocketAddress from;
                while (batch.size() < MAX_BATCH) {
                    buf.clear();
                    from = channel.receive(buf);
                    if (from == null) {
                        break;
                    }
                    buf.flip();
                    ByteBuffer copy = ByteBuffer.allocate(buf.remaining());
                    copy.put(buf).flip();
                    batch.add(new Datagram((InetSocketAddress) from, copy));
                }
                if (!batch.isEmpty()) {
                    consumer.onDatagrams(batch);
                    batch.clear();
                    continue; // more may have arrived meanwhile: look before waiting
                }
                selector.select();
                selector.selectedKeys().clear();
            } catch (ClosedChannelException | ClosedSelectorException e) {
                break;
            } catch (IOException e) {
                if (!closed) {
                    log.warn("UDP receive failed: {}", e.toString());
                }
            } catch (RuntimeException e) {
                batch.clear();
                log.error("datagram handler failed", e);
            }
        }
    }

    /**
     * Sends one datagram; failures (e.g. no route) are logged, not thrown: UDP may drop anyway.
     * The socket is non-blocking, so a send never stalls the event loop: a datagram the kernel's
     * full send buffer cannot take is dropped and counted ({@link #sendBufferDrops}), and loss
     * recovery sends its data again. Pacing keeps the buffer from filling in the first place.
     */
    public void send(ByteBuffer datagram, InetSocketAddress to) {
        try {
            if (channel.send(datagram, to) == 0) {
                long n = sendBufferDrops.incrementAndGet();
                if (Long.bitCount(n) == 1) { // 1, 2, 4, 8, ...: visible, never a flood
                    log.debug("UDP send buffer full: {} datagrams dropped so far", n);
                }
            }
        } catch (ClosedChannelException e) {
            // closing: nothing to do
        } catch (IOException e) {
            log.debug("UDP send to {} failed: {}", to, e.toString());
        }
    }

    /** Datagrams dropped because the kernel's send buffer was full. */
    public long sendBufferDrops() {
        return sendBufferDrops.get();
    }

    @Override
    public void close() {
        closed = true;
        try {
            selector.wakeup();
            channel.close();
            receiver.join(5000);
            selector.close();
        } catch (IOException e) {
            log.debug("closing UDP socket: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

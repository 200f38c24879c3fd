package io.ivp2p.path;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP socket: a receive thread that hands each datagram (a fresh heap copy) to a consumer,
 * and sends from any thread. The only I/O of a session endpoint.
 */
public final class UdpSocket implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UdpSocket.class);
    /** Largest UDP payload (IPv4): 65,535 − 8 − 20. */
    public static final int MAX_DATAGRAM = 65_507;
    /** Socket buffers sized for a few MB/s of bursts on a 2-core camera. */
    private static final int SOCKET_BUFFER = 2 * 1024 * 1024;

    private final DatagramChannel channel;
    private final Thread receiver;
    private volatile boolean closed;

    public UdpSocket(InetSocketAddress bind, BiConsumer<InetSocketAddress, ByteBuffer> consumer)
            throws IOException {
        channel = DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
            channel.bind(bind);
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot bind UDP " + bind + ": " + e.getMessage(), e);
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

    private void receiveLoop(BiConsumer<InetSocketAddress, ByteBuffer> consumer) {
        ByteBuffer buf = ByteBuffer.allocateDirect(MAX_DATAGRAM);
        while (!closed) {
            try {
                buf.clear();
                SocketAddress from = channel.receive(buf);
                buf.flip();
                ByteBuffer copy = ByteBuffer.allocate(buf.remaining());
                copy.put(buf).flip();
                consumer.accept((InetSocketAddress) from, copy);
            } catch (ClosedChannelException e) {
                break;
            } catch (IOException e) {
                if (!closed) {
                    log.warn("UDP receive failed: {}", e.toString());
                }
            } catch (RuntimeException e) {
                log.error("datagram handler failed", e);
            }
        }
    }

    /** Sends one datagram; failures (e.g. no route) are logged, not thrown: UDP may drop anyway. */
    public void send(ByteBuffer datagram, InetSocketAddress to) {
        try {
            channel.send(datagram, to);
        } catch (ClosedChannelException e) {
            // closing: nothing to do
        } catch (IOException e) {
            log.debug("UDP send to {} failed: {}", to, e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
            receiver.join(5000);
        } catch (IOException e) {
            log.debug("closing UDP socket: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

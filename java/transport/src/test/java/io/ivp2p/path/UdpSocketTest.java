package io.ivp2p.path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The socket's receive thread on real loopback: batches, order, sources, and a clean stop. */
class UdpSocketTest {
    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void everyDatagramArrivesOnceInOrderInBatchesOfAtMostMaxBatch() throws Exception {
        int count = 500;
        List<Integer> seen = new ArrayList<>();
        List<Integer> batchSizes = new ArrayList<>();
        List<InetSocketAddress> sources = new ArrayList<>();
        CountDownLatch all = new CountDownLatch(count);
        try (UdpSocket socket = new UdpSocket(ANY, batch -> {
                    synchronized (seen) {
                        batchSizes.add(batch.size());
                        for (UdpSocket.Datagram d : batch) {
                            seen.add(d.data().getInt());
                            sources.add(d.from());
                            all.countDown();
                        }
                    }
                });
                DatagramChannel sender = DatagramChannel.open().bind(ANY)) {
            // UDP has no flow control: a burst larger than the receive buffer is dropped by the kernel
            // whenever the receive thread is not scheduled (SO_RCVBUF is capped by net.core.rmem_max,
            // on a default Linux room for fewer than 200 of these datagrams). Send in windows that
            // fit even the default buffer, each once the previous one is in: still many datagrams
            // queued at once, so batches form, and a loss is the socket's, not the kernel's.
            int window = 2 * UdpSocket.MAX_BATCH;
            for (int i = 0; i < count; i++) {
                if (i % window == 0) {
                    long target = count - i;
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (all.getCount() > target && System.nanoTime() < deadline) {
                        Thread.sleep(1); // liveness poll, not a timing assertion
                    }
                    assertEquals(target, all.getCount(), "the previous window arrived");
                }
                sender.send(ByteBuffer.allocate(1000).putInt(0, i), socket.localAddress());
            }
            assertTrue(all.await(10, TimeUnit.SECONDS), "received " + seen.size() + " of " + count);
            synchronized (seen) {
                for (int i = 0; i < count; i++) {
                    assertEquals(i, seen.get(i), "loopback keeps order; nothing lost or doubled");
                }
                assertTrue(batchSizes.stream().allMatch(n -> n >= 1 && n <= UdpSocket.MAX_BATCH), batchSizes.toString());
                assertTrue(sources.stream().allMatch(sender.getLocalAddress()::equals));
            }
            assertEquals(0, socket.sendBufferDrops());
        }
    }

    @Test
    void closeStopsTheReceiveThreadAndAHandlerThatThrowsDoesNotStopIt() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(1);
        UdpSocket socket = new UdpSocket(ANY, batch -> {
            if (batch.get(0).data().get(0) == 1) {
                first.countDown();
                throw new IllegalStateException("handler bug");
            }
            second.countDown();
        });
        String name = "ivp2p-udp-" + socket.localAddress().getPort();
        try (DatagramChannel sender = DatagramChannel.open().bind(ANY)) {
            sender.send(ByteBuffer.wrap(new byte[] {1}), socket.localAddress());
            assertTrue(first.await(10, TimeUnit.SECONDS));
            sender.send(ByteBuffer.wrap(new byte[] {2}), socket.localAddress());
            assertTrue(second.await(10, TimeUnit.SECONDS), "the thread survived the handler's exception");
        } finally {
            socket.close();
        }
        assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive()),
                "receive thread still running after close");
    }
}

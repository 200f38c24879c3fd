package io.ivp2p.security;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Two associations wired together in memory. Each side has its own single-thread event loop; a
 * datagram one side sends is posted to the other side's loop, which calls onDatagram, so calls never
 * recurse and each association is driven by one thread once established, as in production. A side's
 * {@link Side#tap} sees (and may change or drop) every datagram it sends; a datagram reaches the other
 * side only if sent to that side's current {@link Side#address}. Liveness bounds only: every wait has
 * a generous timeout, nothing sleeps.
 */
final class DtlsPair implements AutoCloseable {
    static final long WAIT_SECONDS = 30;
    static final InetSocketAddress CLIENT_ADDRESS = address(192, 0, 2, 1, 40000);
    static final InetSocketAddress SERVER_ADDRESS = address(198, 51, 100, 1, 50000);

    final ExecutorService handshakes = Executors.newCachedThreadPool(daemon("handshake"));
    /** Completes when each handshake task the executor ran has returned. */
    final List<CompletableFuture<Void>> handshakeTasks = Collections.synchronizedList(new ArrayList<>());
    final Side client = new Side("client", CLIENT_ADDRESS);
    final Side server = new Side("server", SERVER_ADDRESS);

    DtlsPair() {
        client.other = server;
        server.other = client;
    }

    /** A started pair: the client presents {@code identity}/{@code clientKey}, the server looks keys up in {@code keys}. */
    static DtlsPair start(DtlsSettings clientSettings, DtlsSettings serverSettings, String identity, byte[] clientKey,
            PskLookup keys) {
        DtlsPair p = new DtlsPair();
        p.server.association = DtlsAssociation.server(keys, serverSettings, CLIENT_ADDRESS, p.server::output,
                p.handshakeExecutor(), p.server.events());
        p.client.association = DtlsAssociation.client(identity, clientKey, clientSettings, SERVER_ADDRESS,
                p.client::output, p.handshakeExecutor(), p.client.events());
        p.server.association.start();
        p.client.association.start();
        return p;
    }

    static DtlsPair established(DtlsSettings settings) throws Exception {
        byte[] key = key(1);
        DtlsPair p = start(settings, settings, "alice", key, id -> id.equals("alice") ? key.clone() : null);
        p.awaitEstablished();
        return p;
    }

    void awaitEstablished() throws Exception {
        client.established.get(WAIT_SECONDS, TimeUnit.SECONDS);
        server.established.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    java.util.concurrent.Executor handshakeExecutor() {
        return task -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            handshakeTasks.add(done);
            handshakes.execute(() -> {
                try {
                    task.run();
                } finally {
                    done.complete(null);
                }
            });
        };
    }

    @Override
    public void close() {
        client.loop.shutdownNow();
        server.loop.shutdownNow();
        handshakes.shutdownNow();
    }

    final class Side {
        final String name;
        final ExecutorService loop;
        volatile DtlsAssociation association;
        Side other;
        /** Where this side's datagrams come from, and where it receives. */
        volatile InetSocketAddress address;
        /** Sees each outgoing datagram; returns what to deliver (null: drop). */
        volatile UnaryOperator<byte[]> tap = UnaryOperator.identity();
        final List<byte[]> sent = Collections.synchronizedList(new ArrayList<>());
        final List<InetSocketAddress> sentTo = Collections.synchronizedList(new ArrayList<>());
        final LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        /** onDatagram's return values, in order. */
        final List<Boolean> moves = Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<Void> established = new CompletableFuture<>();
        final CompletableFuture<String> failed = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();

        Side(String name, InetSocketAddress address) {
            this.name = name;
            this.address = address;
            this.loop = Executors.newSingleThreadExecutor(daemon(name + "-loop"));
        }

        DtlsAssociation.Events events() {
            return new DtlsAssociation.Events() {
                @Override
                public void onEstablished(DtlsAssociation a) {
                    // What an owner does: hop to its event loop and pick up what queued meanwhile.
                    loop.execute(() -> a.processQueued(Side.this::receive));
                    established.complete(null);
                }

                @Override
                public void onFailed(DtlsAssociation a, String reason, Throwable cause) {
                    failed.complete(reason);
                }

                @Override
                public void onClosed(DtlsAssociation a) {
                    closed.complete(null);
                }
            };
        }

        /** This side's Output. */
        void output(ByteBuffer datagram, InetSocketAddress to) {
            byte[] bytes = new byte[datagram.remaining()];
            datagram.get(bytes);
            sent.add(bytes);
            sentTo.add(to);
            byte[] delivered = tap.apply(bytes);
            if (delivered != null && to.equals(other.address)) {
                InetSocketAddress from = address;
                other.loop.execute(() -> other.inject(delivered, from));
            }
        }

        /** On this side's loop: one datagram arrives from {@code from}. */
        void inject(byte[] datagram, InetSocketAddress from) {
            moves.add(association.onDatagram(ByteBuffer.wrap(datagram), from, this::receive));
        }

        void receive(ByteBuffer plaintext) {
            byte[] b = new byte[plaintext.remaining()];
            plaintext.get(b);
            received.add(b);
        }

        /** Runs {@code task} on this side's loop and waits for it. */
        <T> T onLoop(Callable<T> task) throws Exception {
            return loop.submit(task).get(WAIT_SECONDS, TimeUnit.SECONDS);
        }

        /** Sends {@code plaintext} on this side's loop; the datagram is queued on the other loop when this returns. */
        void send(byte[] plaintext) throws Exception {
            onLoop(() -> {
                association.send(ByteBuffer.wrap(plaintext));
                return null;
            });
        }

        /** Waits until this side's loop has run everything queued so far. */
        void sync() throws Exception {
            onLoop(() -> null);
        }

        /** Injects on this side's loop and waits; returns onDatagram's result. */
        boolean injectAndWait(byte[] datagram, InetSocketAddress from) throws Exception {
            return onLoop(() -> association.onDatagram(ByteBuffer.wrap(datagram), from, this::receive));
        }

        byte[] nextReceived() throws InterruptedException {
            byte[] b = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (b == null) {
                throw new AssertionError(name + " received nothing within " + WAIT_SECONDS + " s");
            }
            return b;
        }

        byte[] lastSent() {
            synchronized (sent) {
                return sent.get(sent.size() - 1);
            }
        }
    }

    static byte[] key(int seed) {
        byte[] k = new byte[32];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (seed * 31 + i);
        }
        return k;
    }

    static InetSocketAddress address(int a, int b, int c, int d, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}),
                    port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, "dtls-test-" + name);
            t.setDaemon(true);
            return t;
        };
    }
}

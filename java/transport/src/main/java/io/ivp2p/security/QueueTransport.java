package io.ivp2p.security;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.TlsFatalAlert;

/**
 * The {@link DatagramTransport} bctls runs on: datagrams are pushed in by the association, never
 * read from a socket, and sent datagrams go to a {@link Sink}. It has two modes.
 *
 * <p><b>Handshake</b> (blocking): {@link #receive} polls a bounded queue with bctls' wait, on the
 * handshake thread; {@link #offer} fills it from any thread.
 *
 * <p><b>Established</b> (non-blocking, one event-loop thread): the association hands over one record
 * with {@link #setNext}, then calls {@code DTLSTransport.receive}; our {@code receive} returns that
 * record once and then throws {@link Drained}, a stackless {@link InterruptedIOException}. bctls'
 * record layer lets an InterruptedIOException out of its receive loop without failing the
 * connection (a {@code SocketTimeoutException} or -1 would make it loop until its wait expired).
 *
 * <p>{@link #close()} is what bctls calls after its close_notify or fatal alert (DTLSTransport.close()
 * closes the underlying transport): it only stops sending and wakes a blocked receive. No socket is
 * ever closed here; the socket belongs to the path layer.
 */
final class QueueTransport implements DatagramTransport {

    /** Where outgoing datagrams go; the buffer is fresh per datagram and handed over. */
    @FunctionalInterface
    interface Sink {
        void send(byte[] buf, int off, int len);
    }

    /** Ends bctls' receive loop once the one record we had has been processed. */
    static final class Drained extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        Drained() {
            super("no more datagrams");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** Handshake flights are a few datagrams; more than this queued means nobody is reading. */
    static final int QUEUE_CAPACITY = 64;
    /**
     * Largest datagram bctls is given. Above any maxDatagramSize we allow (the peer may be configured
     * larger than us) and at the Ethernet MTU; bctls sizes its buffers and getReceiveLimit() from it.
     */
    static final int RECEIVE_LIMIT = 1500;
    private static final byte[] WAKE = new byte[0];

    private final LinkedBlockingQueue<byte[]> inbound = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final int sendLimit;
    private final Sink sink;
    private volatile boolean established;
    private volatile boolean cancelled;
    private volatile boolean closed;
    /** Established mode: the record to hand out once (event-loop thread only). */
    private byte[] next;

    QueueTransport(int sendLimit, Sink sink) {
        this.sendLimit = sendLimit;
        this.sink = sink;
    }

    /** Queues a datagram for the handshake thread; false if the queue is full (the datagram is dropped). */
    boolean offer(byte[] datagram) {
        return inbound.offer(datagram);
    }

    /** A datagram queued during the handshake and not consumed by it, or null. */
    byte[] pollQueued() {
        byte[] d;
        do {
            d = inbound.poll();
        } while (d == WAKE);
        return d;
    }

    /** Switches to non-blocking mode; called by the handshake thread when bctls returned. */
    void established() {
        established = true;
    }

    /** Established mode: the next (and only) record {@link #receive} returns. */
    void setNext(byte[] record) {
        next = record;
    }

    /** Makes a blocked or future handshake receive fail with user_canceled. */
    void cancel() {
        cancelled = true;
        inbound.offer(WAKE);
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public int getReceiveLimit() {
        return RECEIVE_LIMIT;
    }

    @Override
    public int getSendLimit() {
        return sendLimit;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (established) {
            byte[] r = next;
            if (r == null) {
                throw new Drained();
            }
            next = null;
            return copy(r, buf, off, len);
        }
        if (cancelled) {
            // Propagates out of the handshake; bctls answers it with a fatal user_canceled alert.
            throw new TlsFatalAlert(AlertDescription.user_canceled, "association closed during the handshake");
        }
        byte[] d;
        try {
            d = waitMillis == 0 ? inbound.take() : inbound.poll(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("handshake thread interrupted");
        }
        if (d == null || d == WAKE) {
            if (cancelled) {
                throw new TlsFatalAlert(AlertDescription.user_canceled, "association closed during the handshake");
            }
            return -1; // timeout: bctls retransmits its flight or checks its deadline
        }
        return copy(d, buf, off, len);
    }

    private static int copy(byte[] d, byte[] buf, int off, int len) {
        if (d.length > len) {
            return -1; // larger than getReceiveLimit(): not a datagram of ours
        }
        System.arraycopy(d, 0, buf, off, d.length);
        return d.length;
    }

    @Override
    public void send(byte[] buf, int off, int len) {
        if (!closed) {
            sink.send(buf, off, len);
        }
    }

    @Override
    public void close() {
        closed = true;
        inbound.offer(WAKE);
    }
}

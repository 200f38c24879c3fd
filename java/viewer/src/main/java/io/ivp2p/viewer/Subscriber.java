package io.ivp2p.viewer;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP client's queue of stream bytes: the relay offers, the client's thread takes. Bounded:
 * a client that falls {@code limitBytes} behind (a stalled browser tab) is closed instead of
 * making the viewer buffer without end; its player reconnects and starts again from a key frame.
 */
final class Subscriber {
    private final String name;
    private final long limitBytes;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private long queuedBytes;
    private String closedBecause;
    private long sentBytes;

    Subscriber(String name, long limitBytes) {
        this.name = name;
        this.limitBytes = limitBytes;
    }

    String name() {
        return name;
    }

    /** Queues {@code b}; false (and closes this subscriber) past the limit, false if closed. */
    synchronized boolean offer(byte[] b) {
        if (closedBecause != null) {
            return false;
        }
        if (queuedBytes + b.length > limitBytes) {
            close("more than " + limitBytes / 1024 + " KiB behind (the client stopped reading)");
            return false;
        }
        queue.add(b);
        queuedBytes += b.length;
        notifyAll();
        return true;
    }

    /**
     * The next piece, waiting up to {@code timeoutMs}; null on timeout.
     *
     * @throws ClosedException once closed and everything queued before the close was taken
     */
    synchronized byte[] take(long timeoutMs) throws InterruptedException, ClosedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (queue.isEmpty()) {
            if (closedBecause != null) {
                throw new ClosedException(closedBecause);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        byte[] b = queue.poll();
        queuedBytes -= b.length;
        sentBytes += b.length;
        return b;
    }

    /** Ends the stream after what is queued (the first reason counts). */
    synchronized void close(String reason) {
        if (closedBecause == null) {
            closedBecause = reason;
            notifyAll();
        }
    }

    /** Ends the stream now, dropping what is queued. */
    synchronized void abort(String reason) {
        close(reason);
        queue.clear();
        queuedBytes = 0;
    }

    synchronized boolean isClosed() {
        return closedBecause != null;
    }

    synchronized long queuedBytes() {
        return queuedBytes;
    }

    synchronized long sentBytes() {
        return sentBytes;
    }

    /** The stream ended; the message says why. */
    static final class ClosedException extends Exception {
        private static final long serialVersionUID = 1L;

        ClosedException(String reason) {
            super(reason);
        }
    }
}

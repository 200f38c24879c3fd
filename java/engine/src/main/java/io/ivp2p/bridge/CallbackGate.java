package io.ivp2p.bridge;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Guards every call into firmware code so that {@code iv_avt_p2p_exit} can promise "no callback
 * runs after exit returns": callbacks hold the read side while they run; {@link #close} stops new
 * ones and waits, on the write side, for the running ones to return.
 *
 * <p>A callback that calls {@code iv_avt_p2p_exit} itself would wait for itself forever;
 * {@link #insideCallback} lets the bridge refuse that instead.
 */
public final class CallbackGate {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;

    /**
     * Enters a callback; throws {@link IllegalStateException} once the gate is closed. A thread
     * that is inside already (the engine holds the gate across "call firmware, then free its
     * buffer") enters again even while exit waits: exit is waiting for this very thread, and the
     * buffer must be freed before it returns.
     */
    public void enter(String callback) {
        if (DEPTH.get()[0] > 0) {
            lock.readLock().lock();
            DEPTH.get()[0]++;
            return;
        }
        if (closed) {
            throw new IllegalStateException(callback + " refused: iv_avt_p2p_exit has begun");
        }
        lock.readLock().lock();
        if (closed) {
            lock.readLock().unlock();
            throw new IllegalStateException(callback + " refused: iv_avt_p2p_exit has begun");
        }
        DEPTH.get()[0]++;
    }

    public void leave() {
        DEPTH.get()[0]--;
        lock.readLock().unlock();
    }

    /** True on a thread that is running firmware callback code right now. */
    public static boolean insideCallback() {
        return DEPTH.get()[0] > 0;
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Refuses new callbacks and waits up to {@code timeoutMillis} for running ones to return.
     * Returns false when some callback was still running at the deadline.
     */
    public boolean close(long timeoutMillis) throws InterruptedException {
        closed = true;
        if (lock.writeLock().tryLock(timeoutMillis, TimeUnit.MILLISECONDS)) {
            lock.writeLock().unlock();
            return true;
        }
        return false;
    }
}

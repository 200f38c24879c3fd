package io.ivp2p.time;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real-time {@link Clock} and {@link Scheduler} of the state machines it owns, which need no
 * locks of their own because everything that touches them runs "in the loop": holding the loop's
 * one lock, one thread at a time.
 *
 * <p>Timers and {@link #execute posted tasks} run on the loop's daemon thread. Threads that
 * already have work for the state machines — the UDP receive thread with a datagram, an
 * application thread reading or writing — {@link #call run it in the loop} on their own thread
 * instead of handing it over: a hand-off costs two context switches (wake the loop thread, wake
 * the caller with the result), and on the 2-core machines this runs on those switches were most
 * of the transport's CPU time (bench/RESULTS-transport.md). A task that throws is logged and the
 * loop goes on; a call that throws gets the exception.
 */
public final class EventLoop implements Clock, Scheduler, Executor, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventLoop.class);
    private static final AtomicInteger COUNT = new AtomicInteger();
    /** A call waits this long for the loop before it fails: a task never holds it near this long. */
    private static final long CALL_TIMEOUT_SECONDS = 30;

    private final ScheduledThreadPoolExecutor executor;
    private final ReentrantLock lock = new ReentrantLock();
    private final String name;

    public EventLoop(String name) {
        this.name = name + "-" + COUNT.incrementAndGet();
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, this.name);
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public long nanos() {
        return System.nanoTime();
    }

    /** True while the current thread runs in the loop (a task, a timer, or inside {@link #call}). */
    public boolean inLoop() {
        return lock.isHeldByCurrentThread();
    }

    @Override
    public Cancellable schedule(long atNanos, Runnable task) {
        long delay = atNanos == Long.MIN_VALUE ? 0 : Math.max(0, atNanos - nanos());
        ScheduledFuture<?> f = executor.schedule(guard(task), delay, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    /** Runs {@code task} in the loop on the loop's thread, later. */
    @Override
    public void execute(Runnable task) {
        executor.execute(guard(task));
    }

    /**
     * Runs {@code task} in the loop on the calling thread, now, and returns its result. Re-entrant:
     * a call from inside the loop just runs the task.
     *
     * @throws IllegalStateException if the loop stayed busy for 30 s (a bug: tasks are short)
     */
    public <T> T call(Callable<T> task) throws Exception {
        if (!lock.tryLock(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("event loop " + name + " busy for " + CALL_TIMEOUT_SECONDS + " s");
        }
        try {
            return task.call();
        } finally {
            lock.unlock();
        }
    }

    /** Like {@link #call} for a task without a result; a task that throws is logged, as on the loop thread. */
    public void run(Runnable task) {
        try {
            call(() -> {
                task.run();
                return null;
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            log.error("event loop task failed", t);
        }
    }

    private Runnable guard(Runnable task) {
        return () -> {
            lock.lock();
            try {
                task.run();
            } catch (Throwable t) {
                log.error("event loop task failed", t);
            } finally {
                lock.unlock();
            }
        };
    }

    /** Stops the loop thread; tasks not yet run are dropped. Waits up to 5 s for a running task. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!inLoop() && !executor.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("event loop {} did not stop within 5 s", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.ivp2p.time;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real-time {@link Clock} and {@link Scheduler}: one daemon thread that runs every task of
 * the state machines it owns, in deadline order, so they need no locks. A task that throws is
 * logged and the loop goes on.
 */
public final class EventLoop implements Clock, Scheduler, Executor, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventLoop.class);
    private static final AtomicInteger COUNT = new AtomicInteger();

    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;

    public EventLoop(String name) {
        String threadName = name + "-" + COUNT.incrementAndGet();
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public long nanos() {
        return System.nanoTime();
    }

    /** True on the loop's own thread. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public Cancellable schedule(long atNanos, Runnable task) {
        long delay = atNanos == Long.MIN_VALUE ? 0 : Math.max(0, atNanos - nanos());
        ScheduledFuture<?> f = executor.schedule(guard(task), delay, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(guard(task));
    }

    private static Runnable guard(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable t) {
                log.error("event loop task failed", t);
            }
        };
    }

    /** Stops the loop; tasks not yet run are dropped. Waits up to 5 s for a running task. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!inLoop() && !executor.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("event loop {} did not stop within 5 s", thread == null ? "?" : thread.getName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

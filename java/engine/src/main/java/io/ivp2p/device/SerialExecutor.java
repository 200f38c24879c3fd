package io.ivp2p.device;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one app session's firmware requests (send_init_cb, recv_init_cb, command_cb) one at a time,
 * in arrival order, on a shared pool: a slow callback holds up only its own session, and never
 * the control reader that receives replies. The queue is bounded, so an app that floods commands
 * is told "busy" instead of growing the device's memory.
 */
final class SerialExecutor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor pool;
    private final int limit;
    private final String name;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean running;

    SerialExecutor(Executor pool, int limit, String name) {
        this.pool = pool;
        this.limit = limit;
        this.name = name;
    }

    /** Queues {@code task}; false if {@code limit} tasks are waiting already. */
    synchronized boolean offer(Runnable task) {
        if (queue.size() >= limit) {
            return false;
        }
        queue.add(task);
        if (!running) {
            running = true;
            pool.execute(this::drain);
        }
        return true;
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = queue.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                log.error("{}: request failed", name, e);
            }
        }
    }
}

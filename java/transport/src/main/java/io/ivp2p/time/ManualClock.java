package io.ivp2p.time;

import java.util.PriorityQueue;

/**
 * A clock and scheduler that move only when told to: tests advance time explicitly and every
 * task due by then runs, in deadline order (ties in the order they were scheduled), on the
 * calling thread. Deterministic: no threads, no sleeps. Not thread-safe; one test thread drives it.
 */
public final class ManualClock implements Clock, Scheduler {
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long now;
    private long sequence;

    public ManualClock() {
        this(0);
    }

    public ManualClock(long startNanos) {
        this.now = startNanos;
    }

    @Override
    public long nanos() {
        return now;
    }

    @Override
    public Cancellable schedule(long atNanos, Runnable task) {
        Task t = new Task(Math.max(atNanos, now), sequence++, task);
        tasks.add(t);
        return t;
    }

    /** Advances to {@code now + deltaNanos}, running every task due by then. */
    public void advance(long deltaNanos) {
        advanceTo(now + deltaNanos);
    }

    /** Advances to {@code targetNanos}, running every task due by then at its own time. */
    public void advanceTo(long targetNanos) {
        while (true) {
            Task next = tasks.peek();
            if (next == null || next.at > targetNanos) {
                break;
            }
            tasks.poll();
            if (!next.cancelled) {
                now = Math.max(now, next.at);
                next.task.run();
            }
        }
        now = Math.max(now, targetNanos);
    }

    /** Runs tasks until none is left or the next is later than {@code limitNanos}; returns the time reached. */
    public long runUntilIdle(long limitNanos) {
        while (true) {
            Task next = tasks.peek();
            while (next != null && next.cancelled) {
                tasks.poll();
                next = tasks.peek();
            }
            if (next == null || next.at > limitNanos) {
                return now;
            }
            advanceTo(next.at);
        }
    }

    /** Number of pending (not cancelled) tasks. */
    public int pending() {
        int n = 0;
        for (Task t : tasks) {
            if (!t.cancelled) {
                n++;
            }
        }
        return n;
    }

    private static final class Task implements Comparable<Task>, Cancellable {
        final long at;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Task(long at, long seq, Runnable task) {
            this.at = at;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Task o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}

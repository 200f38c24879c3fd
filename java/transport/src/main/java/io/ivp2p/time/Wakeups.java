package io.ivp2p.time;

/**
 * A counter of wake-ups that threads wait on. A waiter first reads {@link #count()}, looks at the
 * state it cares about, and then waits for a wake-up later than the count it read: a wake-up
 * between its look and its wait is not lost, which a plain wait/notify would lose.
 */
public final class Wakeups {
    private long count;
    private int waiters;

    /** Wake-ups so far. */
    public synchronized long count() {
        return count;
    }

    /** Wakes every waiter (cheap when there is none). */
    public synchronized void signal() {
        count++;
        if (waiters > 0) {
            notifyAll();
        }
    }

    /**
     * Waits until a wake-up later than the {@code seen}-th, or {@code deadlineNanos} on the
     * {@link System#nanoTime()} clock; false if the deadline passed (or the thread was
     * interrupted, with its interrupt flag set again).
     */
    public synchronized boolean await(long seen, long deadlineNanos) {
        while (count == seen) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            waiters++;
            try {
                wait(Math.max(1, left / 1_000_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                waiters--;
            }
        }
        return true;
    }
}

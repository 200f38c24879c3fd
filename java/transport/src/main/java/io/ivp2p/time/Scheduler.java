package io.ivp2p.time;

/**
 * Runs a task at a point in time of the {@link Clock} it belongs to. Tasks of one scheduler run
 * one at a time, in deadline order; state machines rely on that and need no locks of their own.
 */
public interface Scheduler {
    /** Runs {@code task} at {@code atNanos} (or as soon as possible if that has passed). */
    Cancellable schedule(long atNanos, Runnable task);

    /** A scheduled task; cancelling a task that already ran does nothing. */
    interface Cancellable {
        void cancel();
    }
}

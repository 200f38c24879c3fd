package io.ivp2p.time;

/**
 * A monotonic clock in nanoseconds. Every timer-driven state machine takes one through its
 * constructor, so tests can drive it with {@link ManualClock} instead of the wall clock.
 */
@FunctionalInterface
public interface Clock {
    /** Monotonic time in nanoseconds; only differences are meaningful. */
    long nanos();

    /** The system's monotonic clock. */
    Clock SYSTEM = System::nanoTime;
}

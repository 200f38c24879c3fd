package io.ivp2p.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class WakeupsTest {
    @Test
    void aWakeupBetweenLookingAndWaitingIsNotLost() {
        Wakeups w = new Wakeups();
        long seen = w.count();
        w.signal(); // arrives before the waiter waits
        assertTrue(w.await(seen, System.nanoTime() + TimeUnit.SECONDS.toNanos(10)));
        assertEquals(1, w.count());
    }

    @Test
    void withoutAWakeupTheDeadlineEndsTheWait() {
        Wakeups w = new Wakeups();
        assertFalse(w.await(w.count(), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20)));
    }

    @Test
    void aWaitingThreadIsWoken() throws Exception {
        Wakeups w = new Wakeups();
        long seen = w.count();
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(
                () -> w.await(seen, System.nanoTime() + TimeUnit.SECONDS.toNanos(30)));
        w.signal();
        assertTrue(waiter.get(30, TimeUnit.SECONDS));
    }
}

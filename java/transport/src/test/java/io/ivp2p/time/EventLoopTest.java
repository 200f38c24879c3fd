package io.ivp2p.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/** The loop's one-at-a-time guarantee holds for calls on other threads as for its own tasks. */
class EventLoopTest {
    @Test
    void aCallRunsOnTheCallersThreadInTheLoopAndNests() throws Exception {
        try (EventLoop loop = new EventLoop("test")) {
            assertFalse(loop.inLoop());
            Thread caller = Thread.currentThread();
            String result = loop.call(() -> {
                assertSame(caller, Thread.currentThread());
                assertTrue(loop.inLoop());
                return loop.call(() -> "nested");
            });
            assertEquals("nested", result);
            assertFalse(loop.inLoop());
        }
    }

    @Test
    void aPostedTaskWaitsWhileACallIsInTheLoop() throws Exception {
        try (EventLoop loop = new EventLoop("test")) {
            CountDownLatch ran = new CountDownLatch(1);
            AtomicReference<Boolean> inLoopThere = new AtomicReference<>();
            boolean ranDuringCall = loop.call(() -> {
                loop.execute(() -> {
                    inLoopThere.set(loop.inLoop());
                    ran.countDown();
                });
                return ran.await(200, TimeUnit.MILLISECONDS);
            });
            assertFalse(ranDuringCall, "the loop thread ran a task while a call held the loop");
            assertTrue(ran.await(10, TimeUnit.SECONDS), "the task runs once the call returns");
            assertTrue(inLoopThere.get());
        }
    }

    @Test
    void aFailingCallThrowsToItsCallerAndTheLoopGoesOn() throws Exception {
        try (EventLoop loop = new EventLoop("test")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.call(() -> {
                throw new IllegalStateException("boom");
            }));
            assertEquals("boom", e.getMessage());
            loop.run(() -> {
                throw new IllegalArgumentException("logged, not thrown");
            });
            CountDownLatch timer = new CountDownLatch(1);
            loop.schedule(loop.nanos(), timer::countDown);
            assertTrue(timer.await(10, TimeUnit.SECONDS));
            assertEquals(7, (int) loop.call(() -> 7));
        }
    }
}

package io.ivp2p.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gate that lets exit promise "no callback runs after exit returns". */
class CallbackGateTest {

    /** Bound on waits that succeed at once when the code is right; only a hang would reach it. */
    private static final long GENEROUS_MS = 30_000;

    private ExecutorService pool;

    @BeforeEach
    void startPool() {
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(GENEROUS_MS, TimeUnit.MILLISECONDS));
    }

    @Test
    void insideCallbackIsTrueOnlyBetweenEnterAndLeave() {
        CallbackGate gate = new CallbackGate();
        assertFalse(CallbackGate.insideCallback());
        gate.enter("cb");
        try {
            assertTrue(CallbackGate.insideCallback());
        } finally {
            gate.leave();
        }
        assertFalse(CallbackGate.insideCallback());
    }

    @Test
    void nestedEntriesStayInsideUntilTheOutermostLeaves() {
        CallbackGate gate = new CallbackGate();
        gate.enter("outer");
        gate.enter("inner");
        gate.leave();
        assertTrue(CallbackGate.insideCallback());
        gate.leave();
        assertFalse(CallbackGate.insideCallback());
    }

    @Test
    void insideCallbackIsPerThread() throws Exception {
        CallbackGate gate = new CallbackGate();
        gate.enter("cb");
        try {
            assertFalse(pool.submit(CallbackGate::insideCallback).get(GENEROUS_MS, TimeUnit.MILLISECONDS));
        } finally {
            gate.leave();
        }
    }

    @Test
    void closeOnAnIdleGateReturnsTrueAndMarksItClosed() throws InterruptedException {
        CallbackGate gate = new CallbackGate();
        assertFalse(gate.isClosed());
        assertTrue(gate.close(GENEROUS_MS));
        assertTrue(gate.isClosed());
    }

    @Test
    void closeWaitsUntilAnInFlightCallbackOnAnotherThreadLeaves() throws Exception {
        CallbackGate gate = new CallbackGate();
        CountDownLatch entered = new CountDownLatch(1);
        AtomicBoolean left = new AtomicBoolean();
        Future<?> callback = pool.submit(() -> {
            gate.enter("cb");
            try {
                entered.countDown();
                // Stay in the callback until close() has begun (closed is set first thing).
                while (!gate.isClosed()) {
                    Thread.onSpinWait();
                }
                left.set(true);
            } finally {
                gate.leave();
            }
        });
        assertTrue(entered.await(GENEROUS_MS, TimeUnit.MILLISECONDS));

        boolean closedCleanly = gate.close(GENEROUS_MS);

        assertTrue(closedCleanly, "close should report that every callback returned");
        assertTrue(left.get(), "close returned while the callback was still running");
        callback.get(GENEROUS_MS, TimeUnit.MILLISECONDS);
    }

    @Test
    void closeWithAStuckCallbackAndAShortTimeoutReturnsFalse() throws Exception {
        CallbackGate gate = new CallbackGate();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> callback = pool.submit(() -> {
            gate.enter("stuck");
            try {
                entered.countDown();
                release.await();
            } finally {
                gate.leave();
            }
            return null;
        });
        assertTrue(entered.await(GENEROUS_MS, TimeUnit.MILLISECONDS));
        try {
            assertFalse(gate.close(10));
            assertTrue(gate.isClosed(), "a timed-out close still refuses new callbacks");
        } finally {
            release.countDown();
        }
        callback.get(GENEROUS_MS, TimeUnit.MILLISECONDS);
    }

    @Test
    void enterAfterCloseThrowsIllegalStateExceptionNamingTheCallback() throws InterruptedException {
        CallbackGate gate = new CallbackGate();
        assertTrue(gate.close(GENEROUS_MS));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> gate.enter("p2p_handle_send_get_cb"));
        assertTrue(e.getMessage().contains("p2p_handle_send_get_cb"), e.getMessage());
        assertFalse(CallbackGate.insideCallback(), "a refused enter must not count as inside");
    }

    @Test
    void enterAfterATimedOutCloseIsAlsoRefused() throws Exception {
        CallbackGate gate = new CallbackGate();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> callback = pool.submit(() -> {
            gate.enter("stuck");
            try {
                entered.countDown();
                release.await();
            } finally {
                gate.leave();
            }
            return null;
        });
        assertTrue(entered.await(GENEROUS_MS, TimeUnit.MILLISECONDS));
        try {
            assertFalse(gate.close(1));
            CompletableFuture<Throwable> other = CompletableFuture.supplyAsync(() -> {
                try {
                    gate.enter("late");
                    gate.leave();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            }, pool);
            Throwable t = other.get(GENEROUS_MS, TimeUnit.MILLISECONDS);
            assertEquals(IllegalStateException.class, t == null ? null : t.getClass());
        } finally {
            release.countDown();
        }
        callback.get(GENEROUS_MS, TimeUnit.MILLISECONDS);
    }

    @Test
    void aThreadThatWasRefusedCanStillEnterAnotherOpenGate() throws InterruptedException {
        CallbackGate closed = new CallbackGate();
        assertTrue(closed.close(GENEROUS_MS));
        assertThrows(IllegalStateException.class, () -> closed.enter("cb"));
        CallbackGate open = new CallbackGate();
        open.enter("cb");
        try {
            assertTrue(CallbackGate.insideCallback());
        } finally {
            open.leave();
        }
        assertFalse(CallbackGate.insideCallback());
    }
}

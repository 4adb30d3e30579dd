package io.pqbridge.pq.blocking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.pq.PgResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The blocking layer over a fake backend ({@link FakeSteps}), no server: blocking calls are
 * slices with events delivered after each; other threads get the lock between slices; finish()
 * from another thread ends a blocked call, closing the socket under a caller that cannot yield;
 * a swallowed interrupt is restored; a failing notice handler is logged; every hold of the lock
 * is a turn, so a backend can tell that nothing ran between two of its calls; an unreachable,
 * unfinished connection is finished with a warning.
 */
class BlockingLayerTest {

    private final FakeSteps steps = new FakeSteps();
    private final Object owner = new Object();
    private final BlockingLayer layer = new BlockingLayer(owner, steps);

    @AfterEach
    void finish() {
        layer.finish(); // else its warning would reach the leak test's log
    }

    @Test
    void aBlockingCallRunsSlicesUntilOneCompletesDeliveringEventsAfterEach() {
        List<String> notices = new ArrayList<>();
        layer.setNoticeHandler(n -> notices.add(n.errorMessage()));
        AtomicInteger runs = new AtomicInteger();
        layer.enter();
        try {
            int r = layer.repeat(-9, sliceMs -> {
                steps.calls.add("slice " + sliceMs);
                steps.notice("notice " + runs.get());
                return runs.incrementAndGet() < 3 ? 0 : 5;
            });
            assertEquals(5, r);
        } finally {
            layer.exit();
        }
        int slice = BlockingLayer.SLICE_MS;
        assertEquals(List.of("slice " + slice, "drainEvents", "slice " + slice, "drainEvents", "slice " + slice,
                "drainEvents"), steps.takeCalls());
        assertEquals(List.of("notice 0", "notice 1", "notice 2"), notices);
    }

    @Test
    void flushingAndWaitingForAResultRepeatTheirSlices() {
        steps.flushAnswers.addAll(List.of(1, 1, 0));
        steps.resultAnswers.addAll(List.of(0, 0, 1));
        layer.enter();
        try {
            assertTrue(layer.sent(true));
            int slice = BlockingLayer.SLICE_MS;
            assertEquals(List.of("drainEvents", "flush " + slice, "drainEvents", "flush " + slice, "drainEvents",
                    "flush " + slice), steps.takeCalls());
            layer.awaitResult();
            assertEquals(List.of("awaitResult " + slice, "drainEvents", "awaitResult " + slice, "drainEvents",
                    "awaitResult " + slice), steps.takeCalls());

            assertFalse(layer.sent(false), "a refused send is not flushed");
            assertEquals(0, layer.copyEnded(0), "nor a COPY end that was not queued");
            assertEquals(List.of("drainEvents", "drainEvents"), steps.takeCalls());
            steps.flushAnswers.add(-1);
            assertEquals(-1, layer.copyEnded(1), "a failed flush fails the COPY end");
        } finally {
            layer.exit();
        }
    }

    @Test
    void notificationsQueueForNotifiesInArrivalOrder() {
        steps.notification("a");
        steps.notice("between");
        steps.notification("b");
        assertEquals("a", layer.notifies().channel());
        assertEquals("b", layer.notifies().channel());
        assertNull(layer.notifies());
    }

    @Test
    void waitingForInputRunsSlicesUpToTheTimeoutAndTheHandlerTakesNotifications() {
        List<String> handled = new ArrayList<>();
        layer.enter();
        try {
            long start = System.nanoTime();
            assertFalse(layer.awaitInput(250), "the time ran out");
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waited >= 240 && waited < 1000, "waited " + waited + " ms");
            int slice = BlockingLayer.SLICE_MS;
            assertEquals(List.of("awaitInput " + slice, "drainEvents", "awaitInput " + slice, "drainEvents"),
                    steps.takeCalls().subList(0, 4));
            steps.resultAnswers.add(1);
            layer.setNotifyHandler(n -> handled.add(n.channel()));
            steps.notification("a");
            assertTrue(layer.awaitInput(5000), "input came");
        } finally {
            layer.exit();
        }
        assertEquals(List.of("a"), handled);
        assertNull(layer.notifies(), "a handled notification is not queued");
        layer.setNotifyHandler(n -> {
            throw new IllegalStateException("a broken handler");
        });
        steps.notification("b");
        layer.enter();
        try {
            layer.deliverEvents(); // logged, not thrown
        } finally {
            layer.exit();
        }
    }

    @Test
    void anotherThreadGetsTheLockBetweenSlices() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Integer> blocked = blockedCall(-9, sliceMs -> {
            sleep(sliceMs);
            return stop.get() ? 1 : 0;
        });
        long started = System.nanoTime();
        assertFalse(layer.isFinished(), "a status query while a call blocks");
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(waited < 3L * BlockingLayer.SLICE_MS, "the query waited " + waited + " ms");
        stop.set(true);
        assertEquals(1, blocked.get(5, TimeUnit.SECONDS));
    }

    @Test
    void theTurnCountsEveryHoldOfTheLockSlicesAndFinishIncluded() throws Exception {
        long first = turnOfACall();
        assertEquals(first + 1, turnOfACall(), "nothing ran between two calls");

        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Integer> blocked = blockedCall(-9, sliceMs -> {
            sleep(sliceMs);
            return stop.get() ? 1 : 0;
        });
        long before = turnOfACall();
        sleep(3L * BlockingLayer.SLICE_MS);
        long after = turnOfACall();
        assertTrue(after > before + 1, "the blocked call's slices took turns in between: " + before + ", " + after);
        stop.set(true);
        assertEquals(1, blocked.get(5, TimeUnit.SECONDS));

        long open = turnOfACall();
        layer.finish();
        assertTrue(turnOfACall() > open + 1, "finish took a turn");
    }

    private long turnOfACall() {
        layer.enter();
        try {
            return layer.turn();
        } finally {
            layer.exit();
        }
    }

    @Test
    void finishFromAnotherThreadEndsABlockedCallWithinASlice() throws Exception {
        CompletableFuture<Integer> blocked = blockedCall(-7, sliceMs -> {
            sleep(sliceMs);
            return 0;
        });
        long started = System.nanoTime();
        layer.finish();
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals(-7, blocked.get(5, TimeUnit.SECONDS), "the blocked call gets the finished answer");
        assertTrue(waited < BlockingLayer.FINISH_PATIENCE_MS, "finish waited " + waited + " ms");
        assertFalse(steps.calls.contains("closeNow"), "a caller that yields needs no closing under it");
        assertEquals(1, steps.releases.get());
        assertTrue(layer.isFinished());

        layer.finish();
        assertEquals(1, steps.releases.get(), "finish is idempotent");
        layer.enter();
        try {
            steps.calls.clear();
            assertFalse(layer.sent(true), "nothing is sent once finished");
            assertEquals(-1, layer.copyEnded(1));
            layer.awaitResult();
            assertEquals(-3, layer.repeat(-3, sliceMs -> 0));
            layer.deliverEvents();
            assertEquals(List.of(), steps.takeCalls(), "no step runs once finished");
        } finally {
            layer.exit();
        }
    }

    @Test
    void finishClosesTheSocketUnderACallerThatCannotYield() throws Exception {
        CompletableFuture<Integer> stuck = blockedCall(-7, sliceMs -> {
            try {
                steps.socketClosed.await(); // a step that does not return by itself (a native call past its slice)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return -1;
        });
        long started = System.nanoTime();
        layer.finish();
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals(-1, stuck.get(5, TimeUnit.SECONDS), "the write failed when its socket closed");
        assertTrue(waited >= BlockingLayer.FINISH_PATIENCE_MS - 10, "finish was patient first: " + waited + " ms");
        assertEquals(List.of("abort", "closeNow"), steps.takeCalls().stream()
                .filter(c -> c.equals("abort") || c.equals("closeNow")).toList());
        assertEquals(1, steps.releases.get());
    }

    @Test
    void anInterruptSwallowedByAWaitIsRestoredWhenTheCallEnds() {
        layer.enter();
        try {
            layer.repeat(-9, sliceMs -> {
                steps.swallowedInterrupt = true; // as a transport that waits through an interrupt
                return 1;
            });
        } finally {
            layer.exit();
        }
        assertTrue(Thread.interrupted(), "the interrupt is pending again (and now cleared)");
        layer.enter();
        layer.exit();
        assertFalse(Thread.currentThread().isInterrupted(), "only a swallowed interrupt is restored");
    }

    @Test
    void aFailingNoticeHandlerIsLoggedAndTheCallGoesOn() throws Exception {
        List<String> seen = new ArrayList<>();
        layer.setNoticeHandler(n -> {
            seen.add(n.errorMessage());
            throw new IllegalStateException("handler broke on " + n.errorMessage());
        });
        try (BackendLog log = new BackendLog()) {
            steps.notice("first");
            steps.notice("second");
            steps.flushAnswers.add(0);
            layer.enter();
            try {
                assertTrue(layer.sent(true));
            } finally {
                layer.exit();
            }
            assertEquals(List.of("first", "second"), seen, "every notice reached the handler");
            String text = log.text();
            assertTrue(text.contains("notice handler failed") && text.contains("handler broke on first")
                    && text.contains("handler broke on second"), text);
        }
    }

    @Test
    void anUnreachableUnfinishedConnectionIsFinishedWithAWarning() throws Exception {
        try (BackendLog log = new BackendLog()) {
            FakeSteps leaked = new FakeSteps();
            FakeSteps closed = new FakeSteps();
            FakeSteps failed = new FakeSteps();
            failed.holdsConnection = false;
            dropped(leaked, false);
            dropped(closed, true);
            dropped(failed, false);
            for (int i = 0; i < 100 && (leaked.released.getCount() > 0 || failed.released.getCount() > 0); i++) {
                System.gc();
                leaked.released.await(100, TimeUnit.MILLISECONDS);
            }
            assertTrue(leaked.released.await(0, TimeUnit.SECONDS), "the leaked connection was released");
            assertTrue(failed.released.await(0, TimeUnit.SECONDS), "the failed one too");
            assertEquals(List.of("abort", "release"), leaked.takeCalls());
            assertEquals(1, closed.releases.get(), "a finished connection is released once");
            String text = log.text();
            String warning = "a pqbridge connection was garbage-collected without being closed; close it explicitly";
            assertEquals(1, text.split(warning, -1).length - 1,
                    "one warning: the leaked connection's, not the finished or failed one's: " + text);
        }
    }

    /** Makes a connection over {@code steps}, finishes it or not, and drops every reference. */
    private static void dropped(FakeSteps steps, boolean finish) {
        BlockingLayer layer = new BlockingLayer(new Object(), steps);
        if (finish) {
            layer.finish();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code slice} as a blocking call on another thread; returns once its first slice has begun. */
    private CompletableFuture<Integer> blockedCall(int whenFinished, BlockingLayer.Slice slice)
            throws InterruptedException {
        CountDownLatch inSlice = new CountDownLatch(1);
        CompletableFuture<Integer> call = CompletableFuture.supplyAsync(() -> {
            layer.enter();
            try {
                return layer.repeat(whenFinished, sliceMs -> {
                    inSlice.countDown();
                    return slice.run(sliceMs);
                });
            } finally {
                layer.exit();
            }
        });
        assertTrue(inSlice.await(5, TimeUnit.SECONDS));
        return call;
    }
}

package io.pqbridge.pq.blocking;

import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgNotify;
import io.pqbridge.pq.PgResult;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend for {@link BlockingLayerTest}: scripted answers for flush and awaitResult, events
 * queued by the test, and a record of what the layer called, in order ({@link #calls}).
 * {@link #closeNow()} opens {@link #socketClosed}, which a slice standing for a blocked socket
 * write waits on.
 */
final class FakeSteps implements BackendSteps {

    final Queue<String> calls = new ConcurrentLinkedQueue<>();
    final Queue<Integer> flushAnswers = new ArrayDeque<>();
    final Queue<Integer> resultAnswers = new ArrayDeque<>();
    final Queue<Object> pendingEvents = new ArrayDeque<>();
    final CountDownLatch socketClosed = new CountDownLatch(1);
    final CountDownLatch released = new CountDownLatch(1);
    final AtomicInteger releases = new AtomicInteger();
    volatile boolean holdsConnection = true;
    boolean swallowedInterrupt;

    /** Queues a notice whose message is {@code text}, delivered at the next drain. */
    void notice(String text) {
        pendingEvents.add(PgResult.ofError(PgExecStatus.NONFATAL_ERROR, text));
    }

    void notification(String channel) {
        pendingEvents.add(new PgNotify(channel, 1, ""));
    }

    /** The calls recorded so far, then forgets them. */
    List<String> takeCalls() {
        List<String> taken = List.copyOf(calls);
        calls.clear();
        return taken;
    }

    @Override
    public int flush(int sliceMs) {
        calls.add("flush " + sliceMs);
        return flushAnswers.remove();
    }

    @Override
    public int awaitResult(int sliceMs) {
        calls.add("awaitResult " + sliceMs);
        return resultAnswers.remove();
    }

    @Override
    public int awaitInput(int sliceMs) {
        calls.add("awaitInput " + sliceMs);
        Integer answer = resultAnswers.poll();
        if (answer == null || answer == 0) {
            try {
                Thread.sleep(sliceMs); // a slice with nothing to read lasts its time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }
        return answer;
    }

    @Override
    public void drainEvents(Events events) {
        calls.add("drainEvents");
        Object event;
        while ((event = pendingEvents.poll()) != null) {
            if (event instanceof PgNotify n) {
                events.notification(n);
            } else {
                events.notice((PgResult) event);
            }
        }
    }

    @Override
    public boolean takeInterrupt() {
        boolean swallowed = swallowedInterrupt;
        swallowedInterrupt = false;
        return swallowed;
    }

    @Override
    public void abort() {
        calls.add("abort");
    }

    @Override
    public void closeNow() {
        calls.add("closeNow");
        socketClosed.countDown();
    }

    @Override
    public boolean holdsConnection() {
        return holdsConnection;
    }

    @Override
    public void release() {
        calls.add("release");
        releases.incrementAndGet();
        released.countDown();
    }
}

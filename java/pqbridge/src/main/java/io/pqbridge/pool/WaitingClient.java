package io.pqbridge.pool;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A request queued for a connection (psycopg_pool's {@code WaitingClient}). Its outcome is set
 * once, by compare-and-set: a connection handed over, an error (the pool closed, the thread
 * interrupted), or the request giving up at its deadline. So handing over and giving up cannot
 * cross: a connection offered to a request that already gave up is refused and offered to the next
 * one, never lost. The waiting thread parks on its own and is woken by the one that settles it; it
 * does not retake the pool's lock to learn its outcome, so a hand-over costs one wake-up.
 */
final class WaitingClient {

    private static final Object GAVE_UP = new Object();

    private final Thread thread = Thread.currentThread();
    private final AtomicReference<Object> outcome = new AtomicReference<>();

    /** Hands over {@code entry}; false if the request already has an outcome. */
    boolean give(PoolEntry entry) {
        return settle(entry);
    }

    /** Ends the wait with {@code e}; false if the request already has an outcome. */
    boolean fail(RuntimeException e) {
        return settle(e);
    }

    /** Gives up, unless the request already has an outcome; true if it gave up. */
    boolean cancel() {
        return outcome.compareAndSet(null, GAVE_UP);
    }

    private boolean settle(Object value) {
        if (!outcome.compareAndSet(null, value)) {
            return false;
        }
        LockSupport.unpark(thread);
        return true;
    }

    /**
     * Waits, in the thread that queued the request, until it is settled or {@code nanos} pass:
     * the connection handed over, or null when the time ran out or the thread was interrupted
     * first (the request then has given up). Throws the error it was failed with.
     */
    PoolEntry await(long nanos) {
        long deadline = System.nanoTime() + nanos;
        for (;;) {
            Object value = outcome.get();
            if (value == null) {
                long left = deadline - System.nanoTime();
                if (left > 0 && !Thread.currentThread().isInterrupted()) {
                    LockSupport.parkNanos(this, left);
                    continue;
                }
                if (cancel()) {
                    return null;
                }
                value = outcome.get();
            }
            if (value instanceof PoolEntry entry) {
                return entry;
            }
            throw (RuntimeException) value;
        }
    }
}

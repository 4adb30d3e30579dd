package io.pqbridge.pool;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A request queued for a connection (psycopg_pool's {@code WaitingClient}). It is woken when a
 * connection becomes idle and then takes one like any thread ({@link ConnectionSlots}), or gets an
 * outcome set once, by compare-and-set: a connection handed over (the null pool's way), an error
 * (the pool closed), or the request giving up. So handing over and giving up cannot cross: a
 * connection offered to a request that already gave up is refused and offered to the next one,
 * never lost.
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

    /** Wakes the waiting thread to look for an idle connection. */
    void wake() {
        LockSupport.unpark(thread);
    }

    private boolean settle(Object value) {
        if (!outcome.compareAndSet(null, value)) {
            return false;
        }
        LockSupport.unpark(thread);
        return true;
    }

    /** The connection handed over, or null while there is none; throws the error the request was failed with. */
    PoolEntry outcome() {
        Object value = outcome.get();
        if (value == null || value == GAVE_UP) {
            return null;
        }
        if (value instanceof PoolEntry entry) {
            return entry;
        }
        throw (RuntimeException) value;
    }
}

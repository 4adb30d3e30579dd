package io.pqbridge.pool;

import java.util.concurrent.locks.Condition;

/**
 * A request queued for a connection (psycopg_pool's {@code WaitingClient}). Every field is
 * guarded by the pool's lock, and the request waits on a condition of that lock, so handing over
 * a connection and giving up on a timeout cannot cross: once {@link #give} or {@link #fail}
 * succeeded, the request has its outcome, and a request that timed out first is out of the queue
 * before anyone can give it a connection that would then be lost.
 */
final class WaitingClient {

    final Condition ready;
    PoolEntry given;
    RuntimeException error;

    WaitingClient(Condition ready) {
        this.ready = ready;
    }

    /** Hands over {@code entry}; false if the request already has an outcome. */
    boolean give(PoolEntry entry) {
        if (given != null || error != null) {
            return false;
        }
        given = entry;
        ready.signal();
        return true;
    }

    /** Ends the wait with {@code e}; false if the request already has an outcome. */
    boolean fail(RuntimeException e) {
        if (given != null || error != null) {
            return false;
        }
        error = e;
        ready.signal();
        return true;
    }

    boolean settled() {
        return given != null || error != null;
    }
}

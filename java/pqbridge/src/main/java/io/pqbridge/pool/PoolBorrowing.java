package io.pqbridge.pool;

import io.pqbridge.Connection;
import io.pqbridge.errors.ConnectionTimeout;
import io.pqbridge.errors.OperationalException;
import io.pqbridge.internal.PooledConnections;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How a request gets a connection (psycopg_pool's {@code getconn} path): an idle one at once, else
 * a place in the queue, woken when a connection becomes idle, until it takes one, the deadline
 * passes or the pool closes (see {@link ConnectionSlots}); then the checks before the connection
 * is handed out. A connection idle for a while is first
 * checked without a round trip, and one found broken is replaced while the request takes the next;
 * the {@code check} callback, if any, runs next, and after a connection fails it the request backs
 * off before trying another (at once, then about 1 s, 2 s, ...; psycopg_pool's rule, so that a
 * server that is down is not hammered).
 */
final class PoolBorrowing {

    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long PROBE_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(ConnectionPool.PROBE_AFTER_MS);

    private PoolBorrowing() {
    }

    /**
     * A checked connection lent to the caller, asked for at {@code start}; {@link PoolTimeout}
     * without a message at the deadline.
     */
    static PoolEntry borrow(ConnectionPool pool, long start, long deadline) {
        ReconnectBackoff backoff = null;
        long now = start;
        for (;;) {
            PoolEntry entry = pool.slots.lendIdle();
            if (entry == null) {
                entry = unchecked(pool, deadline);
                now = System.nanoTime();
            }
            Connection conn = entry.conn;
            if (now - entry.idleSince > PROBE_AFTER_NANOS
                    && !PooledConnections.access().usableWithoutRoundTrip(conn)) {
                giveBack(pool, entry);
                now = System.nanoTime();
                continue;
            }
            if (pool.options.check != null) {
                try {
                    pool.options.check.run(conn);
                } catch (Exception e) {
                    PoolMaintenance.log(System.Logger.Level.DEBUG, "connection failed check: {0}", e.toString());
                    giveBack(pool, entry);
                    now = System.nanoTime();
                    if (backoff == null) {
                        backoff = new ReconnectBackoff(deadline - now);
                    } else {
                        backoff.failedAt(now);
                    }
                    if (backoff.timeToGiveUp(now)) {
                        throw new PoolTimeout("");
                    }
                    sleep(backoff.delayNanos());
                    now = System.nanoTime();
                    continue;
                } catch (Error e) {
                    giveBack(pool, entry);
                    throw e;
                }
                now = System.nanoTime();
            }
            if (pool.options.leakDetectionThreshold != null) {
                entry.leakWarning = pool.maintenance.warnLeakLater(entry, Thread.currentThread());
            }
            entry.lentAt = now;
            return entry;
        }
    }

    /** psycopg's {@code _putconn(from_getconn=True)}: a connection not handed out goes back. */
    private static void giveBack(ConnectionPool pool, PoolEntry entry) {
        entry.state.set(PoolEntry.RETURNING);
        pool.maintenance.returnTaken(entry, true);
    }

    /**
     * The rest of psycopg's {@code _getconn_unchecked} when no connection was idle at first look
     * (that look, without a lock, is the caller's): a new connection (the null pool), or one
     * taken or handed over after a wait.
     */
    private static PoolEntry unchecked(ConnectionPool pool, long deadline) {
        if (deadline - System.nanoTime() <= 0) {
            throw new PoolTimeout("");
        }
        WaitingClient client;
        if (pool.opensPerRequest()) {
            pool.lock.lock();
            try {
                pool.checkOpenForRequests();
                client = pool.reserveNewConnection() ? null : queue(pool);
            } finally {
                pool.lock.unlock();
            }
            if (client == null) {
                return connectReserved(pool, deadline);
            }
        } else {
            client = queue(pool);
            if (pool.couldGrow()) {
                pool.lock.lock();
                try {
                    pool.maybeGrow();
                } finally {
                    pool.lock.unlock();
                }
            }
        }
        return await(pool, client, deadline);
    }

    /** Queues a request, unless {@code maxWaiting} requests wait already. */
    private static WaitingClient queue(ConnectionPool pool) {
        WaitingClient client = new WaitingClient();
        int waiting = pool.slots.enqueue(client, pool.options.maxWaiting);
        if (waiting >= 0) {
            pool.counters.increment(PoolCounters.Counter.REQUESTS_ERRORS);
            throw new TooManyRequests("the pool '" + pool.name + "' has already " + waiting + " requests waiting");
        }
        pool.counters.increment(PoolCounters.Counter.REQUESTS_QUEUED);
        return client;
    }

    /**
     * Waits, without the pool's lock, for a connection: woken when one becomes idle (or one is
     * handed over, in the null pool), until the deadline, an interrupt, or the pool's close.
     */
    private static PoolEntry await(ConnectionPool pool, WaitingClient client, long deadline) {
        long start = System.nanoTime();
        try {
            for (;;) {
                PoolEntry given = client.outcome();
                if (given != null) {
                    return given;
                }
                PoolEntry idle = pool.slots.lendIdle();
                if (idle != null) {
                    if (client.cancel()) {
                        leave(pool, client);
                        return idle;
                    }
                    idle.state.set(PoolEntry.RETURNING); // settled meanwhile: its outcome stands
                    pool.release(idle, System.nanoTime());
                    continue;
                }
                if (pool.opensPerRequest() && reserve(pool)) {
                    // a place came free without a connection (another request's connect failed,
                    // or the pool grew): open one here, as a request arriving now would
                    if (client.cancel()) {
                        leave(pool, client);
                        return connectReserved(pool, deadline);
                    }
                    unreserve(pool); // settled meanwhile: its outcome stands
                    continue;
                }
                long left = deadline - System.nanoTime();
                boolean interrupted = Thread.currentThread().isInterrupted();
                if (left <= 0 || interrupted || pool.closed) {
                    if (!client.cancel()) {
                        continue;
                    }
                    leave(pool, client);
                    if (pool.closed) {
                        throw new PoolClosed("the pool '" + pool.name + "' is closed");
                    }
                    if (interrupted) {
                        throw new OperationalException("interrupted while waiting for a connection from pool '"
                                + pool.name + "'; the thread's interrupt flag is kept");
                    }
                    throw new PoolTimeout("");
                }
                // bounded, so that a wake-up lost to a race costs at most this much
                LockSupport.parkNanos(client, Math.min(left, MAX_PARK_NANOS));
                pool.slots.awake();
            }
        } catch (RuntimeException e) {
            pool.counters.increment(PoolCounters.Counter.REQUESTS_ERRORS);
            throw e;
        } finally {
            pool.counters.addMillisSince(PoolCounters.Counter.REQUESTS_WAIT_MS, start);
        }
    }

    /** The request leaves the queue; a wake-up it may have taken goes to the next one. */
    private static void leave(ConnectionPool pool, WaitingClient client) {
        pool.slots.remove(client);
        pool.slots.awake(); // the wake-up in flight may have been this request's
        pool.slots.passOn();
    }

    /** Takes a place for a new connection, under the pool's lock; false when the pool is full. */
    private static boolean reserve(ConnectionPool pool) {
        pool.lock.lock();
        try {
            return !pool.closed && pool.reserveNewConnection();
        } finally {
            pool.lock.unlock();
        }
    }

    /** Gives back a place taken by {@link #reserve} and not used. */
    private static void unreserve(ConnectionPool pool) {
        pool.lock.lock();
        try {
            pool.nconns--;
        } finally {
            pool.lock.unlock();
        }
    }

    /** The null pool's way: the request opens its own connection, within its deadline. */
    private static PoolEntry connectReserved(ConnectionPool pool, long deadline) {
        PoolEntry entry;
        try {
            entry = pool.maintenance.connect(deadline - System.nanoTime());
        } catch (RuntimeException e) {
            unreserve(pool);
            pool.slots.placeFreed(); // a request queued meanwhile may open one now
            if (e instanceof ConnectionTimeout) {
                throw new PoolTimeout(e.getMessage());
            }
            throw e;
        }
        entry.state.set(PoolEntry.LENT);
        return entry;
    }

    private static void sleep(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationalException("interrupted while waiting to retry a connection check; "
                    + "the thread's interrupt flag is kept");
        }
    }
}

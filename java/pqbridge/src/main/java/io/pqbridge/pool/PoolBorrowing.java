package io.pqbridge.pool;

import io.pqbridge.Connection;
import io.pqbridge.errors.ConnectionTimeout;
import io.pqbridge.errors.OperationalException;
import io.pqbridge.internal.PooledConnections;
import java.util.concurrent.TimeUnit;

/**
 * How a request gets a connection (psycopg_pool's {@code getconn} path): an idle one at once, else
 * a place in the queue until a connection is handed over, the deadline passes or the pool closes;
 * then the checks before the connection is handed out. A connection idle for a while is first
 * checked without a round trip, and one found broken is replaced while the request takes the next;
 * the {@code check} callback, if any, runs next, and after a connection fails it the request backs
 * off before trying another (at once, then about 1 s, 2 s, ...; psycopg_pool's rule, so that a
 * server that is down is not hammered).
 */
final class PoolBorrowing {

    private static final long PROBE_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(ConnectionPool.PROBE_AFTER_MS);

    private PoolBorrowing() {
    }

    /** A checked connection lent to the caller; {@link PoolTimeout} without a message at the deadline. */
    static Connection borrow(ConnectionPool pool, long deadline) {
        ReconnectBackoff backoff = null;
        for (;;) {
            PoolEntry entry = unchecked(pool, deadline);
            Connection conn = entry.conn;
            if (System.nanoTime() - entry.idleSince > PROBE_AFTER_NANOS
                    && !PooledConnections.access().usableWithoutRoundTrip(conn)) {
                giveBack(pool, entry);
                continue;
            }
            if (pool.options.check != null) {
                try {
                    pool.options.check.run(conn);
                } catch (Exception e) {
                    PoolMaintenance.log(System.Logger.Level.DEBUG, "connection failed check: {0}", e.toString());
                    giveBack(pool, entry);
                    long now = System.nanoTime();
                    if (backoff == null) {
                        backoff = new ReconnectBackoff(deadline - now);
                    } else {
                        backoff.failedAt(now);
                    }
                    if (backoff.timeToGiveUp(now)) {
                        throw new PoolTimeout("");
                    }
                    sleep(backoff.delayNanos());
                    continue;
                } catch (Error e) {
                    giveBack(pool, entry);
                    throw e;
                }
            }
            if (pool.options.leakDetectionThreshold != null) {
                entry.leakWarning = pool.maintenance.warnLeakLater(entry, Thread.currentThread());
            }
            return conn;
        }
    }

    /** psycopg's {@code _putconn(from_getconn=True)}: a connection not handed out goes back. */
    private static void giveBack(ConnectionPool pool, PoolEntry entry) {
        pool.lock.lock();
        try {
            pool.lent.remove(entry.conn);
        } finally {
            pool.lock.unlock();
        }
        PoolMaintenance m = pool.maintenance;
        if (pool.options.reset != null) {
            m.runReturn(entry, true);
        } else {
            m.returnConnection(entry, true);
        }
    }

    /** psycopg's {@code _getconn_unchecked}: an idle connection, a new one (null pool), or one handed over after a wait. */
    private static PoolEntry unchecked(ConnectionPool pool, long deadline) {
        pool.lock.lock();
        try {
            pool.checkOpenForRequests();
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new PoolTimeout("");
            }
            PoolEntry entry = pool.takeIdle();
            if (entry != null) {
                pool.lent.put(entry.conn, entry);
                return entry;
            }
            if (!pool.reserveNewConnection()) {
                if (pool.options.maxWaiting > 0 && pool.waiting.size() >= pool.options.maxWaiting) {
                    pool.counters.increment(PoolCounters.Counter.REQUESTS_ERRORS);
                    throw new TooManyRequests("the pool '" + pool.name + "' has already " + pool.waiting.size()
                            + " requests waiting");
                }
                return queue(pool, remaining);
            }
        } finally {
            pool.lock.unlock();
        }
        return connectReserved(pool, deadline);
    }

    /** Under the lock: waits in the queue until a connection is handed over, the time is up, or the pool closes. */
    private static PoolEntry queue(ConnectionPool pool, long remaining) {
        WaitingClient client = new WaitingClient(pool.lock.newCondition());
        pool.waiting.addLast(client);
        pool.counters.increment(PoolCounters.Counter.REQUESTS_QUEUED);
        pool.maybeGrow();
        long start = System.nanoTime();
        long left = remaining;
        try {
            while (!client.settled()) {
                if (left <= 0) {
                    pool.waiting.remove(client);
                    client.fail(new PoolTimeout(""));
                    break;
                }
                left = client.ready.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (client.given == null) {
                pool.waiting.remove(client);
                client.fail(new OperationalException("interrupted while waiting for a connection from pool '"
                        + pool.name + "'; the thread's interrupt flag is kept"));
            }
        } finally {
            pool.counters.addMillisSince(PoolCounters.Counter.REQUESTS_WAIT_MS, start);
        }
        if (client.given != null) {
            return client.given;
        }
        pool.counters.increment(PoolCounters.Counter.REQUESTS_ERRORS);
        throw client.error;
    }

    /** The null pool's way: the request opens its own connection, within its deadline. */
    private static PoolEntry connectReserved(ConnectionPool pool, long deadline) {
        PoolEntry entry;
        try {
            entry = pool.maintenance.connect(deadline - System.nanoTime());
        } catch (RuntimeException e) {
            pool.lock.lock();
            try {
                pool.nconns--;
            } finally {
                pool.lock.unlock();
            }
            if (e instanceof ConnectionTimeout) {
                throw new PoolTimeout(e.getMessage());
            }
            throw e;
        }
        pool.lock.lock();
        try {
            pool.lent.put(entry.conn, entry);
        } finally {
            pool.lock.unlock();
        }
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

    /**
     * Throws {@code t} unchanged: a body declared {@code throws E} can only throw an {@code E}, a
     * runtime exception or an error, and the scoped forms catch {@link Throwable} to give the
     * connection back first.
     */
    @SuppressWarnings("unchecked")
    static <E extends Exception> RuntimeException rethrow(Throwable t) throws E {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw (E) t;
    }
}

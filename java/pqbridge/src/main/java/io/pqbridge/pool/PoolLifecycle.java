package io.pqbridge.pool;

import io.pqbridge.errors.OperationalException;
import java.time.Duration;

/**
 * A pool's life cycle (psycopg_pool's {@code open}, {@code wait} and {@code close}): a pool is
 * made closed, opened once, and closed once for good; a closed pool is never opened again
 * (psycopg_pool's rule), so its workers and its books are only ever torn down, never rebuilt.
 *
 * <p>The pool's {@code opened} and {@code closed} change only here, under its lock. {@code closed}
 * is volatile because the borrow and return paths read it without the lock; they tolerate reading
 * it late: {@link #close} sets it before it empties the queues, so a request queued after that is
 * failed by its own look at {@code closed}, a connection lent at the close is closed when it comes
 * back ({@link ConnectionPool#closeOnReturn}), and one made idle while the idle queue is being
 * emptied is caught by {@link ConnectionPool#release}'s second look. No I/O and no wait for the
 * workers happen under the lock.
 *
 * <p>{@link #waitReady} closes the pool when it times out, as psycopg_pool's {@code wait()} does:
 * the caller gives up on the pool, and its workers would otherwise go on retrying connects in the
 * background. What counts as filled, and what starts the filling, are the pool's own
 * ({@link ConnectionPool#filledEnough}, {@link ConnectionPool#requestFillSignal}): the null pool
 * opens one test connection instead.
 */
final class PoolLifecycle {

    private PoolLifecycle() {
    }

    /** {@link ConnectionPool#open()}: starts the workers, which open {@code minSize} connections. */
    static void open(ConnectionPool pool) {
        pool.lock.lock();
        try {
            if (!pool.closed) {
                return;
            }
            if (pool.opened) {
                throw new OperationalException("pool has already been opened/closed and cannot be reused");
            }
            pool.maintenance = new PoolMaintenance(pool);
            pool.closed = false;
            pool.opened = true;
            pool.maintenance.start(pool.nconns);
        } finally {
            pool.lock.unlock();
        }
    }

    /** {@link ConnectionPool#waitReady}: waits for the pool to fill, and closes it on timeout. */
    static void waitReady(ConnectionPool pool, Duration timeout) {
        long nanos = timeout.toNanos();
        pool.lock.lock();
        try {
            pool.checkOpenForRequests();
            if (pool.filledEnough()) {
                return;
            }
            pool.fillWaited = true;
            pool.requestFillSignal();
            try {
                while (!pool.filledEnough() && nanos > 0 && !pool.closed) {
                    nanos = pool.filled.awaitNanos(nanos);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperationalException("interrupted while waiting for pool '" + pool.name + "' to fill");
            } finally {
                pool.fillWaited = false;
            }
            if (pool.filledEnough()) {
                PoolMaintenance.log(System.Logger.Level.DEBUG, "pool ''{0}'' is ready to use", pool.name);
                return;
            }
        } finally {
            pool.lock.unlock();
        }
        String ready = pool.opensPerRequest() ? "the test connection did not open"
                : pool.slots.idleCount() + " of " + pool.minSize + " connections ready";
        String lastError = pool.maintenance.lastConnectError();
        pool.close();
        throw new PoolTimeout("pool initialization incomplete after " + PoolMaintenance.seconds(timeout) + " sec: "
                + ready + (lastError == null ? "" : "; the last attempt to connect failed: " + lastError)
                + "; the pool is closed");
    }

    /**
     * {@link ConnectionPool#close(Duration)}: once; fails the waiting requests, closes the idle
     * connections, then waits up to {@code timeout} for the workers.
     */
    static void close(ConnectionPool pool, Duration timeout) {
        pool.lock.lock();
        try {
            if (pool.closed) {
                return;
            }
            pool.closed = true;
            pool.filled.signalAll();
        } finally {
            pool.lock.unlock();
        }
        PoolMaintenance.log(System.Logger.Level.DEBUG, "pool ''{0}'' closed", pool.name);
        PoolClosed error = new PoolClosed("the pool '" + pool.name + "' is closed");
        for (WaitingClient client : pool.slots.takeAllWaiting()) {
            client.fail(error);
        }
        for (PoolEntry entry : pool.slots.takeAllIdle()) {
            pool.discard(entry);
        }
        pool.maintenance.stop(timeout);
    }
}

package io.pqbridge.pool;

/**
 * A pool that keeps no connection (psycopg_pool's {@code NullConnectionPool}): each request opens
 * a connection of its own, in the requesting thread, and each connection given back is closed,
 * unless a request is waiting for one, which then gets it. The pool's API, limits and callbacks are
 * {@link ConnectionPool}'s, so an application can switch between the two by configuration, for
 * example to run behind an external pooler such as PgBouncer.
 *
 * <p>Sizes: {@code minSize} is always 0; {@code maxSize} 0 (the default) means no limit, else at
 * most that many connections are open at once and further requests queue as in a pool.
 * {@link #waitReady} opens one connection, to check that the database answers, and closes it.
 *
 * <p>Requests open their connections in parallel, outside the pool's lock (psycopg_pool opens
 * them under its lock, one at a time). So a request can queue behind a connect that then fails;
 * it is woken and opens its own connection, as it would have done in psycopg_pool, where it could
 * not have queued behind a connect at all.
 */
public final class NullConnectionPool extends ConnectionPool {

    /** Under the lock: whether {@link #waitReady}'s test connection arrived. */
    private boolean testConnected;

    NullConnectionPool(PoolBuilder options) {
        super(options);
    }

    /**
     * {@return a builder for a null pool connecting with {@code conninfo}}
     *
     * @param conninfo the connection string, as {@link io.pqbridge.Connection#connect(String)} takes it
     */
    public static PoolBuilder builder(String conninfo) {
        return new PoolBuilder(conninfo, true);
    }

    @Override
    int[] checkSize(int min, Integer max) {
        int maxValue = max == null ? 0 : max;
        if (min != 0) {
            throw new IllegalArgumentException("null pools must have minSize = 0");
        }
        if (maxValue < 0) {
            throw new IllegalArgumentException("maxSize must be greater or equal than minSize");
        }
        return new int[] {0, maxValue};
    }

    @Override
    boolean filledEnough() {
        return testConnected;
    }

    @Override
    void requestFillSignal() {
        testConnected = false;
        nconns++; // the test connection counts until it is closed, so that a failed one gives its place back
        maintenance.addConnectionLater();
    }

    @Override
    boolean opensPerRequest() {
        return true;
    }

    @Override
    boolean reserveNewConnection() {
        if (maxSize == 0 || nconns < maxSize) {
            nconns++;
            return true;
        }
        return false;
    }

    /**
     * Closes a returned connection unless a request waits for it. Requests queue under the lock
     * here (a null pool's request queues only when {@code maxSize} connections are open), so the
     * check and the queueing cannot cross.
     */
    @Override
    boolean closeOnReturn(PoolEntry entry) {
        lock.lock();
        try {
            if (!closed && slots.waitingCount() > 0) {
                return false;
            }
            nconns--;
        } finally {
            lock.unlock();
        }
        if (entry.conn.isClosed()) {
            counters.increment(PoolCounters.Counter.RETURNS_BAD);
        }
        discard(entry);
        return true;
    }

    /** To a waiting request, else closed; under the lock, for the reason {@link #closeOnReturn} gives. */
    @Override
    void release(PoolEntry entry, long now) {
        boolean close;
        lock.lock();
        try {
            entry.idleSince = now;
            close = closed || !slots.handOver(entry);
            if (close) {
                nconns--;
                if (fillWaited) {
                    testConnected = true;
                    filled.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
        if (close) {
            discard(entry);
        }
    }

    @Override
    int resizeLocked(int newMin, int newMax) {
        minSize = newMin;
        maxSize = newMax;
        return 0;
    }

    /** Nothing to check: the pool holds no connection. */
    @Override
    public void check() {
        checkOpenForRequests();
    }
}

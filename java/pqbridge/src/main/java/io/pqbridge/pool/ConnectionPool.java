package io.pqbridge.pool;

import io.pqbridge.Connection;
import io.pqbridge.ConnectionBlock;
import io.pqbridge.errors.OperationalException;
import io.pqbridge.internal.PooledConnections;
import io.pqbridge.internal.Rethrowing;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A pool of connections with psycopg_pool's {@code ConnectionPool} semantics, on either backend.
 *
 * <pre>{@code
 * try (ConnectionPool pool = ConnectionPool.builder("dbname=app").minSize(2).maxSize(10).open()) {
 *     long n = pool.connectionResult(conn -> (Long) conn.execute("SELECT count(*) FROM t").fetchOne().get(0));
 * }
 * }</pre>
 *
 * <p>The rules, psycopg_pool's: the pool opens {@code minSize} connections in the background and
 * grows, one connection at a time, up to {@code maxSize} while requests queue. Requests are served
 * first come, first served; an idle connection goes to the thread that gave it back last, else the
 * first idle one is taken.
 * {@link #connection} commits when its body returns and rolls back when it throws, as
 * {@code with pool.connection() as conn:} does, then gives the connection back. A connection that
 * comes back inside a transaction is rolled back; one with a command still running (a COPY left
 * open, a stream not finished) is closed; a broken one is discarded; one past its lifetime is
 * closed; each is replaced, and each decision is logged (logger {@code io.pqbridge.pool}). Every
 * {@code maxIdle}, one connection above {@code minSize} that stayed unused is closed.
 *
 * <p>Checking: a connection idle for more than {@value #PROBE_AFTER_MS} ms is checked before it is
 * handed out without a round trip, by reading what the server already sent (a terminated backend's
 * farewell, the socket's end): one found broken is replaced and the next one tried. The
 * {@code check} callback, when configured, is the round-trip check, psycopg_pool's: a connection
 * failing it is not handed out, and further attempts back off.
 *
 * <p>Implementation: borrowing an idle connection and giving one back take no lock
 * ({@link ConnectionSlots}); a lock guards only the sizes and counts, taken when a request has to wait
 * or the pool grows, shrinks or closes, and never held during I/O. A waiting request parks on its
 * own and is woken by the thread that hands it a connection. The JDK's
 * {@code java.util.concurrent} is the well-kept library under it: no third-party pool fits, since
 * commons-pool hands objects out last-in first-out with its own eviction rules and HikariCP's bag
 * pools JDBC connections only and lets a running thread take a connection before the requests
 * waiting for one, while psycopg_pool's rules (FIFO service, one-at-a-time growth, shrink on idle)
 * are a few lines over these primitives.
 */
public class ConnectionPool implements AutoCloseable {

    /** How long a connection may sit idle before it is checked without a round trip (HikariCP's window). */
    static final long PROBE_AFTER_MS = 500;
    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

    final PoolBuilder options;
    final String name;
    final PoolCounters counters = new PoolCounters();
    final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the idle queue reaches {@code minSize} while {@link #waitReady} waits. */
    final Condition filled = lock.newCondition();
    final ConnectionSlots slots = new ConnectionSlots();
    /** Every open connection of the pool, idle or lent, to find its entry when it comes back. */
    final Map<Connection, PoolEntry> entries = new ConcurrentHashMap<>();

    // guarded by lock
    int minSize;
    volatile int maxSize;
    /** Connections open, lent, idle or being opened (psycopg's {@code _nconns}). */
    volatile int nconns;
    volatile boolean growing;
    volatile boolean fillWaited;
    /** Connections made before this moment are retired when they come back ({@link #drain}). */
    volatile long drainedAt = System.nanoTime();
    /** Set by the first {@link #open}, never cleared: a closed pool is not opened again ({@link PoolLifecycle}). */
    boolean opened;
    volatile boolean closed = true;

    PoolMaintenance maintenance;

    ConnectionPool(PoolBuilder options) {
        this.options = options;
        int[] sizes = checkSize(options.minSize, options.maxSize);
        this.minSize = sizes[0];
        this.maxSize = sizes[1];
        this.nconns = minSize;
        this.name = options.name != null && !options.name.isEmpty() ? options.name
                : "pool-" + POOL_NUMBER.incrementAndGet();
    }

    /**
     * {@return a builder for a pool connecting with {@code conninfo}}
     *
     * @param conninfo the connection string, as {@link Connection#connect(String)} takes it
     */
    public static PoolBuilder builder(String conninfo) {
        return new PoolBuilder(conninfo, false);
    }

    /** psycopg_pool's {@code _check_size}: the sizes, defaulted and checked. */
    int[] checkSize(int min, Integer max) {
        int maxValue = max == null ? min : max;
        if (min < 0) {
            throw new IllegalArgumentException("minSize cannot be negative");
        }
        if (maxValue < min) {
            throw new IllegalArgumentException("maxSize must be greater or equal than minSize");
        }
        if (min == 0 && maxValue == 0) {
            throw new IllegalArgumentException("if minSize is 0 maxSize must be greater than 0");
        }
        return new int[] {min, maxValue};
    }

    /** {@return the pool's name} */
    public String name() {
        return name;
    }

    /** {@return the connections the pool keeps open} */
    public int minSize() {
        lock.lock();
        try {
            return minSize;
        } finally {
            lock.unlock();
        }
    }

    /** {@return the most connections the pool opens} */
    public int maxSize() {
        lock.lock();
        try {
            return maxSize;
        } finally {
            lock.unlock();
        }
    }

    /** {@return the default time a request waits for a connection} */
    public Duration timeout() {
        return options.timeout;
    }

    /** {@return true until the pool is opened, and once it is closed} */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Opens the pool: starts its workers and begins opening {@code minSize} connections in the
     * background. Opening an open pool does nothing; a closed pool cannot be opened again.
     *
     * @throws OperationalException when the pool was opened and closed before
     */
    public void open() {
        PoolLifecycle.open(this);
    }

    /**
     * psycopg_pool's {@code open(wait, timeout)}: opens the pool and, if {@code wait}, waits for it
     * to fill ({@link #waitReady}).
     *
     * @param wait whether to wait for {@code minSize} connections
     * @param timeout how long to wait
     * @throws PoolTimeout when the pool did not fill in time (it is then closed)
     */
    public void open(boolean wait, Duration timeout) {
        open();
        if (wait) {
            waitReady(timeout);
        }
    }

    /**
     * psycopg_pool's {@code wait()}: waits until {@code minSize} connections are open and idle.
     * Not required before use, since the first request is served as soon as a connection is ready;
     * useful to fail at start-up when the database cannot be reached.
     *
     * @param timeout how long to wait
     * @throws PoolTimeout when the pool did not fill in time; the pool is then closed
     * @throws PoolClosed when the pool is not open
     */
    public void waitReady(Duration timeout) {
        PoolLifecycle.waitReady(this, timeout);
    }

    /** Under the lock: whether {@link #waitReady} may return. */
    boolean filledEnough() {
        return slots.idleCount() >= minSize;
    }

    /** Under the lock: what {@link #waitReady} needs done to be woken (the null pool opens a test connection). */
    void requestFillSignal() {
    }

    /**
     * psycopg_pool's {@code getconn()} with the pool's {@code timeout}. The connection must be
     * given back with {@link #putconn}; {@link #connection} does both.
     *
     * @return a connection, lent to the caller until {@link #putconn}
     * @throws PoolTimeout when none could be had in time
     * @throws TooManyRequests when {@code maxWaiting} requests are already waiting
     * @throws PoolClosed when the pool is not open, or closes while the request waits
     */
    public Connection getconn() {
        return getconn(null);
    }

    /**
     * psycopg_pool's {@code getconn(timeout)}.
     *
     * @param timeout how long to wait, or null for the pool's {@code timeout}
     * @return a connection, lent to the caller until {@link #putconn}
     * @throws PoolTimeout when none could be had in time
     * @throws TooManyRequests when {@code maxWaiting} requests are already waiting
     * @throws PoolClosed when the pool is not open, or closes while the request waits
     */
    public Connection getconn(Duration timeout) {
        return borrow(timeout).conn;
    }

    private PoolEntry borrow(Duration timeout) {
        Duration wait = timeout == null ? options.timeout : timeout;
        if (wait.isNegative()) {
            throw new IllegalArgumentException("timeout cannot be negative: " + wait);
        }
        long start = System.nanoTime();
        counters.increment(PoolCounters.Counter.REQUESTS_NUM);
        checkOpenForRequests();
        try {
            return PoolBorrowing.borrow(this, start, start + wait.toNanos());
        } catch (PoolTimeout e) {
            throw new PoolTimeout("couldn't get a connection after " + String.format("%.2f", wait.toNanos() / 1e9)
                    + " sec");
        }
    }

    /**
     * psycopg_pool's {@code putconn()}: gives back a connection from {@link #getconn}. It is
     * rolled back, closed or discarded as its state requires (see the class comment), then handed
     * to the first waiting request or made idle.
     *
     * @param conn the connection
     * @throws IllegalArgumentException when {@code conn} is not lent by this pool (never taken
     *     from it, or given back already)
     */
    public void putconn(Connection conn) {
        PoolEntry entry = entries.get(conn);
        if (takeBack(entry, conn)) {
            maintenance.returnTaken(entry, false);
        }
    }

    /**
     * Takes back {@code entry} (null when {@code conn} is none of the pool's), once: true when it
     * is now the caller's to return, false when the pool is closed and closed it.
     */
    private boolean takeBack(PoolEntry entry, Connection conn) {
        if (entry == null || !entry.state.compareAndSet(PoolEntry.LENT, PoolEntry.RETURNING)) {
            throw new IllegalArgumentException("can't return connection to pool '" + name
                    + "', it was not taken from it or was returned already: " + conn);
        }
        if (entry.leakWarning != null) {
            entry.leakWarning.cancel(false);
            entry.leakWarning = null;
        }
        return !closeOnReturn(entry);
    }

    /** psycopg_pool's {@code _maybe_close_connection}: closes a connection given back to a closed pool. */
    boolean closeOnReturn(PoolEntry entry) {
        if (!closed) {
            return false;
        }
        discard(entry);
        return true;
    }

    /**
     * psycopg_pool's {@code with pool.connection() as conn:} with the pool's {@code timeout}:
     * borrows a connection, runs {@code body}, commits (or rolls back if the body threw), and
     * gives the connection back in any case.
     *
     * @param <E> the checked exception the body may throw
     * @param body what to run on the connection
     * @throws E what the body throws
     * @throws PoolTimeout when no connection could be had in time
     */
    public <E extends Exception> void connection(ConnectionBlock<E> body) throws E {
        connection(null, body);
    }

    /**
     * {@link #connection(ConnectionBlock)} waiting up to {@code timeout} for the connection.
     *
     * @param <E> the checked exception the body may throw
     * @param timeout how long to wait, or null for the pool's {@code timeout}
     * @param body what to run on the connection
     * @throws E what the body throws
     */
    public <E extends Exception> void connection(Duration timeout, ConnectionBlock<E> body) throws E {
        connectionResult(timeout, conn -> {
            body.run(conn);
            return null;
        });
    }

    /**
     * {@link #connection(ConnectionBlock)} returning what the body returns.
     *
     * @param <T> what the body returns
     * @param <E> the checked exception the body may throw
     * @param body what to run on the connection
     * @return the body's result
     * @throws E what the body throws
     */
    public <T, E extends Exception> T connectionResult(ConnectionFunction<T, E> body) throws E {
        return connectionResult(null, body);
    }

    /**
     * {@link #connectionResult(ConnectionFunction)} waiting up to {@code timeout} for the
     * connection.
     *
     * @param <T> what the body returns
     * @param <E> the checked exception the body may throw
     * @param timeout how long to wait, or null for the pool's {@code timeout}
     * @param body what to run on the connection
     * @return the body's result
     * @throws E what the body throws
     */
    public <T, E extends Exception> T connectionResult(Duration timeout, ConnectionFunction<T, E> body) throws E {
        PoolEntry entry = borrow(timeout);
        Connection conn = entry.conn;
        long start = entry.lentAt;
        boolean idle = false;
        try {
            T result;
            try {
                result = body.apply(conn);
            } catch (Throwable t) {
                PooledConnections.access().endScope(conn, t);
                throw Rethrowing.<E>rethrow(t);
            }
            idle = PooledConnections.access().endScope(conn, null);
            return result;
        } finally {
            long end = System.nanoTime();
            if (takeBack(entry, conn)) {
                if (idle && options.reset == null) {
                    maintenance.returnIdle(entry, end); // just seen idle: no second look at the status
                } else {
                    maintenance.returnTaken(entry, false);
                }
            }
            counters.addMillis(PoolCounters.Counter.USAGE_MS, start, end);
        }
    }

    /**
     * psycopg_pool's {@code resize()}: changes the sizes while the pool runs; growing
     * {@code minSize} opens the new connections in the background.
     *
     * @param minSize the new minimum
     * @param maxSize the new maximum, or null for {@code minSize}
     */
    public void resize(int minSize, Integer maxSize) {
        int[] sizes = checkSize(minSize, maxSize);
        int grow;
        PoolMaintenance.log(System.Logger.Level.DEBUG, "resizing ''{0}'' to minSize={1} maxSize={2}", name, sizes[0],
                sizes[1]);
        lock.lock();
        try {
            grow = resizeLocked(sizes[0], sizes[1]);
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < grow; i++) {
            maintenance.addConnectionLater();
        }
    }

    /** Under the lock: applies new sizes, returning how many connections to open. */
    int resizeLocked(int newMin, int newMax) {
        int grow = Math.max(0, newMin - minSize);
        minSize = newMin;
        maxSize = newMax;
        nconns += grow;
        return grow;
    }

    /**
     * psycopg_pool's {@code check()}: checks each idle connection with a round trip
     * ({@link #checkConnection}); a broken or expired one is replaced.
     */
    public void check() {
        maintenance().checkIdle();
    }

    /**
     * psycopg_pool's {@code drain()}: closes every idle connection and opens new ones; connections
     * lent now are closed and replaced when they come back. Useful after changing what
     * {@code configure} sets up.
     */
    public void drain() {
        maintenance().drain();
    }

    private PoolMaintenance maintenance() {
        checkOpenForRequests();
        return maintenance;
    }

    /**
     * psycopg_pool's {@code check_connection}: a check for the {@code check} option, one round
     * trip (an empty statement, in autocommit so no transaction is opened).
     *
     * @param conn the connection to check
     * @throws io.pqbridge.errors.PqException what the round trip raised
     */
    public static void checkConnection(Connection conn) {
        if (conn.isAutocommit()) {
            conn.execute("");
            return;
        }
        conn.setAutocommit(true);
        try {
            conn.execute("");
        } finally {
            conn.setAutocommit(false);
        }
    }

    /**
     * psycopg_pool's {@code get_stats()}: the measures {@code pool_min}, {@code pool_max},
     * {@code pool_size}, {@code pool_available}, {@code requests_waiting}, and the counters
     * {@code requests_num}, {@code requests_queued}, {@code requests_wait_ms},
     * {@code requests_errors}, {@code usage_ms}, {@code returns_bad}, {@code connections_num},
     * {@code connections_ms}, {@code connections_errors}, {@code connections_lost} (every key is
     * present, a counter never bumped at 0).
     *
     * @return the statistics, in that order
     */
    public Map<String, Long> getStats() {
        return stats(false);
    }

    /**
     * psycopg_pool's {@code pop_stats()}: {@link #getStats()}, then the counters restart from 0.
     *
     * @return the statistics
     */
    public Map<String, Long> popStats() {
        return stats(true);
    }

    private Map<String, Long> stats(boolean reset) {
        Map<String, Long> out = new LinkedHashMap<>();
        lock.lock();
        try {
            out.put("pool_min", (long) minSize);
            out.put("pool_max", (long) maxSize);
            out.put("pool_size", (long) nconns);
            out.put("pool_available", (long) slots.idleCount());
            out.put("requests_waiting", (long) slots.waitingCount());
        } finally {
            lock.unlock();
        }
        counters.read(out, reset);
        return out;
    }

    /** psycopg_pool's {@code close(timeout=5)}. */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    /**
     * psycopg_pool's {@code close(timeout)}: the pool stops serving; waiting and later requests
     * fail with {@link PoolClosed}; idle connections are closed now, lent ones when they come back.
     * Waits up to {@code timeout} for the workers to finish what they are doing.
     *
     * @param timeout how long to wait for the workers
     */
    public void close(Duration timeout) {
        PoolLifecycle.close(this, timeout);
    }

    /** psycopg_pool's {@code _check_open_getconn}. */
    final void checkOpenForRequests() {
        if (closed) {
            throw new PoolClosed(opened ? "the pool '" + name + "' is already closed"
                    : "the pool '" + name + "' is not open yet");
        }
    }

    /** Whether each request opens a connection of its own when the limit allows (the null pool's way). */
    boolean opensPerRequest() {
        return false;
    }

    /** A hint read without the lock: whether {@link #maybeGrow} might open a connection. */
    final boolean couldGrow() {
        return nconns < maxSize && !growing;
    }

    /** Under the lock: whether the request opens a connection of its own (the null pool's way). */
    boolean reserveNewConnection() {
        return false;
    }

    /**
     * psycopg's {@code _add_to_pool}: a connection ready for use goes to the request waiting
     * longest, else it becomes idle (as of {@code now}, a {@link System#nanoTime()}); a closed pool
     * closes it.
     */
    void release(PoolEntry entry, long now) {
        if (closed) {
            discard(entry);
            return;
        }
        slots.release(entry, now);
        if (fillWaited) {
            lock.lock();
            try {
                if (filledEnough()) {
                    filled.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
        if (closed) {
            // close() emptied the idle queue before this connection joined it
            for (PoolEntry left : slots.takeAllIdle()) {
                discard(left);
            }
        }
    }

    /** Closes a connection for good: it leaves the pool's books. */
    void discard(PoolEntry entry) {
        entries.remove(entry.conn);
        slots.remove(entry);
        entry.conn.close();
    }

    /** Under the lock: psycopg's {@code _maybe_grow_pool}: opens one more connection if a request waits and room is left. */
    void maybeGrow() {
        if (nconns >= maxSize || growing) {
            return;
        }
        nconns++;
        PoolMaintenance.log(System.Logger.Level.DEBUG, "growing pool ''{0}'' to {1}", name, nconns);
        growing = true;
        maintenance.run(() -> maintenance.addConnection(null, true));
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "['" + name + "'" + (closed ? ", closed" : "") + "]";
    }
}

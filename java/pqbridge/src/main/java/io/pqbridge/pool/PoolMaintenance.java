package io.pqbridge.pool;

import io.pqbridge.Connection;
import io.pqbridge.Conninfo;
import io.pqbridge.TransactionStatus;
import io.pqbridge.errors.OperationalException;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.internal.PooledConnections;
import io.pqbridge.pq.Loggers;
import io.pqbridge.pq.PgTransactionStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool's background work and the rules for connections coming and going (psycopg_pool's
 * maintenance tasks and {@code _connect}, {@code _add_connection}, {@code _return_connection},
 * {@code _reset_connection}, {@code _add_to_pool}, {@code _shrink_pool}). The work runs on
 * {@code numWorkers} daemon threads of one {@link ScheduledThreadPoolExecutor}, which is also the
 * scheduler for retries, the periodic shrink and leak warnings; a task finding the pool closed does
 * nothing, and one that fails is logged, so no failure stops the workers.
 */
final class PoolMaintenance {

    private final ConnectionPool pool;
    private final PoolBuilder options;
    private final String conninfo;
    private final Boolean autocommit;
    private final ScheduledThreadPoolExecutor executor;
    /** The message of the last failed attempt to open a connection, for waitReady's error; null after a success. */
    private volatile String lastConnectError;

    PoolMaintenance(ConnectionPool pool) {
        this.pool = pool;
        this.options = pool.options;
        Map<String, Object> libpqOptions = new LinkedHashMap<>(options.kwargs);
        this.autocommit = (Boolean) libpqOptions.remove("autocommit");
        this.conninfo = libpqOptions.isEmpty() ? options.conninfo : Conninfo.makeConninfo(options.conninfo, libpqOptions);
        AtomicInteger number = new AtomicInteger();
        this.executor = new ScheduledThreadPoolExecutor(options.numWorkers, task -> {
            Thread t = new Thread(task, pool.name + "-worker-" + number.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Opens {@code initial} connections and schedules the shrink, every {@code maxIdle}. */
    void start(int initial) {
        for (int i = 0; i < initial; i++) {
            addConnectionLater();
        }
        long every = options.maxIdle.toNanos();
        executor.scheduleWithFixedDelay(guarded(this::shrink), every, every, TimeUnit.NANOSECONDS);
    }

    /** Runs {@code task} on a worker, unless the pool is closed by then. */
    void run(Runnable task) {
        try {
            executor.execute(guarded(task));
        } catch (RejectedExecutionException e) {
            // the pool closed meanwhile: psycopg_pool drops the task too
        }
    }

    void addConnectionLater() {
        run(() -> addConnection(null, false));
    }

    /**
     * psycopg's {@code _putconn}: returns a connection the pool took back, on a worker when a
     * {@code reset} callback has to run (closed if the workers are gone), else here.
     */
    void returnTaken(PoolEntry entry, boolean fromGetconn) {
        if (options.reset == null) {
            returnConnection(entry, fromGetconn);
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    returnConnection(entry, fromGetconn);
                } catch (RuntimeException e) {
                    pool.discard(entry);
                    log(System.Logger.Level.WARNING, "returning connection {0} failed: {1}", entry.conn, e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            pool.discard(entry);
        }
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            if (pool.closed) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                log(System.Logger.Level.WARNING, "task run in pool ''{0}'' failed: {1}", pool.name, e.toString());
            }
        };
    }

    /**
     * psycopg's {@code _connect}: a new connection, set up as configured. {@code timeoutNanos}
     * above 0 bounds the connect (libpq's {@code connect_timeout}, whole seconds, at least 1).
     */
    PoolEntry connect(long timeoutNanos) {
        pool.counters.increment(PoolCounters.Counter.CONNECTIONS_NUM);
        String target = conninfo;
        if (timeoutNanos > 0) {
            long seconds = Math.max(1, Math.round(timeoutNanos / 1e9));
            target = Conninfo.makeConninfo(conninfo, Map.of("connect_timeout", seconds));
        }
        long start = System.nanoTime();
        Connection conn;
        try {
            conn = Connection.connect(options.backend, target);
        } catch (RuntimeException e) {
            pool.counters.increment(PoolCounters.Counter.CONNECTIONS_ERRORS);
            throw e;
        }
        pool.counters.addMillisSince(PoolCounters.Counter.CONNECTIONS_MS, start);
        try {
            if (autocommit != null) {
                conn.setAutocommit(autocommit);
            }
            if (options.configure != null) {
                options.configure.run(conn);
                TransactionStatus status = conn.info().transactionStatus();
                if (status != TransactionStatus.IDLE) {
                    throw new ProgrammingException("connection left in status " + status + " by configure function "
                            + options.configure + ": discarded");
                }
            }
        } catch (Throwable t) {
            conn.close();
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new OperationalException("the configure function failed: " + t, t);
        }
        long now = System.nanoTime();
        long lifetime = (long) ReconnectBackoff.jitter(options.maxLifetime.toNanos(), -0.05, 0.0);
        PoolEntry entry = new PoolEntry(conn, now, now + lifetime);
        pool.entries.put(conn, entry);
        pool.slots.add(entry);
        return entry;
    }

    /**
     * psycopg's {@code _add_connection}: opens a connection for the pool; on failure retries with
     * backoff until {@code reconnectTimeout}, then gives up on it and calls
     * {@code reconnectFailed}. A growing pool goes on growing while requests wait.
     */
    void addConnection(ReconnectBackoff attempt, boolean growing) {
        long now = System.nanoTime();
        ReconnectBackoff backoff = attempt != null ? attempt : new ReconnectBackoff(options.reconnectTimeout.toNanos());
        PoolEntry entry;
        try {
            entry = connect(0);
        } catch (RuntimeException e) {
            lastConnectError = e.getMessage();
            log(System.Logger.Level.WARNING, "error connecting in ''{0}'': {1}", pool.name, e.getMessage());
            if (backoff.timeToGiveUp(now)) {
                log(System.Logger.Level.WARNING, "reconnection attempt in pool ''{0}'' failed after {1} sec",
                        pool.name, seconds(options.reconnectTimeout));
                pool.lock.lock();
                try {
                    pool.nconns--;
                    if (growing) {
                        pool.growing = false;
                    }
                } finally {
                    pool.lock.unlock();
                }
                reconnectFailed();
            } else {
                backoff.failedAt(now);
                schedule(() -> addConnection(backoff, growing), backoff.delayNanos());
            }
            return;
        }
        lastConnectError = null;
        log(System.Logger.Level.DEBUG, "adding new connection to pool ''{0}''", pool.name);
        pool.release(entry, System.nanoTime());
        if (growing) {
            pool.lock.lock();
            try {
                if (pool.nconns < pool.minSize || (pool.nconns < pool.maxSize && pool.slots.waitingCount() > 0)) {
                    pool.nconns++;
                    log(System.Logger.Level.DEBUG, "growing pool ''{0}'' to {1}", pool.name, pool.nconns);
                    run(() -> addConnection(null, true));
                } else {
                    pool.growing = false;
                }
            } finally {
                pool.lock.unlock();
            }
        }
    }

    private void reconnectFailed() {
        if (options.reconnectFailed == null) {
            return;
        }
        try {
            options.reconnectFailed.accept(pool);
        } catch (RuntimeException e) {
            log(System.Logger.Level.WARNING, "reconnectFailed callback of pool ''{0}'' failed: {1}", pool.name,
                    e.toString());
        }
    }

    private void schedule(Runnable task, long delayNanos) {
        try {
            executor.schedule(guarded(task), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    /**
     * psycopg's {@code _return_connection}: brings a connection back to idle or discards it
     * (broken, expired, or made before a drain), opening a replacement; otherwise it goes to the
     * first waiting request or the idle queue.
     */
    void returnConnection(PoolEntry entry, boolean fromGetconn) {
        Connection conn = entry.conn;
        if (!resetConnection(conn)) {
            if (fromGetconn) {
                pool.counters.increment(PoolCounters.Counter.CONNECTIONS_LOST);
                log(System.Logger.Level.DEBUG, "not serving connection found broken: {0}", conn);
            } else {
                pool.counters.increment(PoolCounters.Counter.RETURNS_BAD);
                log(System.Logger.Level.WARNING, "discarding closed connection: {0}", conn);
            }
            pool.discard(entry);
            addConnectionLater();
            return;
        }
        returnIdle(entry, System.nanoTime());
    }

    /**
     * The rest of {@link #returnConnection} for a connection seen idle at {@code now} with
     * nothing to reset (the scoped form's exit, which has just looked): an expired one is
     * replaced, any other released.
     */
    void returnIdle(PoolEntry entry, long now) {
        if (entry.createdAt - pool.drainedAt <= 0 || now - entry.expireAt >= 0) {
            log(System.Logger.Level.DEBUG, "discarding expired connection: {0}", entry.conn);
            pool.discard(entry);
            addConnectionLater();
            return;
        }
        pool.release(entry, now);
    }

    /**
     * psycopg's {@code _reset_connection}: a returned connection made idle (true), or closed or
     * found broken (false). An idle one without a {@code reset} callback costs one status read.
     */
    private boolean resetConnection(Connection conn) {
        PgTransactionStatus status = PooledConnections.access().transactionStatus(conn);
        switch (status) {
            case IDLE:
                if (options.reset == null) {
                    return true;
                }
                break;
            case UNKNOWN:
                return false;
            case INTRANS, INERROR:
                log(System.Logger.Level.WARNING, "rolling back returned connection: {0}", conn);
                try {
                    conn.rollback();
                } catch (RuntimeException e) {
                    log(System.Logger.Level.WARNING, "rollback failed: {0}: {1}. Discarding connection {2}",
                            e.getClass().getSimpleName(), e.getMessage(), conn);
                    conn.close();
                }
                break;
            case ACTIVE:
                log(System.Logger.Level.WARNING, "closing returned connection (a command is still in progress): {0}",
                        conn);
                conn.close();
                break;
        }
        if (options.reset != null && !conn.isClosed()) {
            try {
                options.reset.run(conn);
                TransactionStatus after = conn.info().transactionStatus();
                if (after != TransactionStatus.IDLE) {
                    throw new ProgrammingException("connection left in status " + after + " by reset function "
                            + options.reset + ": discarded");
                }
            } catch (Exception e) {
                log(System.Logger.Level.WARNING, "error resetting connection: {0}", e.getMessage());
                conn.close();
            }
        }
        return !conn.isClosed();
    }

    /**
     * psycopg's {@code _shrink_pool}, run every {@code maxIdle}: with more than {@code minSize}
     * connections open, closes the one idle longest if it stayed unused the whole interval.
     */
    private void shrink() {
        long since = System.nanoTime() - options.maxIdle.toNanos();
        PoolEntry toClose = null;
        int unused;
        int size;
        pool.lock.lock();
        try {
            unused = pool.slots.idleSince(since);
            if (pool.nconns > pool.minSize && unused > 0) {
                toClose = pool.slots.takeIdleSince(since);
                if (toClose != null) {
                    pool.nconns--;
                }
            }
            size = pool.nconns;
        } finally {
            pool.lock.unlock();
        }
        if (toClose != null) {
            log(System.Logger.Level.DEBUG, "shrinking pool ''{0}'' to {1} because {2} unused connections in the last {3} sec",
                    pool.name, size, unused, seconds(options.maxIdle));
            pool.discard(toClose);
        }
    }

    /** psycopg's {@code check()}: each idle connection checked with a round trip, the broken and expired replaced. */
    void checkIdle() {
        List<PoolEntry> entries = pool.slots.takeAllIdle();
        pool.lock.lock();
        try {
            pool.maybeGrow();
        } finally {
            pool.lock.unlock();
        }
        for (PoolEntry entry : entries) {
            if (System.nanoTime() - entry.expireAt >= 0) {
                log(System.Logger.Level.DEBUG, "discarding expired connection: {0}", entry.conn);
                pool.discard(entry);
                addConnectionLater();
                continue;
            }
            try {
                ConnectionPool.checkConnection(entry.conn);
            } catch (RuntimeException e) {
                pool.counters.increment(PoolCounters.Counter.CONNECTIONS_LOST);
                log(System.Logger.Level.WARNING, "discarding broken connection: {0}", entry.conn);
                pool.discard(entry);
                addConnectionLater();
                continue;
            }
            pool.release(entry, System.nanoTime());
        }
    }

    /** psycopg's {@code drain()}. */
    void drain() {
        pool.drainedAt = System.nanoTime();
        for (PoolEntry entry : pool.slots.takeAllIdle()) {
            pool.discard(entry);
            addConnectionLater();
        }
    }

    /** Schedules the leak warning for a connection lent to {@code borrower} now. */
    Future<?> warnLeakLater(PoolEntry entry, Thread borrower) {
        Throwable takenAt = new Throwable("the connection was taken from pool '" + pool.name + "' here, by thread '"
                + borrower.getName() + "'");
        Duration after = options.leakDetectionThreshold;
        try {
            return executor.schedule(() -> Loggers.pool().log(System.Logger.Level.WARNING,
                    "connection " + entry.conn + " taken from pool '" + pool.name + "' by thread '" + borrower.getName()
                            + "' has not been returned after " + seconds(after)
                            + " sec: a possible leak (the stack shows where it was taken)", takenAt),
                    after.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    /** {@return the message of the last failed attempt to open a connection, or null when the last one succeeded} */
    String lastConnectError() {
        return lastConnectError;
    }

    /** Stops the workers, waiting up to {@code timeout} for running tasks. */
    void stop(Duration timeout) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                log(System.Logger.Level.WARNING, "couldn''t stop the workers of pool ''{0}'' within {1} seconds",
                        pool.name, seconds(timeout));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void log(System.Logger.Level level, String pattern, Object... args) {
        System.Logger logger = Loggers.pool();
        if (logger.isLoggable(level)) {
            logger.log(level, pattern, args);
        }
    }

    /** A duration in seconds as psycopg_pool prints its float timeouts ({@code 30.0}, {@code 0.5}). */
    static String seconds(Duration d) {
        return Double.toString(d.toNanos() / 1e9);
    }
}

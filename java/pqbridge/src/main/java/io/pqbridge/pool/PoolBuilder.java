package io.pqbridge.pool;

import io.pqbridge.ConnectionBlock;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.Pq;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The options of a {@link ConnectionPool} or {@link NullConnectionPool}: psycopg_pool's
 * constructor arguments under their Java names, with its defaults. Each setter checks its value
 * at once; the sizes are checked together by {@link #build()}. A builder may build several pools.
 */
public final class PoolBuilder {

    private static final Duration NO_TIME = Duration.ZERO;

    final boolean nullPool;
    final String conninfo;
    PgBackend backend;
    Map<String, Object> kwargs = Map.of();
    int minSize;
    Integer maxSize;
    String name;
    Duration timeout = Duration.ofSeconds(30);
    int maxWaiting;
    Duration maxLifetime = Duration.ofHours(1);
    Duration maxIdle = Duration.ofMinutes(10);
    Duration reconnectTimeout = Duration.ofMinutes(5);
    Consumer<ConnectionPool> reconnectFailed;
    int numWorkers = 3;
    ConnectionBlock<?> configure;
    ConnectionBlock<?> check;
    ConnectionBlock<?> reset;
    Duration leakDetectionThreshold;

    PoolBuilder(String conninfo, boolean nullPool) {
        this.conninfo = conninfo == null ? "" : conninfo;
        this.nullPool = nullPool;
        this.minSize = nullPool ? 0 : 4;
    }

    /**
     * The backend the pool connects with (default: the JVM's, {@link Pq#backend()}).
     *
     * @param backend the backend
     * @return this builder
     */
    public PoolBuilder backend(PgBackend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
        return this;
    }

    /**
     * psycopg_pool's {@code kwargs}: connection options added to the connection string (libpq
     * keywords, as {@link io.pqbridge.Conninfo#makeConninfo} takes them), and {@code autocommit}
     * (a {@link Boolean}), which each new connection is set to as psycopg's {@code connect} does.
     *
     * @param kwargs the options; null values are left out
     * @return this builder
     */
    public PoolBuilder kwargs(Map<String, ?> kwargs) {
        Object autocommit = kwargs.get("autocommit");
        if (autocommit != null && !(autocommit instanceof Boolean)) {
            throw new IllegalArgumentException("kwargs: autocommit must be a Boolean, not " + autocommit.getClass().getName());
        }
        this.kwargs = new LinkedHashMap<>(kwargs);
        return this;
    }

    /**
     * psycopg_pool's {@code min_size}: the connections the pool keeps open (default 4; 0 and
     * fixed for a {@link NullConnectionPool}).
     *
     * @param minSize at least 0
     * @return this builder
     */
    public PoolBuilder minSize(int minSize) {
        this.minSize = minSize;
        return this;
    }

    /**
     * psycopg_pool's {@code max_size}: the most connections the pool opens when requests queue
     * (default: {@code minSize}; for a {@link NullConnectionPool}, 0 means no limit).
     *
     * @param maxSize at least {@code minSize}, or null for the default
     * @return this builder
     */
    public PoolBuilder maxSize(Integer maxSize) {
        this.maxSize = maxSize;
        return this;
    }

    /**
     * psycopg_pool's {@code name}, shown in logs, thread names and errors (default
     * {@code pool-N}).
     *
     * @param name the name
     * @return this builder
     */
    public PoolBuilder name(String name) {
        this.name = name;
        return this;
    }

    /**
     * psycopg_pool's {@code timeout}: how long a request waits for a connection before
     * {@link PoolTimeout} (default 30 s).
     *
     * @param timeout zero or more
     * @return this builder
     */
    public PoolBuilder timeout(Duration timeout) {
        this.timeout = nonNegative(timeout, "timeout");
        return this;
    }

    /**
     * psycopg_pool's {@code max_waiting}: how many requests may queue before the next is refused
     * with {@link TooManyRequests} (default 0: no limit).
     *
     * @param maxWaiting zero or more
     * @return this builder
     */
    public PoolBuilder maxWaiting(int maxWaiting) {
        if (maxWaiting < 0) {
            throw new IllegalArgumentException("maxWaiting cannot be negative: " + maxWaiting);
        }
        this.maxWaiting = maxWaiting;
        return this;
    }

    /**
     * psycopg_pool's {@code max_lifetime}: a connection older than this (less up to 5%, so that
     * connections opened together do not all close together) is closed when it comes back, and
     * replaced (default 1 hour).
     *
     * @param maxLifetime more than zero
     * @return this builder
     */
    public PoolBuilder maxLifetime(Duration maxLifetime) {
        this.maxLifetime = positive(maxLifetime, "maxLifetime");
        return this;
    }

    /**
     * psycopg_pool's {@code max_idle}: every this often, if connections above {@code minSize}
     * stayed unused all along, one of them is closed (default 10 minutes).
     *
     * @param maxIdle more than zero
     * @return this builder
     */
    public PoolBuilder maxIdle(Duration maxIdle) {
        this.maxIdle = positive(maxIdle, "maxIdle");
        return this;
    }

    /**
     * psycopg_pool's {@code reconnect_timeout}: how long the pool keeps trying, with exponential
     * backoff, to open a connection before it gives up on it and calls {@link #reconnectFailed}
     * (default 5 minutes).
     *
     * @param reconnectTimeout zero or more
     * @return this builder
     */
    public PoolBuilder reconnectTimeout(Duration reconnectTimeout) {
        this.reconnectTimeout = nonNegative(reconnectTimeout, "reconnectTimeout");
        return this;
    }

    /**
     * psycopg_pool's {@code reconnect_failed}: called with the pool when a connection could not
     * be opened within {@code reconnectTimeout} (a throwing callback is logged).
     *
     * @param callback the callback, or null
     * @return this builder
     */
    public PoolBuilder reconnectFailed(Consumer<ConnectionPool> callback) {
        this.reconnectFailed = callback;
        return this;
    }

    /**
     * psycopg_pool's {@code num_workers}: the background threads that open, reset and retire
     * connections (default 3).
     *
     * @param numWorkers at least 1
     * @return this builder
     */
    public PoolBuilder numWorkers(int numWorkers) {
        if (numWorkers < 1) {
            throw new IllegalArgumentException("numWorkers must be at least 1");
        }
        this.numWorkers = numWorkers;
        return this;
    }

    /**
     * psycopg_pool's {@code configure}: run on each new connection before it joins the pool; it
     * must leave the connection idle (outside a transaction), else the connection is discarded.
     *
     * @param configure the callback, or null
     * @return this builder
     */
    public PoolBuilder configure(ConnectionBlock<?> configure) {
        this.configure = configure;
        return this;
    }

    /**
     * psycopg_pool's {@code check}: run on each connection before a request gets it; a connection
     * it throws for is not handed out ({@link ConnectionPool#checkConnection} is a ready-made one,
     * one round trip). Without it, connections are checked only as their own state allows.
     *
     * @param check the callback, or null
     * @return this builder
     */
    public PoolBuilder check(ConnectionBlock<?> check) {
        this.check = check;
        return this;
    }

    /**
     * psycopg_pool's {@code reset}: run in a worker on each returned connection, after a
     * transaction left open was rolled back; it must leave the connection idle, else the connection
     * is discarded.
     *
     * @param reset the callback, or null
     * @return this builder
     */
    public PoolBuilder reset(ConnectionBlock<?> reset) {
        this.reset = reset;
        return this;
    }

    /**
     * A connection borrowed for longer than this is reported as a possible leak, with the stack of
     * the thread that borrowed it, in a warning of the {@code io.pqbridge.pool} logger (HikariCP's
     * {@code leakDetectionThreshold}; psycopg_pool has none). Default: off.
     *
     * @param threshold more than zero, or null for off
     * @return this builder
     */
    public PoolBuilder leakDetectionThreshold(Duration threshold) {
        this.leakDetectionThreshold = threshold == null ? null : positive(threshold, "leakDetectionThreshold");
        return this;
    }

    /**
     * {@return a pool with these options, not open yet}
     *
     * @throws IllegalArgumentException when the sizes do not fit together
     */
    public ConnectionPool build() {
        if (backend == null) {
            backend = Pq.backend();
        }
        return nullPool ? new NullConnectionPool(this) : new ConnectionPool(this);
    }

    /**
     * {@return a pool with these options, opened: it fills in the background}
     *
     * @throws IllegalArgumentException when the sizes do not fit together
     */
    public ConnectionPool open() {
        ConnectionPool pool = build();
        pool.open();
        return pool;
    }

    private static Duration nonNegative(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " cannot be negative: " + d);
        }
        return d;
    }

    private static Duration positive(Duration d, String what) {
        if (nonNegative(d, what).equals(NO_TIME)) {
            throw new IllegalArgumentException(what + " must be more than zero");
        }
        return d;
    }
}

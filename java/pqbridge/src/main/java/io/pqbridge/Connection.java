package io.pqbridge;

import io.pqbridge.adapt.AdaptContext;
import io.pqbridge.errors.CancellationTimeout;
import io.pqbridge.errors.Diagnostic;
import io.pqbridge.errors.NotSupportedException;
import io.pqbridge.errors.OperationalException;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.internal.ComposedQueries;
import io.pqbridge.internal.PooledConnections;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.PgCancel;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgConnStatus;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.Pq;
import io.pqbridge.types.AdaptersMap;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A connection to PostgreSQL with psycopg 3's rules (psycopg's {@code Connection}), on the SPI
 * ({@link PgConn}) of whichever backend made it.
 *
 * <h2>Transactions</h2>
 * Not in autocommit (the default), the first command sent while the connection is IDLE is
 * preceded by {@code BEGIN}; the transaction stays open until {@link #commit()} or
 * {@link #rollback()}. In autocommit every statement commits on its own. {@link #transaction}
 * blocks commit on normal exit and roll back on an exception, nested ones with savepoints
 * ({@link Transaction}).
 *
 * <h2>Threads</h2>
 * A connection may be shared by threads: its operations are serialised by one lock
 * ({@link ConnectionLock}), and a COPY holds it for its whole block, so another thread's command
 * waits for the block to end. The thread that owns an open COPY block cannot use the connection
 * from inside it: that fails at once with a {@link ProgrammingException} (psycopg deadlocks there).
 * {@link #cancel()}, {@link #close()}, {@link #info()}, {@link #isClosed()} and
 * {@link #isBroken()} take no lock and may be called from any thread at any time. Cursors and
 * Copy objects are not thread-safe: one thread uses one at a time.
 */
public final class Connection extends ConnectionSettings implements AutoCloseable {

    static {
        ComposedQueries.installContexts(conn -> SqlTexts.sessionContext((Connection) conn));
        PooledConnections.install(new PoolAccess());
    }

    final PgConn pgconn;
    final ConnectionLock lock = new ConnectionLock(this::isClosed);
    private final PgCancel cancelHandle;
    private final PgBackend backend;
    /** Set by {@link #close()}: a closed connection is not broken. */
    private volatile boolean closedByUser;
    /** psycopg's notice handlers, which the SPI's notice receiver feeds. */
    private final Callbacks<Diagnostic> notices = new Callbacks<>("notice", "addNoticeHandler");
    /** psycopg's {@code conn.adapters}: this connection's registrations, then the global ones. */
    final AdaptersMap adapters = new AdaptersMap(AdaptersMap.global());
    /** {@link SqlTexts#currentContext}'s cache, and the backend's parameter generation it was read at; guarded by {@link #lock}. */
    AdaptContext lastContext;
    long lastContextGeneration = -1;
    /** psycopg's notify handlers and {@code notifies()}, which the SPI's notify receiver feeds. */
    private final Notifications notifications = new Notifications(this);
    /** psycopg's {@code _num_transactions}; guarded by {@link #lock}. */
    int openTransactions;
    /** The open pipeline block, null when none; guarded by the lock. */
    private Pipeline pipeline;
    /** A COPY TO STDOUT left before its end, which keeps the connection busy; guarded by {@link #lock}. */
    Copy unfinishedCopy;
    /** What {@link #trace} writes to. */
    private final ConnectionTrace trace = new ConnectionTrace();

    private Connection(PgConn pgconn, PgBackend backend) {
        this.pgconn = pgconn;
        this.cancelHandle = pgconn.cancelHandle();
        this.backend = backend;
        pgconn.setNoticeHandler(notice -> {
            if (!notices.isEmpty()) {
                notices.dispatch(Diagnostic.of(notice));
            }
        });
        pgconn.setNotifyHandler(notifications::dispatch);
    }

    /**
     * Connects with the JVM's backend ({@link Pq#backend()}); {@code conninfo} is a libpq
     * connection string ({@code key=value} pairs or a {@code postgresql://} URI, {@code PG*}
     * environment defaults, passfile).
     *
     * @param conninfo the connection string; null or empty for the {@code PG*} environment
     *     variables' and libpq's defaults
     * @return the open connection, its client encoding UTF-8
     * @throws ProgrammingException when the connection string is malformed, with libpq's message,
     *     or contains a NUL character
     * @throws OperationalException "connection failed: ..." with libpq's message
     * @throws io.pqbridge.pq.BackendUnavailableException when no backend can be loaded
     */
    public static Connection connect(String conninfo) {
        return connect(Pq.backend(), conninfo);
    }

    /**
     * Connects with the given backend, whatever the JVM's choice (tests, crash comparisons);
     * otherwise as {@link #connect(String)}.
     *
     * @param backend the backend to connect with
     * @param conninfo the connection string; null or empty for the {@code PG*} environment
     *     variables' and libpq's defaults
     * @return the open connection, its client encoding UTF-8
     * @throws ProgrammingException when the connection string is malformed or contains a NUL
     *     character
     * @throws NotSupportedException when it names an option of a newer libpq than the backend's
     *     (for example {@code require_auth}, libpq 16, on libpq 15), naming both versions
     * @throws OperationalException "connection failed: ..." with libpq's message
     */
    public static Connection connect(PgBackend backend, String conninfo) {
        PgConn pgconn = ConnectionOpening.open(backend, conninfo);
        Connection conn = new Connection(pgconn, backend);
        try {
            ConnectionOpening.useUtf8(conn);
            conn.trace.startRequested(pgconn);
        } catch (RuntimeException e) {
            pgconn.finish();
            throw e;
        }
        return conn;
    }

    /**
     * psycopg's {@code with connect(...) as conn:}. Runs {@code body}, then: on normal exit commits
     * and closes; if the commit fails the error propagates and the connection is <b>not</b> closed
     * (psycopg's rule; the caller still owns it). On an exception it rolls back (a failure there is
     * logged and ignored), closes, and rethrows the body's exception. A connection the body closed
     * is left alone.
     *
     * @param <E> the checked exception the body may throw
     * @param conninfo the connection string, as {@link #connect(String)} takes it
     * @param body what to run on the connection
     * @throws E what the body throws
     */
    public static <E extends Exception> void connect(String conninfo, ConnectionBlock<E> body) throws E {
        connect(Pq.backend(), conninfo, body);
    }

    /**
     * {@link #connect(String, ConnectionBlock)} with the given backend.
     *
     * @param <E> the checked exception the body may throw
     * @param backend the backend to connect with
     * @param conninfo the connection string, as {@link #connect(String)} takes it
     * @param body what to run on the connection
     * @throws E what the body throws
     */
    public static <E extends Exception> void connect(PgBackend backend, String conninfo, ConnectionBlock<E> body)
            throws E {
        ConnectionOpening.runScoped(connect(backend, conninfo), body);
    }

    /**
     * Connects with the JVM's backend to what {@code params} describe (psycopg's
     * {@code connect(**kwargs)}): the keywords of a connection string, each value quoted as libpq
     * parses it ({@link Conninfo#makeConninfo}), so that no caller builds one by hand.
     *
     * @param params libpq keywords ({@code host}, {@code dbname}, {@code application_name}...) and
     *     their values, written with {@link String#valueOf}; null values are left out
     * @throws ProgrammingException for an unknown keyword, with libpq's message
     */
    public static Connection connect(Map<String, ?> params) {
        return connect(Conninfo.makeConninfo("", params));
    }

    /**
     * {@return the name of the backend this connection runs on: {@code "native"} or {@code "java"}}
     */
    public String backend() {
        return backend.name();
    }

    /**
     * {@return a new cursor on this connection}
     *
     * @throws OperationalException when the connection is closed
     */
    public Cursor cursor() {
        checkConnectionOk();
        return new Cursor(this, false);
    }

    /**
     * {@return a new cursor whose results come in binary format when {@code binary} (psycopg's
     * {@code conn.cursor(binary=True)}): less work for the server and the client on numbers,
     * timestamps and byte strings, the same Java values}
     *
     * @param binary true for binary results
     * @throws OperationalException when the connection is closed
     */
    public Cursor cursor(boolean binary) {
        checkConnectionOk();
        return new Cursor(this, binary);
    }

    /**
     * {@return a new cursor whose rows {@code rowFactory} makes (psycopg's
     * {@code conn.cursor(row_factory=...)}); see {@link RowFactories}}
     *
     * @param <R> what a row becomes
     * @param rowFactory makes the rows
     */
    public <R> RowCursor<R> cursor(RowFactory<R> rowFactory) {
        return new RowCursor<>(cursor(), rowFactory);
    }

    /**
     * {@return this connection with {@code rowFactory} for every cursor made from the handle
     * (psycopg's {@code row_factory} on the connection); see {@link RowConnection}}
     *
     * @param <R> what a row becomes
     * @param rowFactory makes the rows
     */
    public <R> RowConnection<R> withRowFactory(RowFactory<R> rowFactory) {
        return new RowConnection<>(this, rowFactory);
    }

    /**
     * {@return a new server-side cursor named {@code name} (psycopg's {@code conn.cursor(name)});
     * see {@link ServerCursor}}
     *
     * @param name the cursor's name on the server
     * @throws OperationalException when the connection is closed
     */
    public ServerCursor cursor(String name) {
        return cursor(name, false, null, false);
    }

    /**
     * {@return a new server-side cursor named {@code name} whose rows {@code rowFactory} makes
     * (psycopg's {@code conn.cursor(name, row_factory=...)}); see {@link RowServerCursor}}
     *
     * @param <R> what a row becomes
     * @param name the cursor's name on the server
     * @param rowFactory makes the rows
     */
    public <R> RowServerCursor<R> cursor(String name, RowFactory<R> rowFactory) {
        return new RowServerCursor<>(cursor(name), rowFactory);
    }

    /**
     * {@return a new server-side cursor (psycopg's {@code conn.cursor(name, binary=, scrollable=,
     * withhold=)}); see {@link ServerCursor}}
     *
     * @param name the cursor's name on the server
     * @param binary true to fetch rows in binary format
     * @param scrollable true for {@code SCROLL}, false for {@code NO SCROLL}, null for the server's default
     * @param withhold true for {@code WITH HOLD}: the cursor outlives its transaction's commit
     * @throws OperationalException when the connection is closed
     */
    public ServerCursor cursor(String name, boolean binary, Boolean scrollable, boolean withhold) {
        checkConnectionOk();
        return new ServerCursor(this, name, binary, scrollable, withhold);
    }

    /**
     * Runs {@code sql} on a new cursor; see {@link Cursor#execute(String, Object...)}.
     *
     * @param sql the statement, parameters written {@code %s}
     * @param params the parameters' values; none for the simple protocol
     * @return the new cursor, holding the results
     */
    public Cursor execute(String sql, Object... params) {
        return cursor().execute(sql, params);
    }

    /**
     * Runs {@code sql} with named parameters on a new cursor; see
     * {@link Cursor#execute(String, Map)}.
     *
     * @param sql the statement, parameters written {@code %(name)s}
     * @param params the parameters' values by name
     * @return the new cursor, holding the results
     */
    public Cursor execute(String sql, Map<String, ?> params) {
        return cursor().execute(sql, params);
    }

    /**
     * Runs SQL composed from parts on a new cursor ({@link Cursor#execute(Query, Object...)}).
     *
     * @param query the statement
     * @param params the values of its {@link io.pqbridge.sql.Placeholder}s, in order
     * @return the cursor, its first result current
     */
    public Cursor execute(Query query, Object... params) {
        return cursor().execute(query, params);
    }

    /**
     * Runs {@code sql} on a new cursor, choosing whether it is prepared; see
     * {@link Cursor#execute(String, Object[], boolean)}.
     *
     * @param sql the statement, parameters written {@code %s}
     * @param params the parameters' values; null or empty for none
     * @param prepare whether to run it as a prepared statement
     * @return the new cursor, holding the results
     */
    public Cursor execute(String sql, Object[] params, boolean prepare) {
        return cursor().execute(sql, params, prepare);
    }

    /**
     * Commits the open transaction; does nothing when none is open (status IDLE). Committing a
     * failed transaction (INERROR) is no error: the server rolls it back and the status becomes IDLE.
     *
     * @throws ProgrammingException inside a {@link #transaction} block
     */
    public void commit() {
        transactions.commit(this);
    }

    /**
     * Rolls back the open transaction; does nothing when none is open.
     *
     * @throws ProgrammingException inside a {@link #transaction} block
     */
    public void rollback() {
        transactions.rollback(this);
    }

    /**
     * Calls {@code handler} with every notice the server sends from now on (psycopg's
     * {@code add_notice_handler}), on the thread whose call received it, in the order handlers
     * were added. A handler that throws is logged; the others still run and the connection is
     * not affected. A handler must not use this connection.
     */
    public void addNoticeHandler(Consumer<Diagnostic> handler) {
        notices.add(handler);
    }

    /**
     * Stops calling a handler added with {@link #addNoticeHandler} (psycopg's
     * {@code remove_notice_handler}).
     *
     * @throws IllegalArgumentException when it is not registered
     */
    public void removeNoticeHandler(Consumer<Diagnostic> handler) {
        notices.remove(handler);
    }

    /**
     * {@return this connection's dumpers, loaders and types (psycopg's {@code conn.adapters})}:
     * registrations here are for this connection only and come before the global ones
     * ({@link AdaptersMap#global()}) and the built-in conversions, from the next statement on
     */
    public AdaptersMap adapters() {
        return adapters;
    }

    /**
     * Adds a handler for the notifications that arrive during other work on this connection
     * (psycopg's {@code add_notify_handler}), after those already added. A handler runs on the
     * thread whose call received the notification, with the connection held: it cannot use the
     * connection, and one that throws is logged without breaking the call. While a handler is
     * registered, only a waiting {@link #notifies} also receives notifications.
     *
     * @param handler called with each {@link Notify}
     */
    public void addNotifyHandler(Consumer<Notify> handler) {
        notifications.add(handler);
    }

    /**
     * Removes a handler added with {@link #addNotifyHandler} (psycopg's
     * {@code remove_notify_handler}).
     *
     * @param handler the handler, as added
     * @throws IllegalArgumentException when it is not registered
     */
    public void removeNotifyHandler(Consumer<Notify> handler) {
        notifications.remove(handler);
    }

    /**
     * The notifications of the channels this session LISTENs on, as they arrive (psycopg's
     * {@code notifies(timeout=, stop_after=)}): those received earlier first, then the stream
     * waits on the socket, without polling. It ends after {@code stopAfter} notifications (any
     * more stay queued for the next call), when {@code timeout} has passed, when another thread
     * calls {@link #cancel()} or {@link #close()}, or when the waiting thread is interrupted (each
     * seen within 100 ms). Between two waits other threads may use the connection. Notifications
     * are delivered between transactions; LISTEN in autocommit, or commit it.
     *
     * @param timeout how long to wait in all; null waits until another end condition
     * @param stopAfter the most notifications to return; null for no limit
     * @return the notifications, read lazily
     * @throws IllegalArgumentException for a negative timeout or count
     * @throws OperationalException while reading, when the connection is lost ("consuming input
     *     failed: ...") or a command is still running on it
     * @throws ProgrammingException while reading, inside a pipeline block
     */
    public Stream<Notify> notifies(Duration timeout, Integer stopAfter) {
        return notifications.stream(timeout, stopAfter);
    }

    /**
     * Runs {@code body} in a transaction block (psycopg's {@code with conn.transaction():}): commit
     * on normal exit, rollback on an exception, which then propagates unless it is a
     * {@link Rollback} targeting this block. A block opened while a transaction is already open
     * uses a savepoint named {@code _pg3_<n>} (n = the nesting level).
     *
     * @param <E> the checked exception the body may throw
     * @param body what to run in the block
     * @throws E what the body throws
     */
    public <E extends Exception> void transaction(TransactionBlock<E> body) throws E {
        transaction(null, false, body);
    }

    /**
     * {@link #transaction(TransactionBlock)} with a savepoint of this name (quoted as an
     * identifier).
     *
     * @param <E> the checked exception the body may throw
     * @param savepointName the savepoint's name; null for the automatic one
     * @param body what to run in the block
     * @throws E what the body throws
     */
    public <E extends Exception> void transaction(String savepointName, TransactionBlock<E> body) throws E {
        transaction(savepointName, false, body);
    }

    /**
     * {@link #transaction(TransactionBlock)} with a savepoint name and {@code forceRollback}.
     *
     * @param <E> the checked exception the body may throw
     * @param savepointName the savepoint's name; null for the automatic one
     * @param forceRollback true to roll back even on normal exit
     * @param body what to run in the block
     * @throws E what the body throws
     */
    public <E extends Exception> void transaction(String savepointName, boolean forceRollback,
            TransactionBlock<E> body) throws E {
        transactionResult(savepointName, forceRollback, tx -> {
            body.run(tx);
            return null;
        });
    }

    /**
     * {@link #transaction(TransactionBlock)} returning the body's value.
     *
     * @param <T> the body's result
     * @param <E> the checked exception the body may throw
     * @param body what to run in the block
     * @return the body's value; null when a {@link Rollback} targeting this block ended it
     * @throws E what the body throws
     */
    public <T, E extends Exception> T transactionResult(TransactionFunction<T, E> body) throws E {
        return transactionResult(null, false, body);
    }

    /**
     * {@link #transactionResult(TransactionFunction)} with a savepoint name.
     *
     * @param <T> the body's result
     * @param <E> the checked exception the body may throw
     * @param savepointName the savepoint's name; null for the automatic one
     * @param body what to run in the block
     * @return the body's value; null when a {@link Rollback} targeting this block ended it
     * @throws E what the body throws
     */
    public <T, E extends Exception> T transactionResult(String savepointName, TransactionFunction<T, E> body)
            throws E {
        return transactionResult(savepointName, false, body);
    }

    /**
     * {@link #transactionResult(TransactionFunction)} with a savepoint name and
     * {@code forceRollback}.
     *
     * @param <T> the body's result
     * @param <E> the checked exception the body may throw
     * @param savepointName the savepoint's name; null for the automatic one
     * @param forceRollback true to roll back even on normal exit
     * @param body what to run in the block
     * @return the body's value; null when a {@link Rollback} targeting this block ended it
     * @throws E what the body throws
     */
    public <T, E extends Exception> T transactionResult(String savepointName, boolean forceRollback,
            TransactionFunction<T, E> body) throws E {
        if (pipelineInProgress() != null) {
            return Pipeline.transaction(this, savepointName, forceRollback, body);
        }
        return Transaction.run(this, savepointName, forceRollback, body);
    }

    /**
     * Opens a pipeline block (psycopg's {@code with conn.pipeline() as p:}), best in a
     * try-with-resources statement: statements are sent without waiting for each other's results
     * until it is closed; see {@link Pipeline} for the rules. Inside an open block this opens a
     * nested one (after a sync of what is queued).
     *
     * @return the block, to close
     */
    public Pipeline pipeline() {
        return Pipeline.open(this);
    }

    /**
     * Runs {@code body} in a pipeline block, closed (synced, and pipeline mode left) however the body
     * ends; see {@link #pipeline()}.
     *
     * @param <E> the checked exception the body may throw
     * @param body what to run in the block
     * @throws E what the body throws (a failure to close is then attached to it, suppressed)
     */
    public <E extends Exception> void pipeline(PipelineBlock<E> body) throws E {
        try (Pipeline block = pipeline()) {
            body.run(block);
        }
    }

    /**
     * Asks the server to cancel the command in progress (psycopg's {@code cancel()}). Takes no lock:
     * meant to be called from another thread while one is blocked in a query or a COPY. The
     * interrupted command then fails with {@code QueryCanceled}; if nothing is running the server
     * ignores the request. A {@link #notifies} waiting in another thread ends. Does nothing on a
     * closed connection.
     *
     * @throws OperationalException "cancel failed: ..." when the request could not be delivered
     */
    public void cancel() {
        notifications.wakeUp();
        if (!isClosed() && cancelHandle != null) {
            CancelRequests.cancel(cancelHandle);
        }
    }

    /** {@link #cancelSafe(Duration)} with psycopg's default bound, 30 seconds. */
    public void cancelSafe() {
        cancelSafe(Duration.ofSeconds(30));
    }

    /**
     * Asks the server to cancel the command in progress, waiting at most {@code timeout} for the
     * request to be delivered (psycopg's {@code cancel_safe}): libpq 17's cancel connection driven
     * with a deadline on the native backend (on an older libpq, {@link #cancel()} on a helper
     * thread waited for at most the timeout), the same on the java backend's own socket. As with
     * {@link #cancel()}, delivery does not mean the server cancelled anything.
     *
     * @param timeout how long to wait for the request to be delivered
     * @throws CancellationTimeout "cancellation timeout expired" when it was not delivered in time
     *     (the server may be unreachable; the connection itself is left as it was)
     * @throws OperationalException "cancellation failed: ..." when it could not be delivered
     */
    public void cancelSafe(Duration timeout) {
        if (!isClosed() && cancelHandle != null) {
            CancelRequests.cancelSafe(cancelHandle, timeout);
        }
    }

    /**
     * Writes this connection's protocol messages from now on to {@code file} (appended), a line
     * each in libpq's {@code PQtrace} format with timestamps; the native backend's libpq writes
     * them, the java backend the same lines. Replaces an earlier trace; {@link #untrace} or
     * {@link #close} closes the file. Takes no lock. To trace every connection of a program
     * without changing it, name a directory in the system property {@code pqbridge.trace.dir}
     * (or {@code PQBRIDGE_TRACE_DIR}): each connection then writes its own file there.
     *
     * @throws OperationalException when the file cannot be opened for appending, or the backend
     *     cannot set a trace up (the connection is left as it was)
     */
    public void trace(Path file) {
        trace.start(pgconn, file);
    }

    /** {@link #trace(Path)} into {@code out}, never closed here; a failed write ends the trace, as there. */
    public void trace(OutputStream out) {
        trace.start(pgconn, out);
    }

    /** Ends {@link #trace}: everything traced has been written when this returns. */
    public void untrace() {
        trace.stop(pgconn);
    }

    /** {@return the properties of the connection, read when asked; see {@link ConnectionInfo}} */
    public ConnectionInfo info() {
        return new ConnectionInfo(pgconn, backend);
    }

    /** {@return true once the connection is closed or broken} */
    public boolean isClosed() {
        return pgconn.status() == PgConnStatus.BAD;
    }

    /**
     * {@return true when the connection is closed without {@link #close()}: the server or the
     * network ended it}
     */
    public boolean isBroken() {
        return isClosed() && !closedByUser;
    }

    /**
     * Closes the connection; idempotent, takes no lock. A command blocked in another thread then
     * fails. A broken connection stays {@link #isBroken() broken}.
     */
    @Override
    public void close() {
        if (!isClosed()) {
            closedByUser = true;
        }
        pgconn.finish();
        trace.stop(pgconn);
    }

    @Override
    public String toString() {
        return "Connection" + ConnectionInfo.summary(pgconn);
    }

    // ---- the building blocks of every operation; callers hold the lock ----

    /** psycopg's socket check in {@code wait()}: every exchange with the server starts here. */
    void checkOpen() {
        if (pgconn.isFinished()) {
            throw new OperationalException("the connection is closed");
        }
        if (pgconn.status() != PgConnStatus.OK) {
            throw new OperationalException("the connection is lost");
        }
    }

    /** psycopg's {@code _check_connection_ok}. */
    void checkConnectionOk() {
        if (pgconn.status() != PgConnStatus.OK) {
            throw new OperationalException("the connection is closed");
        }
    }

    /** {@return the open pipeline block, null when none} Lock held. */
    Pipeline pipelineInProgress() {
        return pipeline;
    }

    /** Makes {@code block} the open pipeline block; null when the outermost one ended. Lock held. */
    void pipelineInProgress(Pipeline block) {
        pipeline = block;
    }

    /**
     * Runs one internal command (BEGIN, COMMIT, SAVEPOINT...) with the simple protocol and checks
     * its single result (psycopg's {@code _exec_command}); in a pipeline, queues it and returns null.
     */
    PgResult execCommand(String command) {
        if (pipeline != null) {
            pipeline.command(command); // checked at the next sync
            return null;
        }
        checkConnectionOk();
        Sending.query(this, command);
        return ResultReading.commandResult(pgconn, command, ResultReading.fetch(pgconn));
    }
}

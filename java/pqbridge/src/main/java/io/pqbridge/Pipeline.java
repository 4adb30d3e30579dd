package io.pqbridge;

import io.pqbridge.errors.Errors;
import io.pqbridge.errors.OperationalException;
import io.pqbridge.errors.PipelineAborted;
import io.pqbridge.pq.Loggers;
import io.pqbridge.pq.PgConnStatus;
import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgPipelineStatus;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.PgTransactionStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A pipeline block on a {@link Connection} (psycopg's {@code Pipeline}): while it is open, each
 * statement is sent at once and its results are read later, so a batch of statements costs one
 * round trip instead of one each. Open it with {@link Connection#pipeline(PipelineBlock)} or, in
 * a try-with-resources block, {@link Connection#pipeline()}.
 *
 * <p>Rules, as in psycopg:
 * <ul>
 * <li>{@code execute} returns at once; the cursor's results (rows, {@code rowCount}, the status
 *     message) are read when first asked for: a flush request goes out and the results arriving
 *     before the cursor's own are read and handed to their cursors.</li>
 * <li>{@link #sync()} (and the end of the block) ends a unit of work: everything sent is answered
 *     and, outside a transaction block, committed; an error there is raised.</li>
 * <li>An error aborts the rest of the pipeline up to the next sync: the statement that failed
 *     raises the server's error when its cursor's results are fetched, or at the sync if nobody
 *     fetched them; each statement the server skipped raises {@link PipelineAborted} when its
 *     results are fetched (never another statement's error, never "no result available"). In
 *     autocommit, the statements up to a sync form one implicit transaction: an error rolls them
 *     all back.</li>
 * <li>Outside autocommit the first statement opens a transaction and syncs at once (so the
 *     transaction is known to be open); {@link Connection#commit()} and {@link Connection#rollback()}
 *     sync; a {@link Connection#transaction} block inside a pipeline syncs at its start and end.</li>
 * <li>Blocks nest: an inner block syncs what is queued on entry and syncs at its end; pipeline
 *     mode ends with the outermost block.</li>
 * <li>COPY, {@link Cursor#stream} and server-side cursors are refused inside a pipeline with a
 *     {@link io.pqbridge.errors.NotSupportedException}, before anything is sent.</li>
 * </ul>
 *
 * <p>Memory stays bounded whatever the size of a batch: past {@value #MAX_IN_FLIGHT} commands in
 * flight, the oldest results are read before more are sent.
 *
 * <p>Threads: like every operation, each call here takes the connection's lock; the pipeline is
 * the connection's, so another thread's statements join it while it is open.
 */
public final class Pipeline implements AutoCloseable {

    /** Commands sent and not yet answered past which results are read before sending more. */
    static final int MAX_IN_FLIGHT = 4096;
    /** How many commands stay in flight after such a read: the server keeps working meanwhile. */
    private static final int DRAIN_TO = MAX_IN_FLIGHT / 2;

    private final Connection conn;
    /** Commands sent whose results are not read yet, oldest first: libpq's queue, one to one. */
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    /** Error results read and not yet raised by a cursor, oldest first; a sync raises the first. */
    private final ArrayDeque<PgResult> unreported = new ArrayDeque<>();
    private int level;
    /** A flush request (or a sync) went out after the newest command. */
    private boolean flushed = true;

    /** What a queued command is, which decides where its results go. */
    enum Kind {
        /** A sync point: its one result is PIPELINE_SYNC. */
        SYNC,
        /** An internal command (BEGIN, COMMIT, SAVEPOINT, DEALLOCATE ALL): its error is raised at the sync. */
        COMMAND,
        /** The Parse of a statement prepared on the way: its error is the statement's. */
        PARSE,
        /** A cursor's statement: its results go to the cursor. */
        EXECUTE,
        /** The Close of a prepared statement the cache let go of. */
        CLOSE
    }

    /** One command in flight. */
    static final class Entry {
        final Kind kind;
        final Cursor cursor;
        /** The command's text (COMMAND) or the statement's name (CLOSE), for the record. */
        final String what;
        final PreparedStatements.Sent sent;
        /** PARSE: the execution that follows it. */
        Entry execution;
        /** EXECUTE: the error of its Parse, which stands for its results. */
        PgResult parseError;
        boolean done;

        Entry(Kind kind, Cursor cursor, String what, PreparedStatements.Sent sent) {
            this.kind = kind;
            this.cursor = cursor;
            this.what = what;
            this.sent = sent;
        }
    }

    Pipeline(Connection conn) {
        this.conn = conn;
    }

    /**
     * Sends a sync and reads every result up to it (psycopg's {@code Pipeline.sync()}); then
     * raises the first error no cursor raised yet.
     *
     * @throws io.pqbridge.errors.DatabaseException the first statement error of the batch that no
     *     cursor fetched
     * @throws io.pqbridge.errors.InterfaceException once the block is closed
     */
    public void sync() {
        conn.lock.acquire();
        try {
            checkOpenBlock();
            conn.checkOpen();
            syncHeld(true);
        } finally {
            conn.lock.release();
        }
    }

    /** {@return whether the connection is in pipeline mode, and aborted by an error since the last sync} */
    public PgPipelineStatus status() {
        return conn.pgconn.pipelineStatus();
    }

    /**
     * Ends this block (psycopg's {@code __exit__}): syncs, then, at the outermost level, leaves
     * pipeline mode. Idempotent.
     *
     * @throws io.pqbridge.errors.DatabaseException the first statement error of the batch that no
     *     cursor fetched (pipeline mode is left all the same)
     */
    @Override
    public void close() {
        conn.lock.acquire();
        try {
            if (level == 0) {
                return;
            }
            level--;
            RuntimeException failure = null;
            try {
                if (conn.pgconn.status() == PgConnStatus.OK) {
                    syncHeld(true);
                }
            } catch (RuntimeException e) {
                failure = e;
            }
            if (level == 0) {
                failure = leave(failure);
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            conn.lock.release();
        }
    }

    @Override
    public String toString() {
        return "Pipeline" + (level == 0 ? "[closed] " : "[" + status() + "] ") + ConnectionInfo.summary(conn.pgconn);
    }

    // ---- used by the connection and its cursors, the connection's lock held ----

    /**
     * {@link Connection#pipeline()}: enters the connection's pipeline block, opening it (or a
     * nested level of the open one).
     */
    static Pipeline open(Connection conn) {
        conn.lock.acquire();
        try {
            conn.checkOpen();
            Pipeline block = conn.pipelineInProgress() != null ? conn.pipelineInProgress() : new Pipeline(conn);
            block.enter();
            conn.pipelineInProgress(block);
            return block;
        } finally {
            conn.lock.release();
        }
    }

    /** Opens one more level (psycopg's {@code _enter_gen}). */
    void enter() {
        if (level == 0) {
            if (!conn.pgconn.enterPipelineMode()) {
                throw Sending.failed(conn, "entering pipeline mode failed");
            }
        } else if (!queue.isEmpty() || conn.pgconn.transactionStatus() == PgTransactionStatus.ACTIVE) {
            syncHeld(true); // a nested block starts from a known state, as psycopg's
        }
        level++;
    }

    /** Sends a cursor's statement; its results reach the cursor when read ({@link #resolve}). */
    void execute(Cursor cursor, PreparedStatements.Statement statement, Boolean prepare) {
        PreparedStatements.Sent sent = conn.prepared.send(conn, statement, prepare);
        Entry execution = new Entry(Kind.EXECUTE, cursor, null, sent);
        if (sent.parsed()) {
            Entry parse = new Entry(Kind.PARSE, null, null, sent);
            parse.execution = execution;
            queue.add(parse);
        }
        cursor.pipelining().expect(execution);
        add(execution);
    }

    /** Sends an internal command (psycopg's {@code _exec_command} in pipeline mode). */
    void command(String sql) {
        conn.checkConnectionOk();
        Sending.queryParams(conn, sql, null, null, null, 0);
        add(new Entry(Kind.COMMAND, null, sql, null));
    }

    /** Sends the Close of a prepared statement. */
    void closePrepared(String name) {
        if (!conn.pgconn.sendClosePrepared(name)) {
            throw Sending.failed(conn, "sending query failed");
        }
        add(new Entry(Kind.CLOSE, null, name, null));
    }

    /** Reads results until {@code entry} has its own (psycopg's {@code _fetch_gen(flush=True)}). */
    void resolve(Entry entry) {
        if (entry.done) {
            return;
        }
        if (!flushed) {
            if (!conn.pgconn.sendFlushRequest()) {
                throw Sending.failed(conn, "sending flush request failed");
            }
            flushed = true;
        }
        while (!entry.done) {
            readNext();
        }
    }

    /** A cursor raised this error result itself: the sync does not raise it again. */
    void reported(PgResult error) {
        unreported.remove(error);
    }

    /**
     * {@link #sync()} with the lock held; with {@code raise} false the batch's errors are logged
     * instead of raised (a rollback ending an aborted batch).
     */
    void syncHeld(boolean raise) {
        if (!conn.pgconn.pipelineSync()) {
            throw Sending.failed(conn, "sending pipeline sync failed");
        }
        Entry sync = new Entry(Kind.SYNC, null, null, null);
        queue.add(sync);
        flushed = true;
        while (!sync.done) {
            readNext();
        }
        PgResult error = unreported.poll();
        unreported.clear();
        if (error == null) {
            return;
        }
        if (raise) {
            throw ResultReading.errorFrom(conn.pgconn, error);
        }
        Loggers.facade().log(System.Logger.Level.WARNING, "error ignored syncing the pipeline before a rollback: {0}",
                Errors.cleanMessage(error.errorMessage()));
    }

    /**
     * {@link Cursor#executeMany}: the runs in a (nested) pipeline block of their own, each prepared
     * (psycopg's {@code _executemany_gen_pipeline}); the block's end reads every result and raises
     * the first error.
     */
    static void executeMany(Cursor cursor, String sql, Iterable<?> paramsSeq, boolean returning) {
        if (Statements.isCopy(sql)) {
            throw new io.pqbridge.errors.ProgrammingException(
                    "COPY cannot be used with this method; use copy() instead");
        }
        Connection conn = cursor.connection();
        boolean failed = true;
        try {
            try (Pipeline pipeline = conn.pipeline()) {
                conn.lock.acquire();
                try {
                    conn.checkOpen();
                    cursor.startQuery();
                    cursor.pipelining().startMany(returning);
                    for (Object params : paramsSeq) {
                        Object bound = params instanceof List<?> list ? list.toArray() : params;
                        pipeline.execute(cursor, Parameters.statement(conn, sql, bound, cursor.isBinary()),
                                Boolean.TRUE);
                    }
                    conn.prepared.maintain(conn);
                } finally {
                    conn.lock.release();
                }
            } // the end of the block reads every result: the batch's error is raised here
            failed = false;
        } finally {
            cursor.pipelining().endMany(failed);
        }
    }

    /**
     * A transaction block inside a pipeline, as psycopg runs it: a nested block around it (so it
     * starts from a synced state and its end is synced) and one inside it (so the body's errors
     * are raised before the block decides between commit and rollback).
     */
    static <T, E extends Exception> T transaction(Connection conn, String savepointName, boolean forceRollback,
            TransactionFunction<T, E> body) throws E {
        try (Pipeline outer = conn.pipeline()) {
            return Transaction.run(conn, savepointName, forceRollback, tx -> {
                try (Pipeline inner = conn.pipeline()) {
                    return body.apply(tx);
                }
            });
        }
    }

    // ---- internals ----

    private void checkOpenBlock() {
        if (level == 0) {
            throw new io.pqbridge.errors.InterfaceException("the pipeline block is closed");
        }
    }

    private void add(Entry entry) {
        queue.add(entry);
        flushed = false;
        if (queue.size() >= MAX_IN_FLIGHT) {
            Entry target = null;
            int toRead = queue.size() - DRAIN_TO;
            for (Entry e : queue) {
                if (--toRead == 0) {
                    target = e;
                    break;
                }
            }
            resolve(target);
        }
    }

    /** Reads the results of the oldest command in flight and hands them where they belong. */
    private void readNext() {
        Entry head = queue.poll();
        if (head.kind == Kind.SYNC) {
            PgResult r = conn.pgconn.getResult();
            head.done = true;
            if (r == null || r.status() != PgExecStatus.PIPELINE_SYNC) {
                lost(r);
            }
            return;
        }
        List<PgResult> results = ResultReading.fetch(conn.pgconn);
        head.done = true;
        if (results.isEmpty()) {
            lost(null);
        }
        PgResult first = results.get(0);
        switch (head.kind) {
            case PARSE -> {
                if (first.status() == PgExecStatus.FATAL_ERROR) {
                    conn.prepared.parseFailed(head.sent, first);
                    head.execution.parseError = first;
                }
            }
            case EXECUTE -> {
                List<PgResult> own = results;
                if (head.parseError != null) {
                    own = List.of(head.parseError);
                } else if (head.sent != null) {
                    conn.prepared.validate(head.sent, results);
                }
                noteErrors(own);
                head.cursor.pipelining().deliver(head, own);
            }
            case CLOSE -> {
                if (first.status() == PgExecStatus.PIPELINE_ABORTED) {
                    conn.prepared.closeLater(head.what);
                } else {
                    noteErrors(results);
                }
            }
            default -> noteErrors(results);
        }
    }

    private void noteErrors(List<PgResult> results) {
        for (PgResult r : results) {
            if (r.status() == PgExecStatus.FATAL_ERROR) {
                unreported.add(r);
                return;
            }
        }
    }

    /** No answer where one was due: the connection went away; everything in flight is lost with it. */
    private void lost(PgResult error) {
        List<Entry> orphans = new ArrayList<>(queue);
        queue.clear();
        for (Entry e : orphans) {
            e.done = true;
        }
        if (error != null && error.status() == PgExecStatus.FATAL_ERROR) {
            throw ResultReading.errorFrom(conn.pgconn, error);
        }
        conn.checkOpen();
        throw new OperationalException("the pipeline lost its place in the server's answers: expected the result of a"
                + " queued command, got " + (error == null ? "none" : error.status()));
    }

    /** Leaves pipeline mode after the outermost block; a failure to leave joins {@code failure}. */
    private RuntimeException leave(RuntimeException failure) {
        conn.pipelineInProgress(null);
        queue.clear();
        unreported.clear();
        if (conn.pgconn.status() == PgConnStatus.OK && !conn.pgconn.exitPipelineMode()) {
            OperationalException exit = new OperationalException("leaving pipeline mode failed: "
                    + Errors.cleanMessage(conn.pgconn.errorMessage()));
            if (failure == null) {
                return exit;
            }
            failure.addSuppressed(exit);
        }
        return failure;
    }

    /** The aborted result's exception (psycopg's text). */
    static PipelineAborted aborted() {
        return new PipelineAborted("pipeline aborted: the server skipped this statement because an earlier one in the"
                + " same batch failed (that one raises its own error, by its cursor or at the sync); the batch ends"
                + " at the next sync or the block's end, then run the statement again");
    }
}

package io.pqbridge;

import io.pqbridge.adapt.AdaptContext;
import io.pqbridge.adapt.RowLoader;
import io.pqbridge.errors.InterfaceException;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgResult;
import io.pqbridge.errors.InternalException;
import io.pqbridge.pq.PgTransactionStatus;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The rows of one statement as the server sends them (psycopg's {@code cursor.stream()}), made by
 * {@link Cursor#stream}: the statement runs in single-row mode, so memory holds one row at a time
 * whatever the size of the result, or, with a size above 1, in chunked-rows mode: the rows come
 * {@code size} at a time (fewer results to make, the memory of one chunk). Use it in a
 * try-with-resources block:
 *
 * <pre>{@code
 * try (RowStream rows = cur.stream("SELECT * FROM big WHERE day = %s", day)) {
 *     for (Row row : rows) { ... }
 * }
 * }</pre>
 *
 * <p>The stream holds the connection from its statement until it is read to the end or closed:
 * other threads wait, and this thread gets a {@link ProgrammingException} naming the stream if it
 * calls the connection meanwhile. Closing it early (a {@code break}, an exception, an explicit
 * {@link #close()}) cancels the statement and reads what is left, and the connection's state is
 * then deterministic: inside a transaction the statement ran under a savepoint, which is rolled
 * back when the cancel reached it, so the transaction stays usable ({@code INTRANS}); in
 * autocommit the connection is idle. An error from the server while reading is raised from the
 * iteration and leaves the transaction failed ({@code INERROR}), as any failed statement does.
 * When the stream ends, the cursor's {@link Cursor#rowCount()} and {@link Cursor#statusMessage()}
 * tell the statement's outcome.
 *
 * <p>Not thread-safe; iterate it from one thread at a time. {@link #close()} is idempotent.
 */
public final class RowStream implements Iterable<Row>, AutoCloseable {

    /** The savepoint a stream inside a transaction runs under, so an early close leaves the transaction usable. */
    static final String SAVEPOINT = "\"_pg3_stream\"";

    private final Cursor cursor;
    private final Connection conn;
    private final String statement;
    private final boolean underSavepoint;
    private final ConnectionLock.Holder lockHolder = new ConnectionLock.Holder() {
        @Override
        public String describe() {
            return "the open stream of \"" + Statements.shortened(statement) + "\"";
        }

        @Override
        public String howToEnd() {
            return "read it to the end, or close() it";
        }
    };
    private List<Column> columns;
    private RowLoader loader;
    /** The next row, read ahead by {@link #hasNext}; null when none is waiting. */
    private Row ahead;
    /** The partial result (one row, or a chunk) whose rows are being handed out, and the next of them. */
    private PgResult partial;
    private int nextInPartial;
    /** The command tag a short last chunk took from the set's final result (chunked-rows mode). */
    private String chunkTag = "";
    private boolean ended;
    private boolean iterated;

    /** Made by {@link Cursor#stream} with the connection's lock held and the statement sent in single-row mode. */
    RowStream(Cursor cursor, String statement, boolean underSavepoint) {
        this.cursor = cursor;
        this.conn = cursor.connection();
        this.statement = statement;
        this.underSavepoint = underSavepoint;
        conn.lock.holdFor(lockHolder);
    }

    /**
     * Sends the statement in single-row mode ({@code size} 1) or chunked-rows mode and opens its
     * stream; see {@link Cursor#stream(String, Object[], int)}.
     */
    static RowStream open(Cursor cursor, String sql, Object params, int size) {
        Connection conn = cursor.connection();
        if (Statements.isCopy(sql)) {
            throw new ProgrammingException("COPY cannot be used with this method; use copy() instead");
        }
        if (size < 1) {
            throw new ProgrammingException("the stream's size must be 1 or more (rows per result), got " + size);
        }
        conn.lock.acquire();
        RowStream stream = null;
        try {
            conn.checkOpen();
            if (conn.pipelineInProgress() != null) {
                throw new ProgrammingException("stream() cannot be used in pipeline mode");
            }
            cursor.startQuery();
            boolean underSavepoint = conn.pgconn.transactionStatus() == PgTransactionStatus.INTRANS;
            if (underSavepoint) {
                conn.execCommand("SAVEPOINT " + RowStream.SAVEPOINT);
            }
            PreparedStatements.Statement statement = Parameters.statement(conn, sql, params, cursor.isBinary());
            Sending.queryParams(conn, statement.sql(), statement.types(), statement.values(), statement.formats(),
                    statement.resultFormat());
            if (!(size == 1 ? conn.pgconn.setSingleRowMode() : conn.pgconn.setChunkedRowsMode(size))) {
                throw new InternalException("the connection refused " + (size == 1 ? "single-row" : "chunked-rows")
                        + " mode for a statement it had just sent");
            }
            stream = new RowStream(cursor, sql, underSavepoint);
            return stream;
        } finally {
            if (stream == null) {
                conn.lock.release();
            }
        }
    }

    /**
     * {@return the rows, each read from the server when asked for; one iteration per stream}
     *
     * @throws ProgrammingException when called a second time
     */
    @Override
    public Iterator<Row> iterator() {
        if (iterated) {
            throw new ProgrammingException("a stream can be iterated only once");
        }
        iterated = true;
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return ahead != null || readAhead();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the stream has no more rows");
                }
                Row row = ahead;
                ahead = null;
                return row;
            }
        };
    }

    /** {@return true once the statement's results were read to their end (or the stream closed)} */
    public boolean isEnded() {
        return ended;
    }

    /**
     * Ends the stream: a statement still sending rows is cancelled and drained, its savepoint
     * rolled back if the cancel reached it; then the connection is free. Does nothing once ended.
     */
    @Override
    public void close() {
        if (ended) {
            return;
        }
        ended = true;
        ahead = null;
        partial = null;
        try {
            CancelRequests.tryCancel(conn);
            PgResult last = null;
            for (PgResult r = conn.pgconn.getResult(); r != null; r = conn.pgconn.getResult()) {
                last = r;
            }
            if (underSavepoint) {
                if (conn.pgconn.transactionStatus() == PgTransactionStatus.INERROR) {
                    conn.execCommand("ROLLBACK TO " + SAVEPOINT);
                }
                conn.execCommand("RELEASE " + SAVEPOINT);
            }
            if (last != null && last.status() != PgExecStatus.FATAL_ERROR) {
                cursor.streamEnded(last);
            }
        } finally {
            conn.lock.release();
        }
    }

    /** Reads the next result; false (and the stream ended) after the last row. */
    private boolean readAhead() {
        if (ended) {
            return false;
        }
        if (partial == null || nextInPartial == partial.ntuples()) {
            if (conn.isClosed()) { // by another thread: the stream ends here, and so does its hold on the lock
                ended = true;
                conn.lock.release();
                throw new InterfaceException("the connection was closed while the stream was open");
            }
            PgResult r = conn.pgconn.getResult();
            PgExecStatus status = r == null ? null : r.status();
            if (status != PgExecStatus.SINGLE_TUPLE && status != PgExecStatus.TUPLES_CHUNK) {
                partial = null;
                finish(r);
                return false;
            }
            if (!r.cmdStatus().isEmpty()) {
                chunkTag = r.cmdStatus();
            }
            if (loader == null) {
                columns = Column.listOf(r);
                loader = RowLoader.of(r, SqlTexts.currentContext(conn));
            }
            partial = r;
            nextInPartial = 0;
            if (r.ntuples() == 0) {
                return readAhead();
            }
        }
        ahead = new Row(columns, loader.loadRow(partial, nextInPartial++));
        return true;
    }

    /** The set's final result (or an error, or nothing): the rest is drained, the savepoint released, the connection freed. */
    private void finish(PgResult first) {
        ended = true;
        try {
            PgResult outcome = first;
            for (PgResult r = first == null ? null : conn.pgconn.getResult(); r != null; r = conn.pgconn.getResult()) {
                if (outcome.status() != PgExecStatus.FATAL_ERROR) {
                    outcome = r; // the first error wins, as when the results are read whole
                }
            }
            if (outcome == null) {
                throw new InterfaceException("the stream of \"" + Statements.shortened(statement)
                        + "\" got no result: the connection was closed meanwhile");
            }
            if (outcome.status() == PgExecStatus.FATAL_ERROR) {
                throw ResultReading.errorFrom(conn.pgconn, outcome);
            }
            if (underSavepoint) {
                conn.execCommand("RELEASE " + SAVEPOINT);
            }
            if (outcome.cmdStatus().isEmpty() && !chunkTag.isEmpty()) {
                // a short last chunk took the tag (libpq's chunked-rows mode): the outcome carries it again
                outcome = PgResult.builder(outcome.status()).fieldsOf(outcome).cmdStatus(chunkTag).build();
            }
            cursor.streamEnded(outcome);
        } finally {
            conn.lock.release();
        }
    }
}

package io.pqbridge;

import io.pqbridge.errors.InterfaceException;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Runs statements and reads their results (psycopg's client-side {@code Cursor}).
 *
 * <p>{@link #execute} sends a statement with its parameters bound on the server (extended
 * protocol: {@code %s} and {@code %(name)s} become {@code $1}, {@code $2}...; {@code %%} is a
 * literal {@code %}); without parameters it uses the simple protocol, so a string of several
 * statements runs whole and {@link #nextSet()} moves through their results. The results are read
 * completely before {@code execute} returns; fetching never talks to the server.
 *
 * <p>Not thread-safe: one thread uses a cursor at a time (the connection itself may be shared).
 * Cursors of one connection share its transaction.
 */
public final class Cursor implements Iterable<Row>, AutoCloseable {

    private final Connection conn;
    /** Results in binary format: every statement goes with the extended protocol. */
    private final boolean binary;
    private boolean closed;
    private final CursorResults results;
    /** In a pipeline: the results this cursor waits for. */
    private final CursorPipelining pipelining;

    Cursor(Connection conn, boolean binary) {
        this.conn = conn;
        this.binary = binary;
        this.results = new CursorResults(conn);
        this.pipelining = new CursorPipelining(conn, results);
    }

    /**
     * {@return true when the cursor asks the server for results in binary format (psycopg's
     * {@code cursor(binary=True)}); the values read are the same Java objects either way}
     */
    public boolean isBinary() {
        return binary;
    }

    /** {@return the connection this cursor runs on} */
    public Connection connection() {
        return conn;
    }

    /**
     * Runs {@code sql} with positional parameters ({@code %s}); none means the simple protocol and
     * {@code sql} is sent as it is. The results replace the previous ones, the first current.
     *
     * @param sql the statement (several, without parameters)
     * @param params the parameters' values, in order; none or null for the simple protocol
     * @return this cursor
     * @throws io.pqbridge.errors.DatabaseException the server's error, as its SQLSTATE's class
     * @throws ProgrammingException for a COPY statement (use {@link #copy(String, CopyBlock)})
     */
    public Cursor execute(String sql, Object... params) {
        CursorExecution.run(this, sql, params == null || params.length == 0 ? null : params, null);
        return this;
    }

    /**
     * Runs {@code sql} with named parameters ({@code %(name)s}); otherwise as
     * {@link #execute(String, Object...)}.
     *
     * @param sql the statement
     * @param params the parameters' values by name
     * @return this cursor
     */
    public Cursor execute(String sql, Map<String, ?> params) {
        CursorExecution.run(this, sql, params, null);
        return this;
    }

    /**
     * {@link #execute(String, Object...)} choosing whether the statement is prepared on the server
     * (psycopg's {@code execute(..., prepare=)}): true prepares it now (if it is not yet), false
     * runs it unprepared (with a null {@link Connection#prepareThreshold()} nothing is prepared).
     *
     * @param sql the statement
     * @param params the parameters' values, in order; null or empty for none
     * @param prepare whether to run it as a prepared statement
     * @return this cursor
     */
    public Cursor execute(String sql, Object[] params, boolean prepare) {
        CursorExecution.run(this, sql, params == null || params.length == 0 ? null : params, prepare);
        return this;
    }

    /**
     * {@link #execute(String, Map)} choosing whether the statement is prepared (see
     * {@link #execute(String, Object[], boolean)}).
     *
     * @param sql the statement
     * @param params the parameters' values by name
     * @param prepare whether to run it as a prepared statement
     * @return this cursor
     */
    public Cursor execute(String sql, Map<String, ?> params, boolean prepare) {
        CursorExecution.run(this, sql, params, prepare);
        return this;
    }

    /**
     * {@link #execute(String, Object...)} for SQL composed from parts: {@link io.pqbridge.sql.Placeholder}s take
     * the parameters; a {@code %} inside a {@link io.pqbridge.sql.Literal} or an
     * {@link io.pqbridge.sql.Identifier} stays itself.
     *
     * @param query the statement
     * @param params the parameters' values, in order; none for the simple protocol
     * @return this cursor
     */
    public Cursor execute(Query query, Object... params) {
        return execute(SqlTexts.of(conn, query, params), params);
    }

    /**
     * {@link #execute(String, Map)} for SQL composed from parts (named {@link io.pqbridge.sql.Placeholder}s).
     *
     * @param query the statement
     * @param params the parameters' values by name
     * @return this cursor
     */
    public Cursor execute(Query query, Map<String, ?> params) {
        return execute(SqlTexts.of(conn, query, params), params);
    }

    /**
     * Runs {@code sql} once for each set of parameters (psycopg's {@code executemany}), in a
     * pipeline (one round trip for the batch) and prepared on the server; the results are not
     * kept, and {@link #rowCount()} is the sum of the rows each run affected.
     *
     * @param sql one statement, parameters written {@code %s} or {@code %(name)s}
     * @param paramsSeq one {@code Object[]} (positional) or {@code Map} (named) per run
     * @return this cursor
     * @throws io.pqbridge.errors.DatabaseException the first run's error that failed the batch;
     *     then {@link #rowCount()} is -1 and the transaction is as the server left it (outside
     *     autocommit it has failed; in autocommit nothing of the batch is stored)
     */
    public Cursor executeMany(String sql, Iterable<?> paramsSeq) {
        return executeMany(sql, paramsSeq, false);
    }

    /**
     * {@link #executeMany(String, Iterable)}, keeping each run's results when {@code returning}
     * (for {@code INSERT ... RETURNING}): the first run's result is current, {@link #nextSet()}
     * moves to the next run's.
     *
     * @param sql one statement
     * @param paramsSeq one {@code Object[]} or {@code Map} per run
     * @param returning true to keep every run's result
     * @return this cursor
     */
    public Cursor executeMany(String sql, Iterable<?> paramsSeq, boolean returning) {
        Pipeline.executeMany(this, sql, paramsSeq, returning);
        return this;
    }

    /**
     * {@link #executeMany(String, Iterable)} for SQL composed from parts.
     *
     * @param query one statement, parameters as {@link io.pqbridge.sql.Placeholder}s
     * @param paramsSeq one {@code Object[]} (positional) or {@code Map} (named) per run
     * @return this cursor
     */
    public Cursor executeMany(Query query, Iterable<?> paramsSeq) {
        return executeMany(SqlTexts.of(conn, query, true), paramsSeq);
    }

    /**
     * Runs {@code sql} and returns its rows as the server sends them, one at a time (psycopg's
     * {@code stream()}): memory holds one row whatever the size of the result. The statement is
     * sent with the extended protocol (one statement), never prepared. Close the stream, best in a
     * try-with-resources block: until it is read to the end or closed it holds the connection (see
     * {@link RowStream}).
     *
     * @param sql one statement, parameters written {@code %s}
     * @param params the parameters' values, in order; none or null for none
     * @return the open stream
     * @throws ProgrammingException for a COPY statement, before anything is sent
     * @throws io.pqbridge.errors.DatabaseException the server's error for the statement or, inside
     *     a transaction, for the savepoint the stream runs under
     */
    public RowStream stream(String sql, Object... params) {
        return RowStream.open(this, sql, params == null || params.length == 0 ? null : params, 1);
    }

    /**
     * {@link #stream(String, Object...)} reading {@code size} rows per result from the server
     * (psycopg's {@code stream(..., size=)}): chunked-rows mode, on any libpq (the native backend
     * builds the chunks itself on a libpq older than 17). The rows still come one at a time from
     * the iteration; a larger size makes fewer results, at the memory of one chunk.
     *
     * @param sql one statement, parameters written {@code %s}
     * @param params the parameters' values, in order; null or empty for none
     * @param size rows per result, 1 or more (1: single-row mode)
     * @return the open stream
     * @throws ProgrammingException for a COPY statement or a size below 1, before anything is sent
     */
    public RowStream stream(String sql, Object[] params, int size) {
        return RowStream.open(this, sql, params == null || params.length == 0 ? null : params, size);
    }

    /**
     * {@link #stream(String, Object[], int)} with named parameters ({@code %(name)s}).
     *
     * @param sql one statement
     * @param params the parameters' values by name
     * @param size rows per result, 1 or more
     * @return the open stream
     */
    public RowStream stream(String sql, Map<String, ?> params, int size) {
        return RowStream.open(this, sql, params, size);
    }

    /**
     * {@link #stream(String, Object...)} with named parameters ({@code %(name)s}).
     *
     * @param sql one statement
     * @param params the parameters' values by name
     * @return the open stream
     */
    public RowStream stream(String sql, Map<String, ?> params) {
        return RowStream.open(this, sql, params, 1);
    }

    /**
     * {@link #stream(String, Object...)} for SQL composed from parts.
     *
     * @param query one statement, parameters as {@link io.pqbridge.sql.Placeholder}s
     * @param params the parameters' values, in order; none for none
     * @return the open stream
     */
    public RowStream stream(Query query, Object... params) {
        return stream(SqlTexts.of(conn, query, params), params);
    }

    /**
     * Runs a {@code COPY ... FROM STDIN} or {@code COPY ... TO STDOUT} statement and hands the
     * {@link Copy} to {@code body}; when the body ends the COPY is ended by psycopg's rules (see
     * {@link Copy}) and the body's exception, if any, propagates unchanged. The connection is held
     * for the whole block: other threads wait, this thread cannot use it inside the block.
     *
     * @param <E> the checked exception the body may throw
     * @param sql the COPY statement
     * @param body what reads or writes the data
     * @throws E what the body throws
     * @throws ProgrammingException when {@code sql} is not a COPY to or from the client
     */
    public <E extends Exception> void copy(String sql, CopyBlock<E> body) throws E {
        CopyStart.run(this, sql, null, body);
    }

    /**
     * {@link #copy(String, CopyBlock)} with positional parameters ({@code %s}), merged into the
     * statement on the client as quoted literals (a COPY cannot take bound parameters).
     *
     * @param <E> the checked exception the body may throw
     * @param sql the COPY statement
     * @param params the parameters' values, in order; null or empty for none
     * @param body what reads or writes the data
     * @throws E what the body throws
     */
    public <E extends Exception> void copy(String sql, Object[] params, CopyBlock<E> body) throws E {
        CopyStart.run(this, sql, params == null || params.length == 0 ? null : params, body);
    }

    /**
     * {@link #copy(String, CopyBlock)} with named parameters ({@code %(name)s}) merged on the
     * client.
     *
     * @param <E> the checked exception the body may throw
     * @param sql the COPY statement
     * @param params the parameters' values by name; null or empty for none
     * @param body what reads or writes the data
     * @throws E what the body throws
     */
    public <E extends Exception> void copy(String sql, Map<String, ?> params, CopyBlock<E> body) throws E {
        CopyStart.run(this, sql, params == null || params.isEmpty() ? null : params, body);
    }

    /**
     * The open form of {@link #copy(String, CopyBlock)}, for try-with-resources: call
     * {@link Copy#finish()} for the normal exit; {@link Copy#close()} without it takes the
     * exception exit. The connection is held until then.
     *
     * @param sql the COPY statement
     * @param params the parameters' values, merged on the client; none to send {@code sql} as it is
     * @return the started COPY
     */
    public Copy copy(String sql, Object... params) {
        return CopyStart.open(this, sql, params == null || params.length == 0 ? null : params);
    }

    /**
     * The open form with named parameters; see {@link #copy(String, Object...)}.
     *
     * @param sql the COPY statement
     * @param params the parameters' values by name, merged on the client; null or empty for none
     * @return the started COPY
     */
    public Copy copy(String sql, Map<String, ?> params) {
        return CopyStart.open(this, sql, params == null || params.isEmpty() ? null : params);
    }

    /**
     * {@link #copy(String, CopyBlock)} for a COPY statement composed from parts (a table's
     * {@link io.pqbridge.sql.Identifier}, its columns).
     *
     * @param <E> the checked exception the body may throw
     * @param query the COPY statement
     * @param body what reads or writes the data
     * @throws E what the body throws
     */
    public <E extends Exception> void copy(Query query, CopyBlock<E> body) throws E {
        copy(SqlTexts.of(conn, query, null), body);
    }

    /**
     * The open form of {@link #copy(Query, CopyBlock)}; see {@link #copy(String, Object...)}.
     *
     * @param query the COPY statement
     * @param params the values of its {@link io.pqbridge.sql.Placeholder}s, merged on the client; none for none
     * @return the started COPY
     */
    public Copy copy(Query query, Object... params) {
        return copy(SqlTexts.of(conn, query, params), params);
    }

    /**
     * Runs a {@code COPY ... TO STDOUT} and writes all its data to {@code out}, which stays open.
     *
     * @param sql the COPY statement
     * @param out receives the data, as the server sends it
     * @return the number of rows copied
     * @throws IOException when writing to {@code out} fails; the COPY is then ended
     */
    public long copyOut(String sql, OutputStream out) throws IOException {
        copy(sql, copy -> {
            byte[] chunk = new byte[64 * 1024];
            ByteBuffer buffer = ByteBuffer.wrap(chunk);
            for (int n; (n = copy.readInto(buffer.clear())) >= 0;) {
                out.write(chunk, 0, n);
            }
        });
        return results.rowCount();
    }

    /**
     * Runs a {@code COPY ... FROM STDIN} with the bytes of {@code in} as its data (passed through
     * untouched, any COPY format), read to its end; {@code in} stays open.
     *
     * @param sql the COPY statement
     * @param in the data
     * @return the number of rows stored
     * @throws IOException when reading {@code in} fails; the COPY then fails and nothing is stored
     */
    public long copyIn(String sql, InputStream in) throws IOException {
        copy(sql, copy -> {
            byte[] chunk = new byte[64 * 1024];
            for (int n; (n = in.read(chunk)) >= 0;) {
                copy.write(chunk, 0, n);
            }
        });
        return results.rowCount();
    }

    /**
     * {@return the next row, or null when the current result has no more (psycopg:
     * {@code fetchone()})}
     *
     * @throws ProgrammingException when the current result has no rows, or there is none
     */
    public Row fetchOne() {
        resultForFetch();
        return results.nextRow();
    }

    /**
     * Up to {@code size} next rows of the current result (psycopg: {@code fetchmany(size)}).
     *
     * @param size how many rows at most; 0 or less means 1 (psycopg's arraysize)
     * @return the rows, empty when none is left
     * @throws ProgrammingException when the current result has no rows, or there is none
     */
    public List<Row> fetchMany(int size) {
        PgResult result = resultForFetch();
        return results.rowsUpTo(Math.min(result.ntuples(), results.position() + Math.max(1, size)));
    }

    /**
     * {@return every remaining row of the current result (psycopg: {@code fetchall()})}
     *
     * @throws ProgrammingException when the current result has no rows, or there is none
     */
    public List<Row> fetchAll() {
        return results.rowsUpTo(resultForFetch().ntuples());
    }

    /** The remaining rows of the current result, fetched one by one. */
    @Override
    public Iterator<Row> iterator() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return results.position() < resultForFetch().ntuples();
            }

            @Override
            public Row next() {
                Row row = fetchOne();
                if (row == null) {
                    throw new NoSuchElementException("no more records to return");
                }
                return row;
            }
        };
    }

    /** {@link #scroll(long, String)} relative to the current position. */
    public void scroll(long value) {
        scroll(value, "relative");
    }

    /**
     * Moves the position in the current result (psycopg's {@code scroll()}): by {@code value}
     * rows ({@code "relative"}) or to row index {@code value} ({@code "absolute"}); the next fetch
     * returns the row there.
     *
     * @param value rows to move (relative, negative moves back), or the target row index (absolute)
     * @param mode {@code "relative"} or {@code "absolute"}
     * @throws ProgrammingException for a target outside the result's rows, naming it and the
     *     bounds (the position is left as it was), or when the current result has no rows
     * @throws IllegalArgumentException for another mode
     */
    public void scroll(long value, String mode) {
        PgResult result = resultForFetch();
        int position = results.position();
        long target = Scrolling.target(position, value, mode);
        if (target < 0 || target >= result.ntuples()) {
            throw Scrolling.outOfBounds(target, result.ntuples() == 0 ? "the result has no rows"
                    : "the result's rows are 0 to " + (result.ntuples() - 1) + "; the cursor stays at " + position);
        }
        results.setPosition((int) target);
    }

    /**
     * {@return rows of a SELECT, rows affected by INSERT/UPDATE/DELETE/COPY ("INSERT 0 5" gives 5),
     * -1 when unknown (DDL, before any execute, a COPY not read to its end) (psycopg:
     * {@code rowcount})}
     */
    public long rowCount() {
        pipelining.awaitResults();
        return results.rowCount();
    }

    /**
     * {@return the command tag of the current result ("SELECT 5", "CREATE TABLE", "COPY 3"), null
     * when none (psycopg: {@code statusmessage})}
     */
    public String statusMessage() {
        pipelining.awaitResults();
        PgResult current = results.current();
        return current == null || current.cmdStatus().isEmpty() ? null : current.cmdStatus();
    }

    /**
     * {@return the columns of the current result; null when it has none (a command that returns no
     * rows)}
     */
    public List<Column> description() {
        pipelining.awaitResults();
        PgResult result = results.current();
        if (result == null || (result.nfields() == 0 && result.status() != PgExecStatus.TUPLES_OK
                && result.status() != PgExecStatus.SINGLE_TUPLE)) {
            return null;
        }
        return results.columns();
    }

    /**
     * Moves to the result of the next statement of a multi-statement string (psycopg:
     * {@code nextset()}).
     *
     * @return false when there is no further result
     */
    public boolean nextSet() {
        pipelining.awaitResults();
        return results.next();
    }

    /** {@return true once {@link #close()} has run} */
    public boolean isClosed() {
        return closed;
    }

    /** Closes the cursor and drops its results; idempotent. The connection stays open. */
    @Override
    public void close() {
        reset();
        closed = true;
    }

    @Override
    public String toString() {
        PgResult current = results.current();
        String state = closed ? "closed" : current == null ? "no result" : current.status().toString();
        return "Cursor[" + state + "] " + ConnectionInfo.summary(conn.pgconn);
    }

    // ---- shared with the classes that run its statements (execute, COPY, streams, pipelines) ----

    /**
     * psycopg's cursor {@code _start_query}: checks, forgets the last results, opens the implicit
     * transaction.
     *
     * @return true when this call sent BEGIN
     */
    boolean startQuery() {
        if (closed) {
            throw new InterfaceException("the cursor is closed");
        }
        reset();
        return conn.transactions.startQuery(conn);
    }

    /** Makes {@code fetched} the cursor's results, the first one current (psycopg's {@code _set_results}). */
    void setResults(List<PgResult> fetched) {
        results.set(fetched);
    }

    /**
     * A stream's end: its final result (the tag, no rows) becomes current, and the row count is
     * the tag's, since the rows went by one at a time.
     */
    void streamEnded(PgResult last) {
        results.set(List.of(last));
        results.setRowCount(CursorResults.tagRowCount(last.cmdTuples()));
    }

    /** The results of the cursor's last statement. */
    CursorResults results() {
        return results;
    }

    /** The cursor's part in the open pipeline. */
    CursorPipelining pipelining() {
        return pipelining;
    }

    // ---- internals ----

    private void reset() {
        pipelining.forget();
        results.clear();
    }

    /** psycopg's {@code _check_result_for_fetch}. */
    private PgResult resultForFetch() {
        if (closed) {
            throw new InterfaceException("the cursor is closed");
        }
        pipelining.awaitResults();
        PgResult result = results.current();
        if (result == null) {
            throw new ProgrammingException("no result available");
        }
        PgExecStatus status = result.status();
        if (status == PgExecStatus.TUPLES_OK) {
            return result;
        }
        if (status == PgExecStatus.FATAL_ERROR) {
            Pipeline pipeline = conn.pipelineInProgress();
            if (pipeline != null) {
                pipeline.reported(result);
            }
            throw ResultReading.errorFrom(conn.pgconn, result);
        }
        if (status == PgExecStatus.PIPELINE_ABORTED) {
            throw Pipeline.aborted();
        }
        String detail = result.cmdStatus().isEmpty() ? " (result status: " + status + ")"
                : " (command status: " + result.cmdStatus() + ")";
        throw new ProgrammingException("the last operation didn't produce records" + detail);
    }
}

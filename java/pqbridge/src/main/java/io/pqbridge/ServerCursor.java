package io.pqbridge;

import io.pqbridge.adapt.AdaptContext;
import io.pqbridge.adapt.BoundQuery;
import io.pqbridge.adapt.RowLoader;
import io.pqbridge.errors.InterfaceException;
import io.pqbridge.errors.NotSupportedException;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.PgTransactionStatus;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A cursor that lives on the server (psycopg's {@code ServerCursor}), made by
 * {@link Connection#cursor(String)}: {@link #execute} declares it ({@code DECLARE name CURSOR FOR
 * ...}, parameters bound on the server) and each fetch asks the server for the next rows
 * ({@code FETCH FORWARD n}), so a result of any size is read in pieces: iteration fetches
 * {@link #itersize()} rows at a time (default 100, as psycopg).
 *
 * <p>Without {@code withhold} the cursor lives until the end of its transaction, so it needs
 * one: outside autocommit the first {@code execute} opens it, in autocommit the server refuses
 * the {@code DECLARE}. With {@code withhold} ({@code WITH HOLD}) it survives the commit.
 * {@link #close()} closes it on the server when it can still exist there, as psycopg decides
 * (not in a failed transaction, not a cursor without hold once the transaction ended).
 *
 * <p>Each call holds the connection only for its own exchange with the server; other statements
 * may run between fetches. Not thread-safe: one thread uses a cursor at a time.
 */
public final class ServerCursor implements Iterable<Row>, AutoCloseable {

    private final Connection conn;
    private final String name;
    private final boolean binary;
    private final Boolean scrollable;
    private final boolean withhold;
    private int itersize = 100;
    private boolean declared;
    private boolean closed;
    private List<Column> columns;
    private long rowNumber;

    ServerCursor(Connection conn, String name, boolean binary, Boolean scrollable, boolean withhold) {
        if (name == null || name.isEmpty()) {
            throw new ProgrammingException("a server cursor needs a name");
        }
        this.conn = conn;
        this.name = name;
        this.binary = binary;
        this.scrollable = scrollable;
        this.withhold = withhold;
    }

    /** {@return the cursor's name on the server} */
    public String name() {
        return name;
    }

    /** {@return how many rows each round trip of an iteration fetches} */
    public int itersize() {
        return itersize;
    }

    /**
     * Sets how many rows each round trip of an iteration fetches (psycopg's {@code itersize}).
     *
     * @param rows at least 1
     * @throws IllegalArgumentException for a number below 1
     */
    public void setItersize(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("itersize must be 1 or more: " + rows);
        }
        itersize = rows;
    }

    /** {@return true for {@code SCROLL}, false for {@code NO SCROLL}, null for the server's default} */
    public Boolean scrollable() {
        return scrollable;
    }

    /** {@return true when the cursor is declared {@code WITH HOLD}} */
    public boolean withhold() {
        return withhold;
    }

    /**
     * Declares the cursor for {@code sql} (positional {@code %s} parameters bound on the server);
     * a cursor declared before by this object is closed first.
     *
     * @param sql one query
     * @param params its parameters' values; none or null for none
     * @return this cursor
     * @throws io.pqbridge.errors.DatabaseException the server's error, e.g. in autocommit without
     *     {@code withhold} ("DECLARE CURSOR can only be used in transaction blocks")
     */
    public ServerCursor execute(String sql, Object... params) {
        return declare(sql, params == null || params.length == 0 ? null : params);
    }

    /**
     * {@link #execute(String, Object...)} with named parameters ({@code %(name)s}).
     *
     * @param sql one query
     * @param params its parameters' values by name
     * @return this cursor
     */
    public ServerCursor execute(String sql, Map<String, ?> params) {
        return declare(sql, params);
    }

    /** {@return the next row, or null at the end} */
    public Row fetchOne() {
        List<Row> rows = fetch("1");
        return rows.isEmpty() ? null : rows.get(0);
    }

    /**
     * {@return up to {@code size} next rows, fewer at the end}
     *
     * @param size the most rows to fetch, at least 1
     */
    public List<Row> fetchMany(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be 1 or more: " + size);
        }
        return fetch(Integer.toString(size));
    }

    /** {@return every remaining row} */
    public List<Row> fetchAll() {
        return fetch("ALL");
    }

    /** {@return the remaining rows, fetched {@link #itersize()} at a time} */
    @Override
    public Iterator<Row> iterator() {
        return new Iterator<>() {
            private List<Row> batch = List.of();
            private int next;
            private boolean drained;

            @Override
            public boolean hasNext() {
                if (next < batch.size()) {
                    return true;
                }
                if (drained) {
                    return false;
                }
                batch = fetch(Integer.toString(itersize));
                next = 0;
                drained = batch.size() < itersize;
                return !batch.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("no more records to return");
                }
                return batch.get(next++);
            }
        };
    }

    /** {@return the columns of the declared query; null before {@link #execute}} */
    public List<Column> description() {
        return columns;
    }

    /** {@return how many rows were fetched since the cursor was declared (psycopg's {@code rownumber})} */
    public long rowNumber() {
        return rowNumber;
    }

    /** {@return true once {@link #close()} ran} */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the cursor, on the server too when it may still exist there (psycopg's rules: the
     * transaction is idle or open and not failed, and a cursor without hold only inside its
     * transaction). Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!declared || conn.isClosed()) {
            return;
        }
        conn.lock.acquire();
        try {
            closeOnServer();
        } finally {
            conn.lock.release();
        }
    }

    @Override
    public String toString() {
        return "ServerCursor[" + name + (closed ? ", closed" : "") + "]";
    }

    private ServerCursor declare(String sql, Object params) {
        checkNotClosed();
        conn.lock.acquire();
        try {
            conn.checkOpen();
            if (conn.pipelineInProgress() != null) {
                throw new NotSupportedException("server-side cursors cannot be used in pipeline mode");
            }
            if (declared) {
                closeOnServer();
            }
            conn.transactions.startQuery(conn);
            String head = "DECLARE " + Statements.quoteIdentifier(name)
                    + (scrollable == null ? "" : scrollable ? " SCROLL" : " NO SCROLL") + " CURSOR"
                    + (withhold ? " WITH HOLD" : "") + " FOR ";
            if (params == null) {
                Sending.query(conn, head + sql);
            } else {
                BoundQuery query = Parameters.bind(conn, sql, params);
                Sending.queryParams(conn, head + query.sql(), query.paramTypes(), query.paramValues(),
                        query.paramFormats(), 0);
            }
            checkCommand(ResultReading.fetch(conn.pgconn));
            declared = true;
            rowNumber = 0;
            PgResult portal = conn.pgconn.describePortal(name);
            if (portal == null) {
                throw Sending.failed(conn, "sending describe portal failed");
            }
            checkCommand(List.of(portal));
            columns = Column.listOf(portal);
        } finally {
            conn.lock.release();
        }
        return this;
    }

    /** {@link #scroll(long, String)} relative to the current position. */
    public void scroll(long value) {
        scroll(value, "relative");
    }

    /**
     * Moves the cursor on the server ({@code MOVE}, psycopg's {@code scroll()}): by {@code value}
     * rows from the current position ({@code "relative"}) or to row index {@code value}
     * ({@code "absolute"}, 0 = before the first row); the next fetch starts there and
     * {@link #rowNumber()} is the new position.
     *
     * <p>The target is checked, as psycopg does not do for a server cursor: a position before the
     * first row, or a backward move on a cursor declared {@code scrollable=false}, is refused
     * before anything is sent (the server would fail the transaction); a position past the end of
     * the result (the end itself, after the last row, is a position) is refused once the
     * {@code MOVE} has shown it, and a cursor declared scrollable is moved back to where it was.
     * Any other cursor cannot be moved back and is left at the end of its result, which the
     * exception says.
     *
     * @param value rows to move (relative, negative moves back), or the target index (absolute)
     * @param mode {@code "relative"} or {@code "absolute"}
     * @throws ProgrammingException for a position outside the result, naming it and the bounds
     * @throws IllegalArgumentException for another mode
     */
    public void scroll(long value, String mode) {
        long target = Scrolling.target(rowNumber, value, mode);
        checkNotClosed();
        if (!declared) {
            throw new ProgrammingException("no result available: execute() the server cursor first");
        }
        if (target < 0) {
            throw Scrolling.outOfBounds(target, "before the first row (positions start at 0)");
        }
        if (target < rowNumber && Boolean.FALSE.equals(scrollable)) {
            throw new ProgrammingException("cannot scroll back from position " + rowNumber + " to " + target
                    + ": the cursor was declared with scrollable=false (NO SCROLL); declare it scrollable");
        }
        if (target == rowNumber) {
            return;
        }
        conn.lock.acquire();
        try {
            conn.checkOpen();
            if (conn.pipelineInProgress() != null) {
                throw new NotSupportedException("server-side cursors cannot be used in pipeline mode");
            }
            String cursor = Statements.quoteIdentifier(name);
            if (target < rowNumber) {
                // back to a row read before, which exists: ABSOLUTE does not depend on whether the
                // last FETCH left the cursor on the last row or after it
                move("ABSOLUTE " + target, cursor);
                rowNumber = target;
                return;
            }
            long reached = rowNumber + move("FORWARD " + (target - rowNumber), cursor);
            if (reached == target) {
                rowNumber = target;
                return;
            }
            // past the end: the result has `reached` rows and the cursor is after the last
            if (Boolean.TRUE.equals(scrollable)) {
                move("ABSOLUTE " + rowNumber, cursor);
                throw Scrolling.outOfBounds(target, "past the end: the result has " + reached
                        + " rows (positions 0 to " + reached + "); the cursor stays at " + rowNumber);
            }
            rowNumber = reached;
            throw Scrolling.outOfBounds(target, "past the end: the result has " + reached + " rows (positions 0 to "
                    + reached + "); the cursor, not declared scrollable, cannot move back and is now at its end, "
                    + reached);
        } finally {
            conn.lock.release();
        }
    }

    /** {@code MOVE how FROM cursor}; the rows it moved over, from its tag. */
    private long move(String how, String cursor) {
        PgResult moved = conn.execCommand("MOVE " + how + " FROM " + cursor);
        return Math.max(0, CursorResults.tagRowCount(moved.cmdTuples()));
    }

    private List<Row> fetch(String count) {
        checkNotClosed();
        if (!declared) {
            throw new ProgrammingException("no result available: execute() the server cursor first");
        }
        conn.lock.acquire();
        try {
            conn.checkOpen();
            String sql = "FETCH FORWARD " + count + " FROM " + Statements.quoteIdentifier(name);
            if (binary) {
                Sending.queryParams(conn, sql, null, null, null, 1);
            } else {
                Sending.query(conn, sql);
            }
            List<PgResult> results = ResultReading.fetch(conn.pgconn);
            PgResult result = checkCommand(results);
            if (result.status() != PgExecStatus.TUPLES_OK) {
                throw new InterfaceException("FETCH gave " + result.status() + " instead of rows");
            }
            RowLoader loader = RowLoader.of(result, SqlTexts.currentContext(conn));
            List<Row> rows = new ArrayList<>(result.ntuples());
            for (int i = 0; i < result.ntuples(); i++) {
                rows.add(new Row(columns, loader.loadRow(result, i)));
            }
            rowNumber += rows.size();
            return rows;
        } finally {
            conn.lock.release();
        }
    }

    /** psycopg's {@code _close_gen}: only where the cursor can still exist on the server. */
    private void closeOnServer() {
        declared = false;
        PgTransactionStatus status = conn.pgconn.transactionStatus();
        if (status != PgTransactionStatus.IDLE && status != PgTransactionStatus.INTRANS) {
            return;
        }
        if (!withhold && status == PgTransactionStatus.IDLE) {
            return; // a cursor without hold went with its transaction
        }
        conn.execCommand("CLOSE " + Statements.quoteIdentifier(name));
    }

    /** The one result of a command, raised as the server's error when it failed. */
    private PgResult checkCommand(List<PgResult> results) {
        if (results.size() != 1) {
            throw new InterfaceException("expected one result, got " + results.size());
        }
        PgResult result = results.get(0);
        if (result.status() == PgExecStatus.FATAL_ERROR) {
            throw ResultReading.errorFrom(conn.pgconn, result);
        }
        return result;
    }

    private void checkNotClosed() {
        if (closed) {
            throw new InterfaceException("the cursor is closed");
        }
    }
}

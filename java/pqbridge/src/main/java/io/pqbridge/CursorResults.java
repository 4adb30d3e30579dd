package io.pqbridge;

import io.pqbridge.adapt.AdaptContext;
import io.pqbridge.adapt.RowLoader;
import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgResult;
import java.util.ArrayList;
import java.util.List;

/**
 * What a client-side {@link Cursor} holds between statements: the results of its last statement,
 * which one is current, the read position in it, the row count, and the columns and row loader
 * made for the current result (psycopg's {@code _results}, {@code _pos}, {@code _rowcount}).
 *
 * <p>Invariant: {@code current} is null or an element of {@code results}; {@code loader} is
 * non-null exactly when {@code current} holds rows. The columns and loader made for one result
 * are kept while the following results have the same shape, so a statement run again and again
 * on one cursor (the common case, prepared or not) describes its columns once. Nothing here talks
 * to the server; the cursor decides when results come.
 */
final class CursorResults {

    private final Connection conn;
    private List<PgResult> results = List.of();
    private int index;
    private PgResult current;
    private List<Column> columns;
    private PgResult shape;
    private List<Column> shapeColumns;
    private RowLoader shapeLoader;
    private RowLoader loader;
    private int position;
    private long rowCount = -1;

    CursorResults(Connection conn) {
        this.conn = conn;
    }

    /** Forgets every result: no current result, row count -1. */
    void clear() {
        results = List.of();
        index = 0;
        current = null;
        columns = null;
        loader = null;
        position = 0;
        rowCount = -1;
    }

    /** Makes {@code fetched} the results, the first one current (psycopg's {@code _set_results}). */
    void set(List<PgResult> fetched) {
        results = new ArrayList<>(fetched);
        select(0);
    }

    /** Adds one run's results (executemany keeping them); the first one added becomes current. */
    void add(List<PgResult> fetched) {
        boolean first = results.isEmpty();
        if (first) {
            results = new ArrayList<>();
        }
        results.addAll(fetched);
        if (first && !results.isEmpty()) {
            select(0);
        }
    }

    /** Replaces the results without selecting (psycopg's COPY IN writer storing its final result). */
    void replace(PgResult result) {
        results = new ArrayList<>(List.of(result));
    }

    /** psycopg's {@code _select_current_result}: the result at {@code i} becomes current, read from its first row. */
    void select(int i) {
        if (results.isEmpty()) {
            return;
        }
        index = i;
        current = results.get(i);
        position = 0;
        if (shape == null || !Column.sameColumns(shape, current)) {
            shape = current;
            shapeColumns = Column.listOf(current);
            shapeLoader = null;
        }
        columns = shapeColumns;
        loader = null;
        if (current.status() == PgExecStatus.TUPLES_OK) {
            AdaptContext ctx = SqlTexts.currentContext(conn);
            if (shapeLoader == null || !shapeLoader.context().equals(ctx)) {
                shapeLoader = RowLoader.of(current, ctx);
            }
            loader = shapeLoader;
            rowCount = current.ntuples();
        } else if (current.status() != PgExecStatus.COPY_OUT) {
            rowCount = tagRowCount(current.cmdTuples());
        }
    }

    /** Moves to the next result; false when the current one is the last. */
    boolean next() {
        if (index < results.size() - 1) {
            select(index + 1);
            return true;
        }
        return false;
    }

    PgResult current() {
        return current;
    }

    List<Column> columns() {
        return columns;
    }

    long rowCount() {
        return rowCount;
    }

    void setRowCount(long value) {
        rowCount = value;
    }

    int position() {
        return position;
    }

    void setPosition(int value) {
        position = value;
    }

    /** The row at the position of the current result (which holds rows), moving past it; null at the end. */
    Row nextRow() {
        if (position < current.ntuples()) {
            return makeRow(position++);
        }
        return null;
    }

    /** The rows of the current result from the position up to {@code end} (exclusive), moving past them. */
    List<Row> rowsUpTo(int end) {
        List<Row> out = new ArrayList<>(Math.max(0, end - position));
        while (position < end) {
            out.add(makeRow(position++));
        }
        return out;
    }

    private Row makeRow(int row) {
        return new Row(columns, loader.loadRow(current, row));
    }

    /**
     * The row count of a command tag's number ({@code PQcmdTuples}), -1 when there is none or it
     * is not a count a server could have produced (a corrupt or hostile tag past 2^63).
     */
    static long tagRowCount(String cmdTuples) {
        if (cmdTuples.isEmpty()) {
            return -1;
        }
        try {
            return Long.parseLong(cmdTuples);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

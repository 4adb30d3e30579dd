package io.pqbridge;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A server-side cursor whose rows are made by a {@link RowFactory} (psycopg's
 * {@code conn.cursor(name, row_factory=...)}), from {@link Connection#cursor(String, RowFactory)}:
 * the same declaration, fetches and rules as {@link ServerCursor}, which it runs on, with each row
 * an {@code R}. The factory sees the columns when the cursor is declared, so columns it cannot
 * serve fail at {@code execute}. Not thread-safe, as {@link ServerCursor} is not.
 *
 * @param <R> what a row becomes
 */
public final class RowServerCursor<R> implements Iterable<R>, AutoCloseable {

    private final ServerCursor cursor;
    private final RowMaking<R> rows;

    RowServerCursor(ServerCursor cursor, RowFactory<R> factory) {
        this.cursor = cursor;
        this.rows = new RowMaking<>(factory);
    }

    /** {@return the cursor's name on the server} */
    public String name() {
        return cursor.name();
    }

    /** {@return the factory that makes this cursor's rows} */
    public RowFactory<R> rowFactory() {
        return rows.factory();
    }

    /**
     * As {@link ServerCursor#execute(String, Object...)}, then the factory is asked for the maker.
     *
     * @param sql the query
     * @param params the parameters' values, in order
     * @return this cursor
     */
    public RowServerCursor<R> execute(String sql, Object... params) {
        cursor.execute(sql, params);
        rows.prepare(cursor.description());
        return this;
    }

    /**
     * As {@link ServerCursor#execute(String, Map)}.
     *
     * @param sql the query
     * @param params the parameters' values by name
     * @return this cursor
     */
    public RowServerCursor<R> execute(String sql, Map<String, ?> params) {
        cursor.execute(sql, params);
        rows.prepare(cursor.description());
        return this;
    }

    /** {@return the next row, null at the end; see {@link ServerCursor#fetchOne()}} */
    public R fetchOne() {
        Row row = cursor.fetchOne();
        return row == null ? null : rows.make(row);
    }

    /**
     * {@return up to {@code size} next rows; see {@link ServerCursor#fetchMany(int)}}
     *
     * @param size how many rows at most, 1 or more
     */
    public List<R> fetchMany(int size) {
        return rows.makeAll(cursor.fetchMany(size));
    }

    /** {@return every remaining row; see {@link ServerCursor#fetchAll()}} */
    public List<R> fetchAll() {
        return rows.makeAll(cursor.fetchAll());
    }

    /** The remaining rows, fetched {@link ServerCursor#itersize()} at a time. */
    @Override
    public Iterator<R> iterator() {
        return rows.iterator(cursor.iterator());
    }

    /**
     * As {@link ServerCursor#scroll(long, String)}.
     *
     * @param value rows to move, or the target position
     * @param mode {@code "relative"} or {@code "absolute"}
     */
    public void scroll(long value, String mode) {
        cursor.scroll(value, mode);
    }

    /** {@return as {@link ServerCursor#rowNumber()}} */
    public long rowNumber() {
        return cursor.rowNumber();
    }

    /** {@return as {@link ServerCursor#description()}} */
    public List<Column> description() {
        return cursor.description();
    }

    /** {@return true once {@link #close()} has run} */
    public boolean isClosed() {
        return cursor.isClosed();
    }

    /** Closes the cursor on the server; idempotent. */
    @Override
    public void close() {
        cursor.close();
    }

    @Override
    public String toString() {
        return "Row" + cursor;
    }
}

package io.pqbridge;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A cursor whose rows are made by a {@link RowFactory} (psycopg's {@code Cursor[Row]} with a
 * {@code row_factory}), from {@link Connection#cursor(RowFactory)}: the same statements, results
 * and rules as {@link Cursor}, which it runs on, with each row an {@code R}.
 *
 * <p>The factory is asked for a maker when a result with columns becomes current: at
 * {@code execute} (in a pipeline, at the first fetch, when the result arrives) and at
 * {@link #nextSet()}. So columns the factory cannot serve fail there, before a row is read; a
 * result of the same columns as the previous one reuses its maker. Not thread-safe, as
 * {@link Cursor} is not.
 *
 * @param <R> what a row becomes
 */
public final class RowCursor<R> implements Iterable<R>, AutoCloseable {

    private final Cursor cursor;
    private final RowMaking<R> rows;

    RowCursor(Cursor cursor, RowFactory<R> factory) {
        this.cursor = cursor;
        this.rows = new RowMaking<>(factory);
    }

    /** {@return the factory that makes this cursor's rows} */
    public RowFactory<R> rowFactory() {
        return rows.factory();
    }

    /** {@return the connection this cursor runs on} */
    public Connection connection() {
        return cursor.connection();
    }

    /**
     * As {@link Cursor#execute(String, Object...)}.
     *
     * @param sql the statement
     * @param params the parameters' values, in order; none for the simple protocol
     * @return this cursor
     */
    public RowCursor<R> execute(String sql, Object... params) {
        cursor.execute(sql, params);
        return executed();
    }

    /**
     * As {@link Cursor#execute(String, Map)}.
     *
     * @param sql the statement
     * @param params the parameters' values by name
     * @return this cursor
     */
    public RowCursor<R> execute(String sql, Map<String, ?> params) {
        cursor.execute(sql, params);
        return executed();
    }

    /**
     * As {@link Cursor#execute(String, Object[], boolean)}.
     *
     * @param sql the statement
     * @param params the parameters' values, in order
     * @param prepare whether to run it as a prepared statement
     * @return this cursor
     */
    public RowCursor<R> execute(String sql, Object[] params, boolean prepare) {
        cursor.execute(sql, params, prepare);
        return executed();
    }

    /**
     * As {@link Cursor#execute(Query, Object...)}.
     *
     * @param query the statement
     * @param params the values of its placeholders, in order
     * @return this cursor
     */
    public RowCursor<R> execute(Query query, Object... params) {
        cursor.execute(query, params);
        return executed();
    }

    /**
     * As {@link Cursor#executeMany(String, Iterable, boolean)}.
     *
     * @param sql one statement
     * @param paramsSeq one {@code Object[]} or {@code Map} per run
     * @param returning true to keep every run's result
     * @return this cursor
     */
    public RowCursor<R> executeMany(String sql, Iterable<?> paramsSeq, boolean returning) {
        cursor.executeMany(sql, paramsSeq, returning);
        return executed();
    }

    /**
     * As {@link Cursor#stream(String, Object...)}, each row made by the factory: close the stream
     * (try-with-resources) unless it is read to its end.
     *
     * @param sql one statement
     * @param params the parameters' values, in order
     * @return the rows, as the server sends them
     */
    public Stream<R> stream(String sql, Object... params) {
        RowStream stream = cursor.stream(sql, params);
        return StreamSupport.stream(java.util.Spliterators.spliteratorUnknownSize(rows.iterator(stream.iterator()),
                java.util.Spliterator.ORDERED), false).onClose(stream::close);
    }

    /** {@return the next row, null when the current result has no more; see {@link Cursor#fetchOne()}} */
    public R fetchOne() {
        Row row = cursor.fetchOne();
        return row == null ? null : rows.make(row);
    }

    /**
     * {@return up to {@code size} next rows; see {@link Cursor#fetchMany(int)}}
     *
     * @param size how many rows at most
     */
    public List<R> fetchMany(int size) {
        return rows.makeAll(cursor.fetchMany(size));
    }

    /** {@return every remaining row of the current result; see {@link Cursor#fetchAll()}} */
    public List<R> fetchAll() {
        return rows.makeAll(cursor.fetchAll());
    }

    /** The remaining rows of the current result, fetched one by one. */
    @Override
    public Iterator<R> iterator() {
        return rows.iterator(cursor.iterator());
    }

    /**
     * As {@link Cursor#scroll(long, String)}.
     *
     * @param value rows to move, or the target row index
     * @param mode {@code "relative"} or {@code "absolute"}
     */
    public void scroll(long value, String mode) {
        cursor.scroll(value, mode);
    }

    /** {@return as {@link Cursor#rowCount()}} */
    public long rowCount() {
        return cursor.rowCount();
    }

    /** {@return as {@link Cursor#statusMessage()}} */
    public String statusMessage() {
        return cursor.statusMessage();
    }

    /** {@return as {@link Cursor#description()}} */
    public List<Column> description() {
        return cursor.description();
    }

    /**
     * Moves to the next result, as {@link Cursor#nextSet()}, asking the factory for its maker.
     *
     * @return false when there is no further result
     */
    public boolean nextSet() {
        boolean moved = cursor.nextSet();
        if (moved) {
            rows.prepare(cursor.description());
        }
        return moved;
    }

    /** {@return true once {@link #close()} has run} */
    public boolean isClosed() {
        return cursor.isClosed();
    }

    /** Closes the cursor; idempotent. */
    @Override
    public void close() {
        cursor.close();
    }

    @Override
    public String toString() {
        return "Row" + cursor;
    }

    /** psycopg makes the row maker when the result becomes current: outside a pipeline, that is now. */
    private RowCursor<R> executed() {
        if (!cursor.pipelining().awaiting()) {
            rows.prepare(cursor.description());
        }
        return this;
    }
}

package io.pqbridge;

import java.util.Map;

/**
 * A connection whose cursors make their rows with one {@link RowFactory} (psycopg's
 * {@code connect(row_factory=...)} or {@code conn.row_factory = ...}), from
 * {@link Connection#withRowFactory(RowFactory)}. Java cannot change the row type of a
 * {@code Connection} already typed by its callers, so the connection-wide factory is this typed
 * handle on the same connection: same session, transaction and lock; closing the connection
 * closes it. Thread-safe as the connection is.
 *
 * @param <R> what a row becomes
 */
public final class RowConnection<R> {

    private final Connection conn;
    private final RowFactory<R> factory;

    RowConnection(Connection conn, RowFactory<R> factory) {
        this.conn = conn;
        this.factory = java.util.Objects.requireNonNull(factory, "rowFactory");
    }

    /** {@return the connection itself} */
    public Connection connection() {
        return conn;
    }

    /** {@return the factory that makes the rows} */
    public RowFactory<R> rowFactory() {
        return factory;
    }

    /** {@return a new cursor whose rows the factory makes} */
    public RowCursor<R> cursor() {
        return conn.cursor(factory);
    }

    /**
     * Runs {@code sql} on a new cursor; see {@link Cursor#execute(String, Object...)}.
     *
     * @param sql the statement
     * @param params the parameters' values, in order
     * @return the cursor, its first result current
     */
    public RowCursor<R> execute(String sql, Object... params) {
        return cursor().execute(sql, params);
    }

    /**
     * Runs {@code sql} with named parameters on a new cursor.
     *
     * @param sql the statement
     * @param params the parameters' values by name
     * @return the cursor, its first result current
     */
    public RowCursor<R> execute(String sql, Map<String, ?> params) {
        return cursor().execute(sql, params);
    }

    /**
     * Runs composed SQL on a new cursor.
     *
     * @param query the statement
     * @param params the values of its placeholders, in order
     * @return the cursor, its first result current
     */
    public RowCursor<R> execute(Query query, Object... params) {
        return cursor().execute(query, params);
    }

    @Override
    public String toString() {
        return "RowConnection" + ConnectionInfo.summary(conn.pgconn);
    }
}

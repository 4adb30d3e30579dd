package io.pqbridge;

/**
 * The isolation levels a transaction can run at (psycopg's {@code IsolationLevel}), for
 * {@link Connection#setIsolationLevel}. Each is sent as written in PostgreSQL's
 * {@code BEGIN ISOLATION LEVEL ...}; PostgreSQL runs {@link #READ_UNCOMMITTED} as
 * {@link #READ_COMMITTED}.
 */
public enum IsolationLevel {
    READ_UNCOMMITTED,
    READ_COMMITTED,
    REPEATABLE_READ,
    SERIALIZABLE;

    /** {@return the level as SQL writes it, {@code REPEATABLE READ} for {@link #REPEATABLE_READ}} */
    public String sql() {
        return name().replace('_', ' ');
    }
}

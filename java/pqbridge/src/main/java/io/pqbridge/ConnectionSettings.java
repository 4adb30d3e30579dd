package io.pqbridge;

import io.pqbridge.errors.ProgrammingException;

/**
 * The settings of a {@link Connection} that psycopg exposes as its attributes: autocommit, the
 * characteristics of the transactions it begins, and the automatic preparation of statements.
 * They are read and set like psycopg's ({@code conn.autocommit = True} is
 * {@code conn.setAutocommit(true)}), and they are part of {@link Connection}'s public API: this
 * class only holds them apart from the connection's operations, which would otherwise make one
 * long file. Only {@link Connection} extends it.
 */
abstract sealed class ConnectionSettings permits Connection {

    /** Autocommit, the transaction characteristics, commit and rollback. */
    final TransactionControl transactions = new TransactionControl();
    /** The statements prepared automatically; guarded by the connection's lock. */
    final PreparedStatements prepared = new PreparedStatements();

    ConnectionSettings() {
    }

    /** The connection these are the settings of: the one subclass, so the cast always holds. */
    private Connection connection() {
        return (Connection) this;
    }

    /**
     * {@return how many times a statement runs before it is prepared on the server (psycopg's
     * {@code prepare_threshold}, default 5); null when statements are never prepared
     * automatically}
     */
    public Integer prepareThreshold() {
        return prepared.threshold();
    }

    /**
     * Sets how many times a statement (same text, same parameter types) runs unprepared before
     * it is prepared on the server; 0 prepares on the first run, null never prepares (as in
     * psycopg, not even when a call asks with {@link Cursor#execute(String, Object[], boolean)}).
     *
     * @param threshold the number of runs, or null
     * @throws IllegalArgumentException for a negative number
     */
    public void setPrepareThreshold(Integer threshold) {
        prepared.threshold(threshold);
    }

    /**
     * {@return how many statements at most stay prepared on the server (psycopg's
     * {@code prepared_max}, default 100); the least recently used one is closed when another is
     * prepared}
     */
    public int preparedMax() {
        return prepared.max();
    }

    /**
     * Sets how many statements at most stay prepared; a lower number closes the surplus after the
     * next statements.
     *
     * @param max the number of statements
     * @throws IllegalArgumentException for a negative number
     */
    public void setPreparedMax(int max) {
        prepared.max(max);
    }

    /**
     * {@return true when every statement commits on its own; false (the default) when the first one
     * opens a transaction}
     */
    public boolean isAutocommit() {
        return transactions.autocommit();
    }

    /**
     * Switches autocommit; only while no transaction is open.
     *
     * @param value true for autocommit
     * @throws ProgrammingException when the status is not IDLE
     */
    public void setAutocommit(boolean value) {
        transactions.autocommit(connection(), value);
    }

    /**
     * {@return the isolation level of the transactions this connection begins (psycopg's
     * {@code isolation_level}); null for the server's default}
     */
    public IsolationLevel isolationLevel() {
        return transactions.isolationLevel();
    }

    /**
     * Sets the isolation level that {@code BEGIN} asks for, in the implicit transaction and in
     * {@link Connection#transaction} blocks (in autocommit, only there); only while no transaction is open.
     *
     * @param level the level; null for the server's default
     * @throws ProgrammingException "can't change 'isolation_level' now: ..." in a transaction
     */
    public void setIsolationLevel(IsolationLevel level) {
        transactions.isolationLevel(connection(), level);
    }

    /** {@return whether the transactions begun are read-only (psycopg's {@code read_only}); null for the server's default} */
    public Boolean readOnly() {
        return transactions.readOnly();
    }

    /**
     * Makes {@code BEGIN} ask for {@code READ ONLY} (true) or {@code READ WRITE} (false), as
     * {@link #setIsolationLevel} does for the level.
     *
     * @param value null for the server's default
     * @throws ProgrammingException "can't change 'read_only' now: ..." in a transaction
     */
    public void setReadOnly(Boolean value) {
        transactions.readOnly(connection(), value);
    }

    /** {@return whether the transactions begun are deferrable (psycopg's {@code deferrable}); null for the server's default} */
    public Boolean deferrable() {
        return transactions.deferrable();
    }

    /**
     * Makes {@code BEGIN} ask for {@code DEFERRABLE} (true) or {@code NOT DEFERRABLE} (false), as
     * {@link #setIsolationLevel} does for the level; it matters to serializable read-only
     * transactions.
     *
     * @param value null for the server's default
     * @throws ProgrammingException "can't change 'deferrable' now: ..." in a transaction
     */
    public void setDeferrable(Boolean value) {
        transactions.deferrable(connection(), value);
    }
}

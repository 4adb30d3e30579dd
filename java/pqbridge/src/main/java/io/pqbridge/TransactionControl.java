package io.pqbridge;

import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.pq.PgTransactionStatus;

/**
 * How a connection opens and ends transactions outside {@link Connection#transaction} blocks:
 * psycopg's {@code autocommit}, {@code isolation_level}, {@code read_only} and {@code deferrable},
 * the {@code BEGIN} they make ({@code _get_tx_start_command}), the implicit transaction that
 * {@code BEGIN} opens before a command ({@code _start_query}), and {@code commit()} and
 * {@code rollback()}.
 *
 * <p>The settings change only under the connection's lock and only while no transaction is open
 * (status IDLE), with psycopg's refusal otherwise, so that a transaction never runs with
 * characteristics other than those it was begun with. They are volatile so that the getters can
 * be called from any thread. The {@code BEGIN} text is rebuilt at each change, never per query.
 */
final class TransactionControl {

    private volatile boolean autocommit;
    private volatile IsolationLevel isolationLevel;
    private volatile Boolean readOnly;
    private volatile Boolean deferrable;
    private volatile String begin = "BEGIN";

    boolean autocommit() {
        return autocommit;
    }

    IsolationLevel isolationLevel() {
        return isolationLevel;
    }

    Boolean readOnly() {
        return readOnly;
    }

    Boolean deferrable() {
        return deferrable;
    }

    /** {@return the BEGIN psycopg sends: {@code BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE} at most} */
    String beginCommand() {
        return begin;
    }

    void autocommit(Connection conn, boolean value) {
        change(conn, "autocommit", () -> autocommit = value);
    }

    void isolationLevel(Connection conn, IsolationLevel value) {
        change(conn, "isolation_level", () -> isolationLevel = value);
    }

    void readOnly(Connection conn, Boolean value) {
        change(conn, "read_only", () -> readOnly = value);
    }

    void deferrable(Connection conn, Boolean value) {
        change(conn, "deferrable", () -> deferrable = value);
    }

    /**
     * Opens the implicit transaction when needed (psycopg's {@code _start_query}): outside
     * autocommit, before the first command sent while the connection is IDLE. Lock held.
     *
     * @return true when this call sent BEGIN
     */
    boolean startQuery(Connection conn) {
        if (!autocommit && conn.pgconn.transactionStatus() == PgTransactionStatus.IDLE) {
            conn.execCommand(begin);
            syncHeld(conn, true); // as psycopg: the transaction is known to be open
            return true;
        }
        return false;
    }

    /** psycopg's {@code _check_intrans}, then the change and the new BEGIN text. */
    private void change(Connection conn, String attribute, Runnable update) {
        conn.lock.acquire();
        try {
            conn.checkOpen();
            PgTransactionStatus status = conn.pgconn.transactionStatus();
            if (status != PgTransactionStatus.IDLE) {
                throw new ProgrammingException(conn.openTransactions > 0
                        ? "can't change '" + attribute + "' now: connection.transaction() context in progress"
                        : "can't change '" + attribute + "' now: connection in transaction status " + status);
            }
            update.run();
            StringBuilder command = new StringBuilder("BEGIN");
            if (isolationLevel != null) {
                command.append(" ISOLATION LEVEL ").append(isolationLevel.sql());
            }
            if (readOnly != null) {
                command.append(readOnly ? " READ ONLY" : " READ WRITE");
            }
            if (deferrable != null) {
                command.append(deferrable ? " DEFERRABLE" : " NOT DEFERRABLE");
            }
            begin = command.toString();
        } finally {
            conn.lock.release();
        }
    }

    /** {@link Connection#commit()}. */
    void commit(Connection conn) {
        outsideBlocks(conn, "Explicit commit() forbidden within a Transaction context. (Transaction will be"
                + " automatically committed on successful exit from context.)", () -> {
                    if (conn.pgconn.transactionStatus() != PgTransactionStatus.IDLE) {
                        conn.execCommand("COMMIT");
                        syncHeld(conn, true);
                    }
                });
    }

    /** {@link Connection#rollback()}. */
    void rollback(Connection conn) {
        outsideBlocks(conn, "Explicit rollback() forbidden within a Transaction context. (Either raise Rollback()"
                + " or allow an exception to propagate out of the context.)", () -> {
                    syncHeld(conn, false); // out of an aborted pipeline: the error it ends is what is rolled back
                    if (conn.pgconn.transactionStatus() != PgTransactionStatus.IDLE) {
                        conn.execCommand("ROLLBACK");
                        conn.prepared.clear(); // what was rolled back may have dropped or changed what they use
                        conn.prepared.maintain(conn);
                        syncHeld(conn, true);
                    }
                });
    }

    /** Runs {@code end} under the lock on an open connection, unless a transaction() block is open (psycopg's refusal). */
    private static void outsideBlocks(Connection conn, String refusal, Runnable end) {
        conn.lock.acquire();
        try {
            conn.checkOpen();
            if (conn.openTransactions > 0) {
                throw new ProgrammingException(refusal);
            }
            end.run();
        } finally {
            conn.lock.release();
        }
    }

    private static void syncHeld(Connection conn, boolean value) {
        Pipeline pipeline = conn.pipelineInProgress();
        if (pipeline != null) {
            pipeline.syncHeld(value);
        }
    }
}

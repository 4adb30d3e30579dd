package io.pqbridge;

import io.pqbridge.errors.OutOfOrderTransactionNesting;
import io.pqbridge.pq.Loggers;
import io.pqbridge.pq.PgConnStatus;
import io.pqbridge.pq.PgTransactionStatus;

/**
 * One {@link Connection#transaction} block (psycopg's {@code Transaction}), handed to the block's
 * body.
 *
 * <h2>Enter</h2>
 * A block entered while the connection is IDLE is the <em>outer</em> block: it sends {@code BEGIN},
 * then {@code SAVEPOINT "<name>"} if it was given a name. Any other block is <em>inner</em> and always
 * uses a savepoint: the given name, or {@code _pg3_<n>} where n is the number of blocks open on the
 * connection plus one. Names are quoted as identifiers. If the enter fails (e.g. the transaction is
 * already failed, or the connection is busy), the block is not counted as open and an outer
 * {@code BEGIN} already sent is rolled back (psycopg leaves the failed block counted; a deliberate
 * deviation).
 *
 * <h2>Exit</h2>
 * Normal exit without {@code forceRollback}: inner {@code RELEASE}, outer {@code COMMIT}; its failure
 * propagates and the status is {@link Status#FAILED} (psycopg reports COMMITTED; a deliberate deviation).
 * Otherwise: inner {@code ROLLBACK TO} + {@code RELEASE}, outer {@code ROLLBACK}; a failure of
 * those is logged and the block's own exception propagates. A {@link Rollback} is swallowed by the
 * block it targets. Before any SQL the exit checks that it is the innermost open block; if not
 * (blocks interleaved by two threads, say) it raises {@link OutOfOrderTransactionNesting} instead,
 * sends nothing; the block's own exception is attached to it as suppressed. On a closed or broken
 * connection the exit sends nothing and the status is {@link Status#FAILED}.
 */
public final class Transaction {

    /** Where a block is in its life (psycopg's {@code Transaction.Status}). */
    public enum Status {
        /** Not entered yet. */
        NOT_STARTED,
        /** Entered and not exited yet: the body is running. */
        ACTIVE,
        /** Exited normally: committed (an outer block) or its savepoint released (an inner one). */
        COMMITTED,
        /** Rolled back because of an exception other than {@link Rollback}. */
        ROLLED_BACK_WITH_ERROR,
        /** Rolled back by a {@link Rollback} passing through it, or by {@code forceRollback}. */
        ROLLED_BACK_EXPLICITLY,
        /** Nothing was committed: the connection was not usable at exit, or the commit failed. */
        FAILED
    }

    private final Connection conn;
    private final boolean forceRollback;
    private String savepointName;
    private boolean outer;
    private int stackIndex = -1;
    private volatile Status status = Status.NOT_STARTED;

    Transaction(Connection conn, String savepointName, boolean forceRollback) {
        this.conn = conn;
        this.savepointName = savepointName == null || savepointName.isEmpty() ? null : savepointName;
        this.forceRollback = forceRollback;
    }

    /** {@return the connection the block runs on} */
    public Connection connection() {
        return conn;
    }

    /** {@return the savepoint's name; null for an outer block without one} */
    public String savepointName() {
        return savepointName;
    }

    /** {@return true when the block rolls back even on normal exit} */
    public boolean forceRollback() {
        return forceRollback;
    }

    /** {@return where the block is in its life; readable from any thread} */
    public Status status() {
        return status;
    }

    /** {@code Transaction['_pg3_2' (COMMITTED) [IDLE] (host=... database=...)]}, as psycopg's repr. */
    @Override
    public String toString() {
        return "Transaction[" + (savepointName == null ? "" : "'" + savepointName + "' ") + "(" + status + ") "
                + ConnectionInfo.summary(conn.pgconn) + "]";
    }

    void enter() {
        conn.lock.acquire();
        try {
            conn.checkOpen();
            status = Status.ACTIVE;
            outer = conn.pgconn.transactionStatus() == PgTransactionStatus.IDLE;
            if (!outer && savepointName == null) {
                savepointName = "_pg3_" + (conn.openTransactions + 1);
            }
            stackIndex = conn.openTransactions;
            conn.openTransactions++;
            boolean begun = false;
            try {
                if (outer) {
                    conn.execCommand(conn.transactions.beginCommand());
                    begun = true;
                }
                if (savepointName != null) {
                    conn.execCommand("SAVEPOINT " + Statements.quoteIdentifier(savepointName));
                }
            } catch (RuntimeException | Error e) {
                conn.openTransactions--;
                status = Status.FAILED;
                if (begun) {
                    rollbackQuietly("ROLLBACK");
                }
                throw e;
            }
        } finally {
            conn.lock.release();
        }
    }

    /**
     * Ends the block; {@code failure} is how the body ended (null: normally).
     *
     * @return true when {@code failure} is a {@link Rollback} this block swallows
     */
    boolean exit(Throwable failure) {
        if (conn.pgconn.status() != PgConnStatus.OK) {
            status = Status.FAILED;
            return false;
        }
        conn.lock.acquire();
        try {
            if (failure == null && !forceRollback) {
                commit();
                return false;
            }
            return rollback(failure);
        } finally {
            conn.lock.release();
        }
    }

    private void commit() {
        boolean inOrder = popSavepoint();
        if (!inOrder) {
            status = Status.FAILED;
            throw new OutOfOrderTransactionNesting("transaction commit at the wrong nesting level: " + this);
        }
        try {
            if (!outer) {
                conn.execCommand("RELEASE " + Statements.quoteIdentifier(savepointName));
            } else {
                conn.execCommand("COMMIT");
            }
            status = Status.COMMITTED;
        } catch (RuntimeException | Error e) {
            status = Status.FAILED;
            throw e;
        }
    }

    private boolean rollback(Throwable failure) {
        boolean inOrder = popSavepoint();
        status = failure instanceof Rollback || forceRollback ? Status.ROLLED_BACK_EXPLICITLY
                : Status.ROLLED_BACK_WITH_ERROR;
        if (!inOrder) {
            throw new OutOfOrderTransactionNesting("transaction rollback at the wrong nesting level: " + this);
        }
        try {
            if (!outer) {
                conn.execCommand("ROLLBACK TO " + Statements.quoteIdentifier(savepointName));
                conn.execCommand("RELEASE " + Statements.quoteIdentifier(savepointName));
            } else {
                conn.execCommand("ROLLBACK");
            }
            conn.prepared.clear(); // what was rolled back may have dropped or changed what they use
            conn.prepared.maintain(conn);
        } catch (RuntimeException e) {
            Loggers.facade().log(System.Logger.Level.WARNING, "error ignored in rollback of {0}: {1}", this,
                    e.getMessage());
            return false;
        }
        return failure instanceof Rollback r && (r.transaction() == null || r.transaction() == this);
    }

    /** Leaves the connection's stack of blocks; false when this block was not the innermost one. */
    private boolean popSavepoint() {
        conn.openTransactions--;
        return conn.openTransactions == stackIndex;
    }

    private void rollbackQuietly(String command) {
        try {
            conn.execCommand(command);
        } catch (RuntimeException e) {
            Loggers.facade().log(System.Logger.Level.WARNING, "error ignored undoing the failed enter of {0}: {1}",
                    this, e.getMessage());
        }
    }

    /** {@link Connection#transactionResult(String, boolean, TransactionFunction)} as psycopg's {@code Transaction} runs it. */
    static <T, E extends Exception> T run(Connection conn, String savepointName, boolean forceRollback,
            TransactionFunction<T, E> body) throws E {
        Transaction tx = new Transaction(conn, savepointName, forceRollback);
        tx.enter();
        T result;
        try {
            result = body.apply(tx);
        } catch (Throwable t) {
            boolean swallowed;
            try {
                swallowed = tx.exit(t);
            } catch (RuntimeException | Error exitError) {
                throw Blocks.exitFailure(exitError, t);
            }
            if (swallowed) {
                return null;
            }
            throw Blocks.<E>rethrow(t);
        }
        tx.exit(null);
        return result;
    }
}

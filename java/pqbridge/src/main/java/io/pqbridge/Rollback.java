package io.pqbridge;

/**
 * Thrown inside a {@link Connection#transaction} block to leave it and roll it back (psycopg's
 * {@code Rollback}).
 *
 * <p>{@code new Rollback()} targets the innermost block: that block rolls back and swallows it, and
 * execution continues after the block. {@code new Rollback(tx)} targets the block of {@code tx}:
 * every block from the innermost one up to and including {@code tx} rolls back, only {@code tx}'s
 * block swallows it, and blocks outside {@code tx} are unaffected. When {@code tx} is not an
 * enclosing block (already finished, or another connection's), every block rolls back and the
 * exception escapes to the caller. Thrown outside any block, it is an ordinary exception.
 */
public class Rollback extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Transaction transaction;

    /** Rolls back the innermost transaction block. */
    public Rollback() {
        this(null);
    }

    /**
     * Rolls back every block up to and including {@code transaction}'s.
     *
     * @param transaction the outermost block to roll back; null for the innermost one
     */
    public Rollback(Transaction transaction) {
        super(transaction == null ? "rollback of the innermost transaction block"
                : "rollback up to " + transaction);
        this.transaction = transaction;
    }

    /** {@return the block this rollback targets; null for the innermost one} */
    public Transaction transaction() {
        return transaction;
    }
}

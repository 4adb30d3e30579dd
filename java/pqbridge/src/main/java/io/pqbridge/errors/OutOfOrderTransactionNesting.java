package io.pqbridge.errors;


/**
 * A transaction block exited while a block nested in it was still open (psycopg's
 * {@code OutOfOrderTransactionNesting}), e.g. two threads interleaving blocks on one connection.
 * Raised on the client side before any SQL is sent; {@link #sqlstate()} is null.
 */
public class OutOfOrderTransactionNesting extends ProgrammingException {
    private static final long serialVersionUID = 1L;

    public OutOfOrderTransactionNesting(String message) {
        super(message);
    }

    public OutOfOrderTransactionNesting(String message, Throwable cause) {
        super(message, cause);
    }

    public OutOfOrderTransactionNesting(String message, Diagnostic diag) {
        super(message, diag);
    }

    public OutOfOrderTransactionNesting(String message, Diagnostic diag, Throwable cause) {
        super(message, diag, cause);
    }
}

package io.pqbridge.errors;


/**
 * A transaction block exited while a block nested in it was still open (psycopg's
 * {@code OutOfOrderTransactionNesting}), e.g. two threads interleaving blocks on one connection.
 * Raised on the client side before any SQL is sent; {@link #sqlstate()} is null.
 */
public class OutOfOrderTransactionNesting extends ProgrammingException {
    private static final long serialVersionUID = 1L;

    /**
     * An error with {@code message}, without diagnostic fields ({@link Diagnostic#NONE}).
     *
     * @param message the detail message, as {@link Throwable#getMessage()} returns it
     */
    public OutOfOrderTransactionNesting(String message) {
        super(message);
    }

    /**
     * An error with {@code message}, without diagnostic fields ({@link Diagnostic#NONE}), caused by
     * {@code cause}.
     *
     * @param message the detail message, as {@link Throwable#getMessage()} returns it
     * @param cause the underlying failure, or null
     */
    public OutOfOrderTransactionNesting(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * An error with {@code message} and the server's diagnostic fields.
     *
     * @param message the detail message, as {@link Throwable#getMessage()} returns it
     * @param diag the server's diagnostic fields; null stands for {@link Diagnostic#NONE}
     */
    public OutOfOrderTransactionNesting(String message, Diagnostic diag) {
        super(message, diag);
    }

    /**
     * An error with {@code message} and the server's diagnostic fields, caused by {@code cause}.
     *
     * @param message the detail message, as {@link Throwable#getMessage()} returns it
     * @param diag the server's diagnostic fields; null stands for {@link Diagnostic#NONE}
     * @param cause the underlying failure, or null
     */
    public OutOfOrderTransactionNesting(String message, Diagnostic diag, Throwable cause) {
        super(message, diag, cause);
    }
}

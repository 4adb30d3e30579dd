package io.pqbridge.errors;

/**
 * The base of every error pqbridge raises (psycopg's {@code Error}); unchecked.
 *
 * <p>A server error carries the server's SQLSTATE and {@link Diagnostic}; its message is libpq's
 * formatted message without the leading severity word, with the {@code LINE n:}/caret,
 * {@code DETAIL:}, {@code HINT:} and {@code CONTEXT:} lines as libpq prints them. A client-side
 * error has a null {@link #sqlstate()} and {@link Diagnostic#NONE}.
 */
public class PqException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Diagnostic diag;

    /**
     * An error with {@code message}, without diagnostic fields ({@link Diagnostic#NONE}).
     *
     * @param message the detail message, as {@link Throwable#getMessage()} returns it
     */
    public PqException(String message) {
        this(message, Diagnostic.NONE, null);
    }

    /**
     * An error with {@code message}, without diagnostic fields ({@link Diagnostic#NONE}), caused by
     * {@code cause}.
     *
     * @param message the detail message, as {@link Throwable#getMessage()} returns it
     * @param cause the underlying failure, or null
     */
    public PqException(String message, Throwable cause) {
        this(message, Diagnostic.NONE, cause);
    }

    /**
     * An error with {@code message} and the server's diagnostic fields.
     *
     * @param message the detail message, as {@link Throwable#getMessage()} returns it
     * @param diag the server's diagnostic fields; null stands for {@link Diagnostic#NONE}
     */
    public PqException(String message, Diagnostic diag) {
        this(message, diag, null);
    }

    /**
     * An error with {@code message} and the server's diagnostic fields, caused by {@code cause}.
     *
     * @param message the detail message, as {@link Throwable#getMessage()} returns it
     * @param diag the server's diagnostic fields; null stands for {@link Diagnostic#NONE}
     * @param cause the underlying failure, or null
     */
    public PqException(String message, Diagnostic diag, Throwable cause) {
        super(message, cause);
        this.diag = diag == null ? Diagnostic.NONE : diag;
    }

    /** {@return the server's SQLSTATE, null for a client-side error} */
    public String sqlstate() {
        return diag.sqlstate();
    }

    /** {@return the server's diagnostic fields; {@link Diagnostic#NONE} for a client-side error} */
    public Diagnostic diag() {
        return diag;
    }
}

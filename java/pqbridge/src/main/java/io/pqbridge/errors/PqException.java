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

    public PqException(String message) {
        this(message, Diagnostic.NONE, null);
    }

    public PqException(String message, Throwable cause) {
        this(message, Diagnostic.NONE, cause);
    }

    public PqException(String message, Diagnostic diag) {
        this(message, diag, null);
    }

    public PqException(String message, Diagnostic diag, Throwable cause) {
        super(message, cause);
        this.diag = diag == null ? Diagnostic.NONE : diag;
    }

    /** The server's SQLSTATE, null for a client-side error. */
    public String sqlstate() {
        return diag.sqlstate();
    }

    /** The server's diagnostic fields; {@link Diagnostic#NONE} for a client-side error. */
    public Diagnostic diag() {
        return diag;
    }
}

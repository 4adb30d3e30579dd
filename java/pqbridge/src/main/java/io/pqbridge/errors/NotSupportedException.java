package io.pqbridge.errors;

/**
 * A feature the database or pqbridge does not support (DB-API {@code NotSupportedError}).
 */
public class NotSupportedException extends DatabaseException {
    private static final long serialVersionUID = 1L;

    public NotSupportedException(String message) {
        super(message);
    }

    public NotSupportedException(String message, Throwable cause) {
        super(message, cause);
    }

    public NotSupportedException(String message, Diagnostic diag) {
        super(message, diag);
    }

    public NotSupportedException(String message, Diagnostic diag, Throwable cause) {
        super(message, diag, cause);
    }
}

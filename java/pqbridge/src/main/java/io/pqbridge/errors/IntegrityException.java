package io.pqbridge.errors;

/**
 * A violated integrity constraint (DB-API {@code IntegrityError}): unique, foreign key, not-null, check.
 */
public class IntegrityException extends DatabaseException {
    private static final long serialVersionUID = 1L;

    public IntegrityException(String message) {
        super(message);
    }

    public IntegrityException(String message, Throwable cause) {
        super(message, cause);
    }

    public IntegrityException(String message, Diagnostic diag) {
        super(message, diag);
    }

    public IntegrityException(String message, Diagnostic diag, Throwable cause) {
        super(message, diag, cause);
    }
}

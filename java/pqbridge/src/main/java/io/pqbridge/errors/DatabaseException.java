package io.pqbridge.errors;

/**
 * An error related to the database (DB-API {@code DatabaseError}); the base of the server errors.
 */
public class DatabaseException extends PqException {
    private static final long serialVersionUID = 1L;

    public DatabaseException(String message) {
        super(message);
    }

    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }

    public DatabaseException(String message, Diagnostic diag) {
        super(message, diag);
    }

    public DatabaseException(String message, Diagnostic diag, Throwable cause) {
        super(message, diag, cause);
    }
}

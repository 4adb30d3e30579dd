package io.pqbridge.errors;

/**
 * The database hit an internal error or an invalid transaction state (DB-API {@code InternalError}).
 */
public class InternalException extends DatabaseException {
    private static final long serialVersionUID = 1L;

    public InternalException(String message) {
        super(message);
    }

    public InternalException(String message, Throwable cause) {
        super(message, cause);
    }

    public InternalException(String message, Diagnostic diag) {
        super(message, diag);
    }

    public InternalException(String message, Diagnostic diag, Throwable cause) {
        super(message, diag, cause);
    }
}

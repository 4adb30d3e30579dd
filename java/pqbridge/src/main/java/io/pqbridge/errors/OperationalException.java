package io.pqbridge.errors;

/**
 * An error in the database's operation, often outside the programmer's control (DB-API {@code OperationalError}): a lost connection, a cancelled query, a refused command.
 */
public class OperationalException extends DatabaseException {
    private static final long serialVersionUID = 1L;

    public OperationalException(String message) {
        super(message);
    }

    public OperationalException(String message, Throwable cause) {
        super(message, cause);
    }

    public OperationalException(String message, Diagnostic diag) {
        super(message, diag);
    }

    public OperationalException(String message, Diagnostic diag, Throwable cause) {
        super(message, diag, cause);
    }
}

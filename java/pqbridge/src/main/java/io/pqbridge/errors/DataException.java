package io.pqbridge.errors;

/**
 * A problem with the processed data (DB-API {@code DataError}): division by zero, a value out of range, a bad COPY format.
 */
public class DataException extends DatabaseException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }

    public DataException(String message, Diagnostic diag) {
        super(message, diag);
    }

    public DataException(String message, Diagnostic diag, Throwable cause) {
        super(message, diag, cause);
    }
}

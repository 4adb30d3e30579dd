package io.pqbridge.errors;

/**
 * A programming error (DB-API {@code ProgrammingError}): bad SQL, a missing table, misuse of the API such as a forbidden commit inside a transaction block.
 */
public class ProgrammingException extends DatabaseException {
    private static final long serialVersionUID = 1L;

    public ProgrammingException(String message) {
        super(message);
    }

    public ProgrammingException(String message, Throwable cause) {
        super(message, cause);
    }

    public ProgrammingException(String message, Diagnostic diag) {
        super(message, diag);
    }

    public ProgrammingException(String message, Diagnostic diag, Throwable cause) {
        super(message, diag, cause);
    }
}

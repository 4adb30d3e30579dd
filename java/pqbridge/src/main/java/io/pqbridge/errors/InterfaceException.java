package io.pqbridge.errors;

/**
 * An error in the use of the interface rather than of the database (DB-API {@code InterfaceError}), e.g. a closed cursor.
 */
public class InterfaceException extends PqException {
    private static final long serialVersionUID = 1L;

    public InterfaceException(String message) {
        super(message);
    }

    public InterfaceException(String message, Throwable cause) {
        super(message, cause);
    }

    public InterfaceException(String message, Diagnostic diag) {
        super(message, diag);
    }

    public InterfaceException(String message, Diagnostic diag, Throwable cause) {
        super(message, diag, cause);
    }
}

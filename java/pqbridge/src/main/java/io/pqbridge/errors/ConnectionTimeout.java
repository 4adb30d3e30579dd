package io.pqbridge.errors;


/**
 * No connection was obtained within {@code connect_timeout} (psycopg's {@code ConnectionTimeout}).
 * Raised on the client side; {@link #sqlstate()} is null.
 */
public class ConnectionTimeout extends OperationalException {
    private static final long serialVersionUID = 1L;

    public ConnectionTimeout(String message) {
        super(message);
    }

    public ConnectionTimeout(String message, Throwable cause) {
        super(message, cause);
    }

    public ConnectionTimeout(String message, Diagnostic diag) {
        super(message, diag);
    }

    public ConnectionTimeout(String message, Diagnostic diag, Throwable cause) {
        super(message, diag, cause);
    }
}

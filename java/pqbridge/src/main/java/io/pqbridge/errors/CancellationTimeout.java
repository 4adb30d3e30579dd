package io.pqbridge.errors;


/**
 * A cancel request did not complete within its timeout (psycopg's {@code CancellationTimeout},
 * message "cancellation timeout expired"). Raised on the client side; {@link #sqlstate()} is null.
 */
public class CancellationTimeout extends OperationalException {
    private static final long serialVersionUID = 1L;

    public CancellationTimeout(String message) {
        super(message);
    }

    public CancellationTimeout(String message, Throwable cause) {
        super(message, cause);
    }

    public CancellationTimeout(String message, Diagnostic diag) {
        super(message, diag);
    }

    public CancellationTimeout(String message, Diagnostic diag, Throwable cause) {
        super(message, diag, cause);
    }
}

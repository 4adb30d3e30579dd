package io.pqbridge.errors;


/**
 * No connection was obtained within {@code connect_timeout} (psycopg's {@code ConnectionTimeout}).
 * Raised on the client side; {@link #sqlstate()} is null.
 */
public class ConnectionTimeout extends OperationalException {
    private static final long serialVersionUID = 1L;

    /**
     * An error with {@code message}, without diagnostic fields ({@link Diagnostic#NONE}).
     *
     * @param message the detail message, as {@link Throwable#getMessage()} returns it
     */
    public ConnectionTimeout(String message) {
        super(message);
    }

    /**
     * An error with {@code message}, without diagnostic fields ({@link Diagnostic#NONE}), caused by
     * {@code cause}.
     *
     * @param message the detail message, as {@link Throwable#getMessage()} returns it
     * @param cause the underlying failure, or null
     */
    public ConnectionTimeout(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * An error with {@code message} and the server's diagnostic fields.
     *
     * @param message the detail message, as {@link Throwable#getMessage()} returns it
     * @param diag the server's diagnostic fields; null stands for {@link Diagnostic#NONE}
     */
    public ConnectionTimeout(String message, Diagnostic diag) {
        super(message, diag);
    }

    /**
     * An error with {@code message} and the server's diagnostic fields, caused by {@code cause}.
     *
     * @param message the detail message, as {@link Throwable#getMessage()} returns it
     * @param diag the server's diagnostic fields; null stands for {@link Diagnostic#NONE}
     * @param cause the underlying failure, or null
     */
    public ConnectionTimeout(String message, Diagnostic diag, Throwable cause) {
        super(message, diag, cause);
    }
}

package io.pqbridge.errors;

/**
 * A problem with the processed data (DB-API {@code DataError}): division by zero, a value out of range, a bad COPY format.
 */
public class DataException extends DatabaseException {
    private static final long serialVersionUID = 1L;

    /**
     * An error with {@code message}, without diagnostic fields ({@link Diagnostic#NONE}).
     *
     * @param message the detail message, as {@link Throwable#getMessage()} returns it
     */
    public DataException(String message) {
        super(message);
    }

    /**
     * An error with {@code message}, without diagnostic fields ({@link Diagnostic#NONE}), caused by
     * {@code cause}.
     *
     * @param message the detail message, as {@link Throwable#getMessage()} returns it
     * @param cause the underlying failure, or null
     */
    public DataException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * An error with {@code message} and the server's diagnostic fields.
     *
     * @param message the detail message, as {@link Throwable#getMessage()} returns it
     * @param diag the server's diagnostic fields; null stands for {@link Diagnostic#NONE}
     */
    public DataException(String message, Diagnostic diag) {
        super(message, diag);
    }

    /**
     * An error with {@code message} and the server's diagnostic fields, caused by {@code cause}.
     *
     * @param message the detail message, as {@link Throwable#getMessage()} returns it
     * @param diag the server's diagnostic fields; null stands for {@link Diagnostic#NONE}
     * @param cause the underlying failure, or null
     */
    public DataException(String message, Diagnostic diag, Throwable cause) {
        super(message, diag, cause);
    }
}

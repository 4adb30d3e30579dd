package io.pqbridge.errors;

/**
 * An error related to the database (DB-API {@code DatabaseError}); the base of the server errors.
 */
public class DatabaseException extends PqException {
    private static final long serialVersionUID = 1L;

    /**
     * An error with {@code message}, without diagnostic fields ({@link Diagnostic#NONE}).
     *
     * @param message the detail message, as {@link Throwable#getMessage()} returns it
     */
    public DatabaseException(String message) {
        super(message);
    }

    /**
     * An error with {@code message}, without diagnostic fields ({@link Diagnostic#NONE}), caused by
     * {@code cause}.
     *
     * @param message the detail message, as {@link Throwable#getMessage()} returns it
     * @param cause the underlying failure, or null
     */
    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * An error with {@code message} and the server's diagnostic fields.
     *
     * @param message the detail message, as {@link Throwable#getMessage()} returns it
     * @param diag the server's diagnostic fields; null stands for {@link Diagnostic#NONE}
     */
    public DatabaseException(String message, Diagnostic diag) {
        super(message, diag);
    }

    /**
     * An error with {@code message} and the server's diagnostic fields, caused by {@code cause}.
     *
     * @param message the detail message, as {@link Throwable#getMessage()} returns it
     * @param diag the server's diagnostic fields; null stands for {@link Diagnostic#NONE}
     * @param cause the underlying failure, or null
     */
    public DatabaseException(String message, Diagnostic diag, Throwable cause) {
        super(message, diag, cause);
    }
}

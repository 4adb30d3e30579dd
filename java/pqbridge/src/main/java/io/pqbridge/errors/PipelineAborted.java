package io.pqbridge.errors;

/**
 * A statement in a pipeline was not executed because an earlier one in the same batch failed (the
 * server skips everything up to the next sync); psycopg's {@code PipelineAborted}. Raised on the
 * client side; {@link #sqlstate()} is null. The statement that failed raises its own error.
 */
public class PipelineAborted extends OperationalException {
    private static final long serialVersionUID = 1L;

    /**
     * An error with {@code message}, without diagnostic fields ({@link Diagnostic#NONE}).
     *
     * @param message the detail message, as {@link Throwable#getMessage()} returns it
     */
    public PipelineAborted(String message) {
        super(message);
    }
}

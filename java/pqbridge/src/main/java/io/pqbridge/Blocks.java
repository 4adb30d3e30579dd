package io.pqbridge;

/**
 * Rethrowing a block body's exception unchanged. A body declared {@code throws E} can only throw
 * an {@code E}, a {@link RuntimeException} or an {@link Error}; the scoped forms catch
 * {@link Throwable} to run their exit rules and then rethrow it as it was, without wrapping.
 */
final class Blocks {

    private Blocks() {
    }

    /**
     * Throws {@code t}; declared to return an exception so that callers can write
     * {@code throw Blocks.<E>rethrow(t)} and the compiler sees the flow end.
     */
    @SuppressWarnings("unchecked")
    static <E extends Exception> RuntimeException rethrow(Throwable t) throws E {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw (E) t;
    }

    /**
     * The exit rules' own failure, with the body's exception attached as suppressed so that
     * neither is lost; when the exit rethrew the body's exception itself (an Error passing
     * through), it is thrown alone, since a throwable cannot suppress itself. Called with what an
     * exit threw, a RuntimeException (returned, for the caller to throw) or an Error (thrown here).
     */
    static RuntimeException exitFailure(Throwable exitError, Throwable bodyError) {
        if (exitError != bodyError) {
            exitError.addSuppressed(bodyError);
        }
        if (exitError instanceof Error error) {
            throw error;
        }
        return (RuntimeException) exitError;
    }
}

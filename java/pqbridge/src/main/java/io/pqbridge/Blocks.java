package io.pqbridge;

import io.pqbridge.internal.Rethrowing;

/**
 * Rethrowing a block body's exception unchanged ({@link Rethrowing}), and the exit rules' own
 * failure combined with the body's.
 */
final class Blocks {

    private Blocks() {
    }

    /** {@link Rethrowing#rethrow}, under the name the facade's blocks use. */
    static <E extends Exception> RuntimeException rethrow(Throwable t) throws E {
        return Rethrowing.<E>rethrow(t);
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

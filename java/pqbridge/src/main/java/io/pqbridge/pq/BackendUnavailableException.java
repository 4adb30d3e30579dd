package io.pqbridge.pq;

/**
 * A pq backend could not be selected: an unknown name was requested, or the requested backend (or,
 * with no request, every backend) failed to load. The message names the backend and the way out;
 * the cause carries the loader's own error.
 */
public final class BackendUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A failure to select a backend.
     *
     * @param message what failed and the way out
     * @param cause the loader's own error, or null
     */
    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

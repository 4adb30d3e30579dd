package io.pqbridge.pool;

import io.pqbridge.errors.OperationalException;

/**
 * No connection could be had from a pool in time (psycopg_pool's {@code PoolTimeout}): every
 * connection was in use and none came back, or the pool could not connect, before the request's
 * timeout; or the pool did not fill within {@link ConnectionPool#waitReady}'s timeout.
 */
public class PoolTimeout extends OperationalException {
    private static final long serialVersionUID = 1L;

    /**
     * An error with {@code message}.
     *
     * @param message what timed out, and after how long
     */
    public PoolTimeout(String message) {
        super(message);
    }
}

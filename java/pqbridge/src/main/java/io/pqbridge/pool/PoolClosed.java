package io.pqbridge.pool;

import io.pqbridge.errors.OperationalException;

/**
 * A connection was asked of a pool that is not open (psycopg_pool's {@code PoolClosed}): not yet
 * opened, or closed, before or while the request waited.
 */
public class PoolClosed extends OperationalException {
    private static final long serialVersionUID = 1L;

    /**
     * An error with {@code message}.
     *
     * @param message the pool's name and state
     */
    public PoolClosed(String message) {
        super(message);
    }
}

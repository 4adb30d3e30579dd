package io.pqbridge.pool;

import io.pqbridge.errors.OperationalException;

/**
 * A request was refused at once because {@code maxWaiting} requests were already queued
 * (psycopg_pool's {@code TooManyRequests}), so that an overloaded application sheds load instead of
 * piling up threads.
 */
public class TooManyRequests extends OperationalException {
    private static final long serialVersionUID = 1L;

    /**
     * An error with {@code message}.
     *
     * @param message the pool's name and how many requests were waiting
     */
    public TooManyRequests(String message) {
        super(message);
    }
}

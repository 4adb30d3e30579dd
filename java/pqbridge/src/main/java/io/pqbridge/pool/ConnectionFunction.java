package io.pqbridge.pool;

import io.pqbridge.Connection;

/**
 * The body of {@link ConnectionPool#connectionResult}: uses a pooled connection and returns a
 * value. It may throw any exception; a checked exception of type {@code E} propagates unchanged.
 *
 * @param <T> what the body returns
 * @param <E> the checked exception the body may throw ({@link RuntimeException} when none)
 */
@FunctionalInterface
public interface ConnectionFunction<T, E extends Exception> {
    /**
     * Uses the connection.
     *
     * @param conn the connection, borrowed for the duration of the call
     * @return the body's result
     * @throws E any checked exception of the body's type
     */
    T apply(Connection conn) throws E;
}

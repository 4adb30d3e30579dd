package io.pqbridge;

/**
 * The body of {@link Connection#connect(String, ConnectionBlock)}. It may throw any exception;
 * a checked exception of type {@code E} propagates unchanged.
 *
 * @param <E> the checked exception the body may throw ({@link RuntimeException} when none)
 */
@FunctionalInterface
public interface ConnectionBlock<E extends Exception> {
    /**
     * Uses the connection.
     *
     * @param conn the open connection
     * @throws E any checked exception of the body's type
     */
    void run(Connection conn) throws E;
}

package io.pqbridge;

/**
 * The body of {@link Connection#transaction(TransactionBlock)}. It may throw any exception; a
 * checked exception of type {@code E} propagates unchanged after the rollback.
 *
 * @param <E> the checked exception the body may throw ({@link RuntimeException} when none)
 */
@FunctionalInterface
public interface TransactionBlock<E extends Exception> {
    void run(Transaction tx) throws E;
}

package io.pqbridge;

/**
 * The body of {@link Connection#transaction(TransactionBlock)}. It may throw any exception; a
 * checked exception of type {@code E} propagates unchanged after the rollback.
 *
 * @param <E> the checked exception the body may throw ({@link RuntimeException} when none)
 */
@FunctionalInterface
public interface TransactionBlock<E extends Exception> {
    /**
     * Runs inside the transaction block.
     *
     * @param tx the block, the target of a {@link Rollback}
     * @throws E any checked exception of the body's type
     */
    void run(Transaction tx) throws E;
}

package io.pqbridge;

/**
 * The value-returning body of {@link Connection#transactionResult(TransactionFunction)}. It may
 * throw any exception; a checked exception of type {@code E} propagates unchanged after the
 * rollback.
 *
 * @param <T> the body's result
 * @param <E> the checked exception the body may throw ({@link RuntimeException} when none)
 */
@FunctionalInterface
public interface TransactionFunction<T, E extends Exception> {
    /**
     * Runs inside the transaction block.
     *
     * @param tx the block, the target of a {@link Rollback}
     * @return the value {@link Connection#transactionResult(TransactionFunction)} returns
     * @throws E any checked exception of the body's type
     */
    T apply(Transaction tx) throws E;
}

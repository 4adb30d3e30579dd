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
    T apply(Transaction tx) throws E;
}

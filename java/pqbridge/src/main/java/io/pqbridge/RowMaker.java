package io.pqbridge;

/**
 * Makes one row into an {@code R} (psycopg's {@code RowMaker}), for the columns its
 * {@link RowFactory} was given.
 *
 * @param <R> what a row becomes
 */
@FunctionalInterface
public interface RowMaker<R> {

    /**
     * {@return the row as an {@code R}}
     *
     * @param values the row's values, converted by type as {@link Row} holds them, null for NULL;
     *     the array is the maker's to keep
     */
    R make(Object[] values);
}

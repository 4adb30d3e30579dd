package io.pqbridge;

import java.util.List;

/**
 * Makes the rows of a result into {@code R}s (psycopg's {@code RowFactory}): called once per
 * result with its columns, when the result becomes current (at execute, or at
 * {@code nextSet()}), so a factory that cannot serve these columns fails there, before any row is
 * read; the {@link RowMaker} it returns then makes each row. {@link RowFactories} has psycopg's
 * ready-made ones.
 *
 * @param <R> what a row becomes
 */
@FunctionalInterface
public interface RowFactory<R> {

    /**
     * The maker for the rows of a result with these columns.
     *
     * @param columns the result's columns, in order
     * @return the maker
     * @throws io.pqbridge.errors.ProgrammingException when the columns cannot make an {@code R}
     *     (a record component without a column, duplicate names for a map), naming them
     */
    RowMaker<R> maker(List<Column> columns);
}

package io.pqbridge.types;

/**
 * Reads values of one PostgreSQL type in one format into Java (psycopg's {@code Loader}),
 * registered with {@link AdaptersMap#registerLoader}: result columns, COPY {@code readRow} /
 * {@code rows()} with {@code setTypes}, and the elements of arrays of that type then come through
 * it. Stateless and thread-safe.
 *
 * @param <T> what a value becomes
 */
@FunctionalInterface
public interface Loader<T> {

    /**
     * {@return the value}
     *
     * @param data the value in the format the loader was registered for (text: UTF-8), never for a
     *     NULL; the array is the loader's to keep
     */
    T load(byte[] data);
}

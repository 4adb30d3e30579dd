package io.pqbridge;

/**
 * The body of {@link Cursor#copy(String, CopyBlock)}. It may throw any exception; a checked
 * exception of type {@code E} propagates unchanged after the COPY has been ended as its direction
 * requires (see {@link Copy}).
 *
 * @param <E> the checked exception the body may throw ({@link RuntimeException} when none)
 */
@FunctionalInterface
public interface CopyBlock<E extends Exception> {
    /**
     * Reads or writes the COPY data.
     *
     * @param copy the COPY in progress
     * @throws E any checked exception of the body's type
     */
    void run(Copy copy) throws E;
}

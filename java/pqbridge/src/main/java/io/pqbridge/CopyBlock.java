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
    void run(Copy copy) throws E;
}

package io.pqbridge.internal;

/**
 * Rethrowing a block body's exception unchanged. A body declared {@code throws E} can only throw
 * an {@code E}, a {@link RuntimeException} or an {@link Error}; the scoped forms (the facade's
 * blocks, the pool's borrow) catch {@link Throwable} to run their exit rules and then rethrow it as
 * it was, without wrapping.
 */
public final class Rethrowing {

    private Rethrowing() {
    }

    /**
     * Throws {@code t}; declared to return an exception so that callers can write
     * {@code throw Rethrowing.<E>rethrow(t)} and the compiler sees the flow end.
     *
     * @param <E> the checked exception the body may throw
     * @param t what the body threw
     * @return never
     * @throws E {@code t}, when it is the body's checked exception
     */
    @SuppressWarnings("unchecked")
    public static <E extends Exception> RuntimeException rethrow(Throwable t) throws E {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw (E) t;
    }
}

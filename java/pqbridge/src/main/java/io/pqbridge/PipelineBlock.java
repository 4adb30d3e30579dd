package io.pqbridge;

/**
 * The body of {@link Connection#pipeline(PipelineBlock)}. It may throw any exception; a checked
 * exception of type {@code E} propagates unchanged after the block is closed.
 *
 * @param <E> the checked exception the body may throw ({@link RuntimeException} when none)
 */
@FunctionalInterface
public interface PipelineBlock<E extends Exception> {
    /**
     * Runs inside the pipeline block.
     *
     * @param pipeline the block
     * @throws E any checked exception of the body's type
     */
    void run(Pipeline pipeline) throws E;
}

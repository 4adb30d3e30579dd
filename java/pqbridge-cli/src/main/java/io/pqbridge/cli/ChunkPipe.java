package io.pqbridge.cli;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Hands chunks of COPY data from the thread that reads (and converts) the input to the thread
 * that sends them, through a fixed pool of buffers: memory stays bounded whatever the input's
 * size, and reading overlaps sending.
 *
 * <h2>Protocol</h2>
 * The producer takes an empty chunk ({@link #emptyChunk()}, waiting while all are in use: that is
 * the back-pressure), fills it, {@link #publish}es it, and at the end calls {@link #end()} or
 * {@link #fail}. The consumer takes chunks in order with {@link #next()} (null at the end, the
 * producer's failure rethrown) and gives each back with {@link #recycle}. {@link #abort()} (from
 * any thread: Ctrl-C) makes the consumer's next or pending {@link #next()} throw the interrupt.
 * {@link #close()} stops the producer thread if it is still running.
 *
 * <p>Several consumers may share one pipe ({@code load --jobs}): each takes the next chunk, and
 * the end, the failure and the abort are markers that stay in the queue once reached, so every
 * consumer sees them. {@link #fail} also serves a consumer to stop the others.
 *
 * <p>Ownership: a chunk belongs to exactly one side at a time; the queues' hand-offs order its
 * contents between the threads.
 */
final class ChunkPipe implements AutoCloseable {

    /**
     * A buffer and how much of it is data; {@code rows} counts the rows (or lines) the data
     * completes, {@code inputPosition} is how far into the input the producer had read when it
     * published the chunk (for progress: converted data is not the input's size).
     */
    static final class Chunk {
        byte[] data;
        int length;
        long rows;
        long inputPosition;
        /**
         * For a chunk of whole rows dealt to parallel workers ({@link RowDealer}): the number a
         * single COPY of the whole input would give the chunk's first line in its "line N", and
         * how many such lines the chunk holds.
         */
        long firstLine;
        long lines;
        /** Of {@link #lines}, those inside the chunk's first row (CSV: line feeds in quoted fields). */
        long firstRowInnerLines;

        Chunk(int capacity) {
            data = new byte[capacity];
        }

        /** Makes room for {@code capacity} bytes (a row larger than a chunk gets a larger buffer, once). */
        void ensureCapacity(int capacity) {
            if (data.length < capacity) {
                data = java.util.Arrays.copyOf(data, capacity);
            }
        }
    }

    private static final Chunk END = new Chunk(0);
    private static final Chunk FAILED = new Chunk(0);
    private static final Chunk ABORTED = new Chunk(0);

    private final BlockingQueue<Chunk> free;
    /** Never holds more than the pool plus a marker, so it needs no bound of its own. */
    private final BlockingQueue<Chunk> full = new LinkedBlockingQueue<>();
    private volatile Throwable failure;
    private Thread producer;

    ChunkPipe(int chunks, int chunkSize) {
        free = new ArrayBlockingQueue<>(chunks);
        for (int i = 0; i < chunks; i++) {
            free.add(new Chunk(chunkSize));
        }
    }

    /** Runs {@code body} as the producer, on a daemon thread (a read blocked on a pipe must not keep the JVM alive). */
    void startProducer(String name, ProducerBody body) {
        producer = new Thread(() -> {
            try {
                body.run(this);
                end();
            } catch (InterruptedException e) {
                // close(): the consumer is gone
            } catch (Throwable t) {
                fail(t);
            }
        }, name);
        producer.setDaemon(true);
        producer.start();
    }

    /** What the producer thread does: fill and publish chunks until the input ends. */
    @FunctionalInterface
    interface ProducerBody {
        void run(ChunkPipe pipe) throws Exception;
    }

    Chunk emptyChunk() throws InterruptedException {
        Chunk chunk = free.take();
        chunk.length = 0;
        chunk.rows = 0;
        return chunk;
    }

    void publish(Chunk chunk) {
        full.add(chunk);
    }

    private void end() {
        full.add(END);
    }

    /** Ends the data with {@code t}: every consumer's {@link #next()} throws it. Thread-safe. */
    void fail(Throwable t) {
        failure = t;
        full.add(FAILED);
    }

    /** Wakes the consumer with the interrupt. Thread-safe, never blocks. */
    void abort() {
        full.add(ABORTED);
    }

    /**
     * The next chunk, waiting for it; null when the input is done.
     *
     * @throws ToolException the interrupt, after {@link #abort()}
     * @throws Exception the producer's failure, as it was thrown
     */
    Chunk next() throws Exception {
        Chunk chunk;
        try {
            chunk = full.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ToolException.interrupted();
        }
        if (chunk == END || chunk == ABORTED || chunk == FAILED) {
            full.add(chunk);   // for the other consumers
        }
        if (chunk == END) {
            return null;
        }
        if (chunk == ABORTED) {
            throw ToolException.interrupted();
        }
        if (chunk == FAILED) {
            Throwable t = failure;
            if (t instanceof Exception e) {
                throw e;
            }
            throw (Error) t;
        }
        return chunk;
    }

    void recycle(Chunk chunk) {
        free.add(chunk);
    }

    /** Stops the producer if it still runs (interrupting a wait for a chunk; a blocked read just dies with the JVM). */
    @Override
    public void close() {
        if (producer != null && producer.isAlive()) {
            producer.interrupt();
        }
    }
}

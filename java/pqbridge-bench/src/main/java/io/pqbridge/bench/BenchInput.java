package io.pqbridge.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What a client worker sends, prepared once per worker before any timing: the W1 file as chunks
 * of {@code chunkBytes} (cut at byte offsets, as the C client cuts it), either mapped direct
 * buffers (pqbridge's zero-copy path) or heap arrays (pgjdbc takes only {@code byte[]}), and the
 * pool of typed rows that W5 cycles through.
 *
 * <p>W5 cycles through a pool of {@code poolSize} distinct rows instead of building
 * millions of objects: building them would cost the same for every contestant and hide the
 * encoders' cost, and holding them all would make the run a test of the garbage collector.
 */
final class BenchInput {

    private final Path dataFile;
    private final int chunkBytes;
    private final int poolSize;
    private List<ByteBuffer> directChunks;
    private List<byte[]> heapChunks;
    private Object[][] valuePool;

    BenchInput(Path dataFile, int chunkBytes, int poolSize) {
        this.dataFile = dataFile;
        this.chunkBytes = chunkBytes;
        this.poolSize = poolSize;
    }

    /** The file as read-only direct buffers, mapped and paged in (so no page fault is timed). */
    List<ByteBuffer> directChunks() {
        if (directChunks == null) {
            List<ByteBuffer> chunks = new ArrayList<>();
            try (FileChannel ch = FileChannel.open(dataFile, StandardOpenOption.READ)) {
                long size = ch.size();
                for (long off = 0; off < size; off += chunkBytes) {
                    MappedByteBuffer chunk = ch.map(FileChannel.MapMode.READ_ONLY, off,
                            Math.min(chunkBytes, size - off));
                    chunk.load();
                    chunks.add(chunk);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot map " + dataFile, e);
            }
            directChunks = List.copyOf(chunks);
        }
        return directChunks;
    }

    /** The file as heap arrays of {@code chunkBytes} (the last one shorter). */
    List<byte[]> heapChunks() {
        if (heapChunks == null) {
            List<byte[]> chunks = new ArrayList<>();
            for (ByteBuffer mapped : directChunks()) {
                byte[] chunk = new byte[mapped.remaining()];
                mapped.duplicate().get(chunk);
                chunks.add(chunk);
            }
            heapChunks = List.copyOf(chunks);
        }
        return heapChunks;
    }

    /** Rows {@code [0, poolSize)} of {@link RowData} as Java values, boxed once. */
    Object[][] valuePool() {
        if (valuePool == null) {
            Object[][] pool = new Object[poolSize][];
            for (int i = 0; i < poolSize; i++) {
                pool[i] = RowData.values(i);
            }
            valuePool = pool;
        }
        return valuePool;
    }

    int poolSize() {
        return poolSize;
    }
}

package io.pqbridge.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The kinds of {@link ByteBuffer} a caller can hand to pqbridge, each made with given contents.
 * Every kind is what a real program produces: heap buffers and their slices (whose backing array
 * starts at a non-zero {@code arrayOffset()}), direct buffers and their slices, read-only views,
 * and mappings of a file, writable and read-only.
 */
public enum BufferKind {
    HEAP(false),
    HEAP_SLICE(false),
    DIRECT(false),
    DIRECT_SLICE(false),
    READ_ONLY_HEAP(true),
    READ_ONLY_DIRECT(true),
    MAPPED(false),
    READ_ONLY_MAPPED(true);

    /** How far into its parent a slice starts: makes {@code arrayOffset()} non-zero for heap slices. */
    private static final int SLICE_OFFSET = 16;

    public final boolean readOnly;

    BufferKind(boolean readOnly) {
        this.readOnly = readOnly;
    }

    /** A buffer of this kind whose capacity is {@code contents.length}, holding those bytes, position 0. */
    public ByteBuffer make(byte[] contents, Path scratchDirectory) {
        return switch (this) {
            case HEAP -> ByteBuffer.allocate(contents.length).put(contents).clear();
            case HEAP_SLICE -> sliced(ByteBuffer.allocate(contents.length + SLICE_OFFSET), contents);
            case DIRECT -> ByteBuffer.allocateDirect(contents.length).put(contents).clear();
            case DIRECT_SLICE -> sliced(ByteBuffer.allocateDirect(contents.length + SLICE_OFFSET), contents);
            case READ_ONLY_HEAP -> HEAP.make(contents, scratchDirectory).asReadOnlyBuffer();
            case READ_ONLY_DIRECT -> DIRECT.make(contents, scratchDirectory).asReadOnlyBuffer();
            case MAPPED -> map(contents, scratchDirectory, FileChannel.MapMode.READ_WRITE);
            case READ_ONLY_MAPPED -> map(contents, scratchDirectory, FileChannel.MapMode.READ_ONLY);
        };
    }

    private static ByteBuffer sliced(ByteBuffer parent, byte[] contents) {
        ByteBuffer slice = parent.position(SLICE_OFFSET).slice();
        return slice.put(contents).clear();
    }

    private static ByteBuffer map(byte[] contents, Path directory, FileChannel.MapMode mode) {
        try {
            Path file = Files.createTempFile(directory, "buffer", ".bin");
            Files.write(file, contents);
            StandardOpenOption[] options = mode == FileChannel.MapMode.READ_ONLY
                    ? new StandardOpenOption[] {StandardOpenOption.READ}
                    : new StandardOpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE};
            try (FileChannel channel = FileChannel.open(file, options)) {
                return channel.map(mode, 0, contents.length); // the mapping outlives the channel
            } finally {
                file.toFile().deleteOnExit();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

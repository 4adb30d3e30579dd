package io.pqbridge.pq;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The checks every backend applies to the buffers a caller hands to {@link PgConn}, written once
 * so that a bad argument fails the same way on both backends, in Java, before any native code
 * runs or any protocol state changes.
 *
 * <p>Why it matters: the native backend hands buffers to JNI code, where a read-only buffer would
 * be written through (or, when it maps a read-only file, crash the JVM) and a wrong bound would
 * corrupt memory. So a destination must be writable, and bounds are checked here rather than
 * trusted to the layers below. For backends only; applications call {@link PgConn}.
 */
public final class BufferArguments {

    private BufferArguments() {
    }

    /**
     * A destination of {@link PgConn#getCopyData}: non-null, writable, with room for at least one
     * message length.
     *
     * @param dst the buffer the COPY data goes into
     * @param lengths the array the message lengths go into
     * @throws NullPointerException for a null buffer or array
     * @throws IllegalArgumentException for a read-only buffer or an empty lengths array
     */
    public static void checkCopyDestination(ByteBuffer dst, int[] lengths) {
        checkWritable("getCopyData", dst);
        Objects.requireNonNull(lengths, "getCopyData: the lengths array is null");
        if (lengths.length == 0) {
            throw new IllegalArgumentException(
                    "getCopyData: the lengths array is empty; pass room for at least one message length");
        }
    }

    /**
     * A buffer that {@code method} will write into: non-null and writable.
     *
     * @param method the name of the method the buffer was passed to, for the message
     * @param dst the buffer
     * @throws NullPointerException for a null buffer
     * @throws IllegalArgumentException for a read-only buffer
     */
    public static void checkWritable(String method, ByteBuffer dst) {
        Objects.requireNonNull(dst, () -> method + ": the buffer is null");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException(method + ": the buffer is read-only; " + method
                    + " writes into it, so pass a writable buffer (a read-only view or mapping cannot take data)");
        }
    }

    /**
     * The source of {@link PgConn#putCopyData(byte[], int, int)}: a non-null array and a range
     * inside it.
     *
     * @param data the array
     * @param offset where the range starts
     * @param length the range's length
     * @throws NullPointerException for a null array
     * @throws IndexOutOfBoundsException for a range outside the array
     */
    public static void checkSource(byte[] data, int offset, int length) {
        Objects.requireNonNull(data, "putCopyData: the array is null");
        Objects.checkFromIndexSize(offset, length, data.length);
    }
}

package io.pqbridge.pq.wire.tls;

import java.nio.ByteBuffer;

/**
 * A reusable {@link ByteBuffer} view of a window of a byte array, for handing the connection's
 * buffers (the protocol core's input array, its output buffer) to a channel or an
 * {@code SSLEngine} without wrapping them anew on every call: the view is remade only when the
 * array changes (the buffer grew), so a connection keeps one window per array it hands out.
 * Owned by one connection, used under its lock.
 */
public final class ArrayWindow {

    private byte[] array;
    private ByteBuffer view;

    /** The view of {@code buffer[offset, offset + length)}, positioned at offset, limited at its end. */
    public ByteBuffer of(byte[] buffer, int offset, int length) {
        if (buffer != array) {
            array = buffer;
            view = ByteBuffer.wrap(buffer);
        }
        view.limit(offset + length).position(offset);
        return view;
    }
}

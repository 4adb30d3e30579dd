package io.pqbridge.pq.wire.message.backend;

import java.nio.ByteBuffer;

/**
 * CopyData ('d') from the server: a view of the payload inside the input buffer, valid until the
 * next message is read. COPY OUT copies payloads straight from there into the caller's buffer
 * ({@link #copyTo}), so no array is made per row.
 */
public record CopyData(byte[] buffer, int offset, int length) implements BackendMessage {

    public static final byte TYPE = 'd';

    static CopyData decode(MessageCursor in) {
        return new CopyData(in.buffer(), in.position(), in.remaining());
    }

    /** Appends the payload to {@code dst} at its position. */
    public void copyTo(ByteBuffer dst) {
        dst.put(buffer, offset, length);
    }

    /** A copy of the payload (for tests and small messages). */
    public byte[] bytes() {
        return java.util.Arrays.copyOfRange(buffer, offset, offset + length);
    }
}

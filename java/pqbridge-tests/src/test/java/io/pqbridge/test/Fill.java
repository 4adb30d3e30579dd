package io.pqbridge.test;

import java.nio.ByteBuffer;

/** Where a buffer's window (position to limit) lies when it is handed over. */
public enum Fill {
    /** A buffer of capacity 0. */
    EMPTY,
    /** A window strictly inside the buffer: bytes before the position and after the limit must stay as they are. */
    PARTIAL,
    /** The whole buffer, sized to exactly what the operation transfers. */
    EXACT,
    /** Position at the limit at the capacity: no room, nothing to take, though the buffer is not empty. */
    AT_LIMIT;

    /** Sets {@code b}'s window for this fill: PARTIAL is {@code [from, to)}, the others follow from the capacity. */
    public ByteBuffer apply(ByteBuffer b, int from, int to, int capacity) {
        return switch (this) {
            case EMPTY, EXACT -> b.limit(capacity).position(0);
            case PARTIAL -> b.limit(to).position(from);
            case AT_LIMIT -> b.limit(capacity).position(capacity);
        };
    }
}

package io.pqbridge.pq.natives;

import java.nio.ByteBuffer;

/**
 * One value decoded from bytes the shim wrote, kept with a copy of those bytes, so that the same
 * bytes again are answered with the same value instead of being decoded again: a statement's
 * columns and command tag, the session's settings, which run after run do not change. Holds one
 * value at a time; the compare is a plain loop, since a slice and a wrapped view to compare with
 * would cost two objects a call. Not thread-safe: its connection's lock guards it.
 *
 * @param <T> the decoded value; null means nothing is remembered
 */
final class DecodedMemo<T> {

    private byte[] bytes;
    private T value;

    /**
     * {@return the value remembered for the bytes {@code in[start, start + length)}, or null when
     * those are other bytes (or fewer than {@code length} are there)} Absolute: the buffer's
     * position does not move.
     */
    T get(ByteBuffer in, int start, int length) {
        if (value == null || bytes.length != length || in.limit() - start < length) {
            return null;
        }
        for (int i = 0; i < length; i++) {
            if (in.get(start + i) != bytes[i]) {
                return null;
            }
        }
        return value;
    }

    /** {@return the length of the bytes remembered, -1 when nothing is} */
    int length() {
        return value == null ? -1 : bytes.length;
    }

    /** Remembers {@code decoded} as what {@code in[start, start + length)} means (absolute, as {@link #get}). */
    void put(ByteBuffer in, int start, int length, T decoded) {
        bytes = new byte[length];
        in.get(start, bytes);
        value = decoded;
    }

    /** Forgets the value, as when the bytes it answered for will mean something else. */
    void clear() {
        bytes = null;
        value = null;
    }
}

package io.pqbridge.pq.wire.message.frontend;

import io.pqbridge.pq.wire.trace.ProtocolTrace;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that frontend messages are encoded into, and from which the connection
 * writes to the socket (libpq's output buffer).
 *
 * <p>Owner: one connection, used under its lock. Bytes {@code [0, size())} are complete messages
 * waiting to be sent; {@link #consume} drops the bytes written so far. A message is opened with
 * {@link #begin} (type byte and a length placeholder) and closed with {@link #end}, which fills in
 * the length; the buffer never holds half a message between two calls of the connection. A
 * typed message is traced when {@link #end} completes it, if a trace is set.
 */
public final class OutputBuffer {

    private byte[] buffer;
    private int size;
    /** Null unless the connection is traced (libpq's {@code Pfdebug}). */
    private ProtocolTrace trace;

    public OutputBuffer(int initialCapacity) {
        this.buffer = new byte[Math.max(64, initialCapacity)];
    }

    /** The bytes waiting to be sent are {@code array()[0 .. size())}. */
    public byte[] array() {
        return buffer;
    }

    public int size() {
        return size;
    }

    /** Drops the first {@code count} bytes (they were sent), moving the rest to the front. */
    public void consume(int count) {
        if (count >= size) {
            size = 0;
        } else if (count > 0) {
            System.arraycopy(buffer, count, buffer, 0, size - count);
            size -= count;
        }
    }

    /** Drops everything (the connection is gone). */
    public void clear() {
        size = 0;
    }

    /** Starts a message with a type byte; returns where its length goes, for {@link #end}. */
    public int begin(byte type) {
        ensure(5);
        buffer[size++] = type;
        int at = size;
        size += 4;
        return at;
    }

    /** Starts a message without a type byte (startup-phase packets); returns where its length goes. */
    public int beginUntyped() {
        ensure(4);
        int at = size;
        size += 4;
        return at;
    }

    /**
     * Completes the message begun with {@link #begin} whose length goes at {@code lengthAt}: its
     * length counts itself, not the type byte. The message is traced here when tracing is on,
     * as libpq's {@code pqPutMsgEnd} does.
     */
    public void end(int lengthAt) {
        writeInt32(lengthAt, size - lengthAt);
        if (trace != null) {
            trace.sent(buffer, lengthAt - 1);
        }
    }

    /** Completes a message begun with {@link #beginUntyped} (startup and cancel packets, never traced). */
    public void endUntyped(int lengthAt) {
        writeInt32(lengthAt, size - lengthAt);
    }

    /** Traces every message completed from now on into {@code trace}, or none when null. */
    public void trace(ProtocolTrace trace) {
        this.trace = trace;
    }

    public OutputBuffer int8(int value) {
        ensure(1);
        buffer[size++] = (byte) value;
        return this;
    }

    public OutputBuffer int16(int value) {
        ensure(2);
        buffer[size++] = (byte) (value >>> 8);
        buffer[size++] = (byte) value;
        return this;
    }

    public OutputBuffer int32(int value) {
        ensure(4);
        writeInt32(size, value);
        size += 4;
        return this;
    }

    public OutputBuffer bytes(byte[] source, int offset, int length) {
        ensure(length);
        System.arraycopy(source, offset, buffer, size, length);
        size += length;
        return this;
    }

    /** Appends the buffer's remaining bytes without moving its position. */
    public OutputBuffer bytes(ByteBuffer source) {
        int length = source.remaining();
        ensure(length);
        source.get(source.position(), buffer, size, length);
        size += length;
        return this;
    }

    /** A C string: the UTF-8 bytes up to the first NUL character, then a NUL. */
    public OutputBuffer cstring(String value) {
        int nul = value.indexOf('\0');
        String text = nul < 0 ? value : value.substring(0, nul);
        boolean ascii = true;
        for (int i = 0; i < text.length() && ascii; i++) {
            ascii = text.charAt(i) < 0x80;
        }
        if (ascii) {
            ensure(text.length() + 1);
            for (int i = 0; i < text.length(); i++) {
                buffer[size++] = (byte) text.charAt(i);
            }
        } else {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            ensure(utf8.length + 1);
            System.arraycopy(utf8, 0, buffer, size, utf8.length);
            size += utf8.length;
        }
        buffer[size++] = 0;
        return this;
    }

    /** A copy of the pending bytes. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private void writeInt32(int at, int value) {
        buffer[at] = (byte) (value >>> 24);
        buffer[at + 1] = (byte) (value >>> 16);
        buffer[at + 2] = (byte) (value >>> 8);
        buffer[at + 3] = (byte) value;
    }

    private void ensure(int extra) {
        long needed = (long) size + extra;
        if (needed > buffer.length) {
            if (needed > Integer.MAX_VALUE - 8) {
                throw new OutOfMemoryError("output buffer larger than 2 GB");
            }
            buffer = Arrays.copyOf(buffer, (int) Math.max(needed, Math.min(Integer.MAX_VALUE - 8L, buffer.length * 2L)));
        }
    }
}

package io.pqbridge.pq.wire.message.backend;

import java.nio.charset.StandardCharsets;

/**
 * Reads the fields of one message body in place: big-endian integers and NUL-terminated UTF-8
 * strings. Running past the body's end fails with libpq's "insufficient data" text for the
 * message type; {@link #expectEnd()} fails with "contents do not agree with length" when bytes
 * are left over.
 */
final class MessageCursor {

    private final byte type;
    private final byte[] buffer;
    private int position;
    private final int end;

    MessageCursor(byte type, byte[] buffer, int offset, int length) {
        this.type = type;
        this.buffer = buffer;
        this.position = offset;
        this.end = offset + length;
    }

    int position() {
        return position;
    }

    int remaining() {
        return end - position;
    }

    byte type() {
        return type;
    }

    byte[] buffer() {
        return buffer;
    }

    int int8() throws MalformedMessageException {
        require(1);
        return buffer[position++] & 0xff;
    }

    /** A signed 16-bit integer. */
    int int16() throws MalformedMessageException {
        require(2);
        int v = (short) (((buffer[position] & 0xff) << 8) | (buffer[position + 1] & 0xff));
        position += 2;
        return v;
    }

    int int32() throws MalformedMessageException {
        require(4);
        int v = readInt32(buffer, position);
        position += 4;
        return v;
    }

    /** A NUL-terminated string, decoded as UTF-8; the NUL is consumed. */
    String cstring() throws MalformedMessageException {
        int start = position;
        for (int i = start; i < end; i++) {
            if (buffer[i] == 0) {
                position = i + 1;
                return new String(buffer, start, i - start, StandardCharsets.UTF_8);
            }
        }
        throw MalformedMessageException.insufficientData(type);
    }

    byte[] bytes(int count) throws MalformedMessageException {
        require(count);
        byte[] copy = new byte[count];
        System.arraycopy(buffer, position, copy, 0, count);
        position += count;
        return copy;
    }

    void skip(int count) throws MalformedMessageException {
        require(count);
        position += count;
    }

    void expectEnd() throws MalformedMessageException {
        if (position != end) {
            throw MalformedMessageException.lengthMismatch(type);
        }
    }

    private void require(int count) throws MalformedMessageException {
        if (count < 0 || end - position < count) {
            throw MalformedMessageException.insufficientData(type);
        }
    }

    static int readInt32(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}

package io.pqbridge.pq.wire.message.backend;

import io.pqbridge.pq.PgResult;
import java.util.ArrayList;
import java.util.List;

/**
 * DataRow ('D'): a view of one row inside the input buffer (a column count, then per column an
 * int32 length, -1 for NULL, and the bytes), valid until the next message is read. Decoding
 * checks the structure, so {@link #appendTo} cannot run past the message.
 */
public record DataRow(byte[] buffer, int offset, int length, int columnCount) implements BackendMessage {

    public static final byte TYPE = 'D';

    static DataRow decode(MessageCursor in) throws MalformedMessageException {
        int start = in.position();
        int length = in.remaining();
        int columns = in.int16() & 0xffff;
        for (int i = 0; i < columns; i++) {
            int valueLength = in.int32();
            if (valueLength > 0) {
                in.skip(valueLength);
            }
        }
        in.expectEnd();
        return new DataRow(in.buffer(), start, length, columns);
    }

    /** Appends every value of the row to {@code result}, which declares {@code columnCount()} fields. */
    public void appendTo(PgResult.Builder result) {
        int at = offset + 2;
        for (int i = 0; i < columnCount; i++) {
            int valueLength = MessageCursor.readInt32(buffer, at);
            at += 4;
            if (valueLength < 0) {
                result.value(buffer, at, -1);
            } else {
                result.value(buffer, at, valueLength);
                at += valueLength;
            }
        }
    }

    /** The values as arrays, null for NULL (for tests and diagnostics). */
    public List<byte[]> values() {
        List<byte[]> values = new ArrayList<>(columnCount);
        int at = offset + 2;
        for (int i = 0; i < columnCount; i++) {
            int valueLength = MessageCursor.readInt32(buffer, at);
            at += 4;
            if (valueLength < 0) {
                values.add(null);
            } else {
                values.add(java.util.Arrays.copyOfRange(buffer, at, at + valueLength));
                at += valueLength;
            }
        }
        return values;
    }
}

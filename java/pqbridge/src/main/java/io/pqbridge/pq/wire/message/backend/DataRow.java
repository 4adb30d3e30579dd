package io.pqbridge.pq.wire.message.backend;

import io.pqbridge.pq.PgResultBuilder;
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

    /**
     * Reads one DataRow body straight into a result, without a view of it (the path of every row
     * a query returns): the column count first, then each value, then the length, checked in
     * libpq's order ({@code getAnotherTuple}, then {@code pqParseInput3}'s length check). A
     * failure can leave part of the row in {@code result}, which the caller then discards, as
     * libpq discards its result on any of these errors.
     *
     * @param buffer the array holding the body
     * @param offset where the body starts
     * @param length the body's length
     * @param fields the number of columns the row must have (the result's fields)
     * @param result the result the values are appended to
     * @throws MalformedMessageException with libpq's text when the row is not {@code fields} well-formed values
     */
    public static void appendTo(byte[] buffer, int offset, int length, int fields, PgResultBuilder result)
            throws MalformedMessageException {
        MessageCursor in = new MessageCursor(TYPE, buffer, offset, length);
        if ((in.int16() & 0xffff) != fields) {
            throw new MalformedMessageException("unexpected field count in \"D\" message");
        }
        int start = in.position();
        int base = result.rowBytes(buffer, start, offset + length - start);   // one copy; the walk checks it
        for (int i = 0; i < fields; i++) {
            int valueLength = in.int32();
            int at = in.position();
            if (valueLength > 0) {
                in.skip(valueLength);
            }
            result.valueAt(base + at - start, valueLength);
        }
        in.expectEnd();
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

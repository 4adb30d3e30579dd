package io.pqbridge.pq.wire.message.backend;

import java.util.List;

/** RowDescription ('T'): the columns of the rows that follow. */
public record RowDescription(List<Field> fields) implements BackendMessage {

    public static final byte TYPE = 'T';

    /** One column as the server describes it; size, column number and format are signed 16-bit. */
    public record Field(String name, int tableOid, int tableColumn, int typeOid, int size, int typmod, int format) {
    }

    static RowDescription decode(MessageCursor in) throws MalformedMessageException {
        int count = in.int16() & 0xffff;
        Field[] fields = new Field[count];
        for (int i = 0; i < count; i++) {
            fields[i] = new Field(in.cstring(), in.int32(), in.int16(), in.int32(), in.int16(), in.int32(), in.int16());
        }
        in.expectEnd();
        return new RowDescription(List.of(fields));
    }
}

package io.pqbridge.pq.wire.message.backend;

import static io.pqbridge.pq.wire.message.backend.Bodies.body;
import static io.pqbridge.pq.wire.message.backend.Bodies.decode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.PgResultBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataRowTest {

    @Test
    void valuesNullsAndEmptyStrings() throws Exception {
        DataRow row = (DataRow) decode('D', body().int16(3).int32(2).bytes("42".getBytes(), 0, 2).int32(-1).int32(0));
        assertEquals(3, row.columnCount());
        List<byte[]> values = row.values();
        assertArrayEquals("42".getBytes(), values.get(0));
        assertNull(values.get(1));
        assertArrayEquals(new byte[0], values.get(2));
    }

    private static PgResultBuilder twoTextColumns() {
        return PgResult.builder(PgExecStatus.TUPLES_OK).field("a", 0, 0, 25, -1, -1, 0).field("b", 0, 0, 25, -1, -1, 0);
    }

    @Test
    void appendsItsValuesToAResult() throws Exception {
        byte[] bytes = body().int16(2).int32(1).int8('x').int32(-1).toByteArray();
        PgResultBuilder builder = twoTextColumns();
        DataRow.appendTo(bytes, 0, bytes.length, 2, builder);
        PgResult result = builder.build();
        assertEquals("x", result.text(0, 0));
        assertEquals(true, result.isNull(0, 1));
    }

    /** libpq's order: the column count before the values, the values before the length. */
    @Test
    void appendingChecksCountThenValuesThenLength() {
        byte[] wrongCountAndShort = body().int16(3).int32(5).int8('x').toByteArray();
        byte[] short_ = body().int16(2).int32(1).int8('x').int32(5).int8('y').toByteArray();
        byte[] trailing = body().int16(2).int32(1).int8('x').int32(-1).int8('z').toByteArray();
        for (var c : List.of(
                new Object[] {wrongCountAndShort, "unexpected field count in \"D\" message"},
                new Object[] {short_, "insufficient data in \"D\" message"},
                new Object[] {trailing, "message contents do not agree with length in message type \"D\""})) {
            byte[] bytes = (byte[]) c[0];
            MalformedMessageException e = assertThrows(MalformedMessageException.class,
                    () -> DataRow.appendTo(bytes, 0, bytes.length, 2, twoTextColumns()));
            assertEquals(c[1], e.getMessage());
        }
    }

    @Test
    void aValueRunningPastTheEndIsInsufficientData() {
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> decode('D', body().int16(1).int32(5).int8('x')));
        assertEquals("insufficient data in \"D\" message", e.getMessage());
    }
}

package io.pqbridge.pq.wire.message.backend;

import static io.pqbridge.pq.wire.message.backend.Bodies.body;
import static io.pqbridge.pq.wire.message.backend.Bodies.decode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgResult;
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

    @Test
    void appendsItsValuesToAResult() throws Exception {
        DataRow row = (DataRow) decode('D', body().int16(2).int32(1).int8('x').int32(-1));
        PgResult.Builder builder = PgResult.builder(PgExecStatus.TUPLES_OK)
                .field("a", 0, 0, 25, -1, -1, 0).field("b", 0, 0, 25, -1, -1, 0);
        row.appendTo(builder);
        PgResult result = builder.build();
        assertEquals("x", result.text(0, 0));
        assertEquals(true, result.isNull(0, 1));
    }

    @Test
    void aValueRunningPastTheEndIsInsufficientData() {
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> decode('D', body().int16(1).int32(5).int8('x')));
        assertEquals("insufficient data in \"D\" message", e.getMessage());
    }
}

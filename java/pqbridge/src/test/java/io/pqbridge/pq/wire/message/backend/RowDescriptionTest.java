package io.pqbridge.pq.wire.message.backend;

import static io.pqbridge.pq.wire.message.backend.Bodies.body;
import static io.pqbridge.pq.wire.message.backend.Bodies.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RowDescriptionTest {

    @Test
    void fieldsWithSignedSizesAndTypmods() throws Exception {
        RowDescription d = (RowDescription) decode('T', body().int16(2)
                .cstring("id").int32(16384).int16(1).int32(23).int16(4).int32(-1).int16(0)
                .cstring("v").int32(0).int16(0).int32(1043).int16(-1).int32(14).int16(1));
        assertEquals(List.of(new RowDescription.Field("id", 16384, 1, 23, 4, -1, 0),
                new RowDescription.Field("v", 0, 0, 1043, -1, 14, 1)), d.fields());
    }

    @Test
    void aShortFieldIsInsufficientData() {
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> decode('T', body().int16(1).cstring("id").int32(0)));
        assertEquals("insufficient data in \"T\" message", e.getMessage());
    }
}

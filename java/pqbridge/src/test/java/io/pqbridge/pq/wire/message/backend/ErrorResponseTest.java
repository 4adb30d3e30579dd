package io.pqbridge.pq.wire.message.backend;

import static io.pqbridge.pq.wire.message.backend.Bodies.body;
import static io.pqbridge.pq.wire.message.backend.Bodies.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorResponseTest {

    @Test
    void keepsEveryFieldInServerOrder() throws Exception {
        ErrorResponse e = (ErrorResponse) decode('E', body().int8('S').cstring("ERROR").int8('V').cstring("ERROR")
                .int8('C').cstring("22012").int8('M').cstring("division by zero").int8('Z').cstring("unknown code")
                .int8(0));
        assertEquals(List.of('S', 'V', 'C', 'M', 'Z'), List.copyOf(e.fields().keySet()));
        assertEquals("22012", e.fields().get('C'));
        assertEquals("unknown code", e.fields().get('Z'));
    }

    @Test
    void aMissingTerminatorIsInsufficientData() {
        assertThrows(MalformedMessageException.class, () -> decode('E', body().int8('S').cstring("ERROR")));
    }
}

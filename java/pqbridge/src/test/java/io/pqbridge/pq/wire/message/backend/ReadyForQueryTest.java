package io.pqbridge.pq.wire.message.backend;

import static io.pqbridge.pq.wire.message.backend.Bodies.body;
import static io.pqbridge.pq.wire.message.backend.Bodies.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ReadyForQueryTest {

    @Test
    void transactionStatusByte() throws Exception {
        assertEquals(new ReadyForQuery('I'), decode('Z', body().int8('I')));
        assertEquals(new ReadyForQuery('E'), decode('Z', body().int8('E')));
    }

    @Test
    void emptyIsInsufficientData() {
        assertThrows(MalformedMessageException.class, () -> decode('Z', body()));
    }
}

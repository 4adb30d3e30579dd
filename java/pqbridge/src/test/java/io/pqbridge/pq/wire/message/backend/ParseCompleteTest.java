package io.pqbridge.pq.wire.message.backend;

import static io.pqbridge.pq.wire.message.backend.Bodies.body;
import static io.pqbridge.pq.wire.message.backend.Bodies.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ParseCompleteTest {

    @Test
    void anEmptyBodyIsTheSingleton() throws Exception {
        assertSame(ParseComplete.INSTANCE, decode('1', body()));
        assertEquals('1', ParseComplete.TYPE);
    }

    @Test
    void aBodyIsMalformed() {
        assertThrows(MalformedMessageException.class, () -> decode('1', body().int8(1)));
    }
}

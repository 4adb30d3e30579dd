package io.pqbridge.pq.wire.message.backend;

import static io.pqbridge.pq.wire.message.backend.Bodies.body;
import static io.pqbridge.pq.wire.message.backend.Bodies.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BindCompleteTest {

    @Test
    void anEmptyBodyIsTheSingleton() throws Exception {
        assertSame(BindComplete.INSTANCE, decode('2', body()));
        assertEquals('2', BindComplete.TYPE);
    }

    @Test
    void aBodyIsMalformed() {
        assertThrows(MalformedMessageException.class, () -> decode('2', body().int8(1)));
    }
}

package io.pqbridge.pq.wire.message.backend;

import static io.pqbridge.pq.wire.message.backend.Bodies.body;
import static io.pqbridge.pq.wire.message.backend.Bodies.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CloseCompleteTest {

    @Test
    void anEmptyBodyIsTheSingleton() throws Exception {
        assertSame(CloseComplete.INSTANCE, decode('3', body()));
        assertEquals('3', CloseComplete.TYPE);
    }

    @Test
    void aBodyIsMalformed() {
        assertThrows(MalformedMessageException.class, () -> decode('3', body().int8(1)));
    }
}

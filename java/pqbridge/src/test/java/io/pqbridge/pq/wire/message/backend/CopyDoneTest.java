package io.pqbridge.pq.wire.message.backend;

import static io.pqbridge.pq.wire.message.backend.Bodies.body;
import static io.pqbridge.pq.wire.message.backend.Bodies.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CopyDoneTest {

    @Test
    void anEmptyBodyIsTheSingleton() throws Exception {
        assertSame(CopyDone.INSTANCE, decode('c', body()));
        assertEquals('c', CopyDone.TYPE);
    }

    @Test
    void aBodyIsMalformed() {
        assertThrows(MalformedMessageException.class, () -> decode('c', body().int8(1)));
    }
}

package io.pqbridge.pq.wire.message.backend;

import static io.pqbridge.pq.wire.message.backend.Bodies.body;
import static io.pqbridge.pq.wire.message.backend.Bodies.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NoDataTest {

    @Test
    void anEmptyBodyIsTheSingleton() throws Exception {
        assertSame(NoData.INSTANCE, decode('n', body()));
        assertEquals('n', NoData.TYPE);
    }

    @Test
    void aBodyIsMalformed() {
        assertThrows(MalformedMessageException.class, () -> decode('n', body().int8(1)));
    }
}

package io.pqbridge.pq.wire.message.backend;

import static io.pqbridge.pq.wire.message.backend.Bodies.body;
import static io.pqbridge.pq.wire.message.backend.Bodies.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PortalSuspendedTest {

    @Test
    void anEmptyBodyIsTheSingleton() throws Exception {
        assertSame(PortalSuspended.INSTANCE, decode('s', body()));
        assertEquals('s', PortalSuspended.TYPE);
    }

    @Test
    void aBodyIsMalformed() {
        assertThrows(MalformedMessageException.class, () -> decode('s', body().int8(1)));
    }
}

package io.pqbridge.pq.wire.message.backend;

import static io.pqbridge.pq.wire.message.backend.Bodies.body;
import static io.pqbridge.pq.wire.message.backend.Bodies.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CommandCompleteTest {

    @Test
    void decodesTheTag() throws Exception {
        assertEquals(new CommandComplete("INSERT 0 5"), decode('C', body().cstring("INSERT 0 5")));
    }

    @Test
    void anUnterminatedTagIsInsufficientData() {
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> decode('C', body().int8('C').int8('O')));
        assertEquals("insufficient data in \"C\" message", e.getMessage());
    }
}

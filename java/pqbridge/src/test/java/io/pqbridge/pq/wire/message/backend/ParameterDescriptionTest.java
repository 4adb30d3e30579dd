package io.pqbridge.pq.wire.message.backend;

import static io.pqbridge.pq.wire.message.backend.Bodies.body;
import static io.pqbridge.pq.wire.message.backend.Bodies.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ParameterDescriptionTest {

    @Test
    void typeOids() throws Exception {
        assertEquals(new ParameterDescription(new int[] {23, 25}), decode('t', body().int16(2).int32(23).int32(25)));
    }
}

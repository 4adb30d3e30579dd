package io.pqbridge.pq.wire.message.backend;

import static io.pqbridge.pq.wire.message.backend.Bodies.body;
import static io.pqbridge.pq.wire.message.backend.Bodies.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FunctionCallResponseTest {

    @Test
    void valueOrNull() throws Exception {
        assertEquals(new FunctionCallResponse(new byte[] {7}), decode('V', body().int32(1).int8(7)));
        assertEquals(new FunctionCallResponse(null), decode('V', body().int32(-1)));
    }
}

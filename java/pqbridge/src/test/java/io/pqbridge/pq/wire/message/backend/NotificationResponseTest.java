package io.pqbridge.pq.wire.message.backend;

import static io.pqbridge.pq.wire.message.backend.Bodies.body;
import static io.pqbridge.pq.wire.message.backend.Bodies.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NotificationResponseTest {

    @Test
    void pidChannelAndPayload() throws Exception {
        assertEquals(new NotificationResponse(42, "chan", ""), decode('A', body().int32(42).cstring("chan").cstring("")));
    }
}

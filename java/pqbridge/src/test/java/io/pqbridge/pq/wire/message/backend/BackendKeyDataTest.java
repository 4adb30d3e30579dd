package io.pqbridge.pq.wire.message.backend;

import static io.pqbridge.pq.wire.message.backend.Bodies.body;
import static io.pqbridge.pq.wire.message.backend.Bodies.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BackendKeyDataTest {

    @Test
    void decodesPidAndKey() throws Exception {
        assertEquals(new BackendKeyData(18316, 350490921), decode('K', body().int32(18316).int32(350490921)));
    }

    @Test
    void extraBytesDisagreeWithTheLength() {
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> decode('K', body().int32(1).int32(2).int8(0)));
        assertEquals("message contents do not agree with length in message type \"K\"", e.getMessage());
    }
}

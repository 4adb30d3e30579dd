package io.pqbridge.pq.wire.message.backend;

import static io.pqbridge.pq.wire.message.backend.Bodies.body;
import static io.pqbridge.pq.wire.message.backend.Bodies.decode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BackendKeyDataTest {

    @Test
    void decodesPidAndAFourByteKey() throws Exception {
        BackendKeyData key = (BackendKeyData) decode('K', body().int32(18316).int32(350490921));
        assertEquals(18316, key.processId());
        assertArrayEquals(new byte[] {0x14, (byte) 0xe4, 0x11, 0x29}, key.secretKey());
    }

    @Test
    void theKeyIsTheRestOfTheMessageWhateverItsLength() throws Exception {
        // protocol 3.2 keys are up to 256 bytes; the session judges the length against the version
        BackendKeyData key = (BackendKeyData) decode('K', body().int32(1).int32(2).int8(7));
        assertArrayEquals(new byte[] {0, 0, 0, 2, 7}, key.secretKey());
        assertArrayEquals(new byte[0], ((BackendKeyData) decode('K', body().int32(1))).secretKey());
    }
}

package io.pqbridge.pq.wire.message.backend;

import static io.pqbridge.pq.wire.message.backend.Bodies.body;
import static io.pqbridge.pq.wire.message.backend.Bodies.decode;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BackendMessageDecoderTest {

    @Test
    void anUnknownTypeIsNoMessage() throws Exception {
        assertNull(decode('?', body()));
    }

    @Test
    void lengthsFollowLibpqsSanityRule() {
        assertFalse(BackendMessageDecoder.plausibleLength((byte) 'Z', 3));
        assertTrue(BackendMessageDecoder.plausibleLength((byte) 'Z', 5));
        assertFalse(BackendMessageDecoder.plausibleLength((byte) 'Z', 30001));
        assertTrue(BackendMessageDecoder.plausibleLength((byte) 'D', 1 << 20));
        assertTrue(BackendMessageDecoder.plausibleLength((byte) 'E', 30001));
    }
}

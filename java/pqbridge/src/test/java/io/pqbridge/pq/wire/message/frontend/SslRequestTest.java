package io.pqbridge.pq.wire.message.frontend;

import org.junit.jupiter.api.Test;

class SslRequestTest {

    @Test
    void eightBytes() {
        OutputBuffer out = new OutputBuffer(8);
        SslRequest.encode(out);
        Frames.expect().int32(8).int32(80877103).matches(out);
    }
}

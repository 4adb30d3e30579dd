package io.pqbridge.pq.wire.message.frontend;

import org.junit.jupiter.api.Test;

class SaslResponseTest {

    @Test
    void rawData() {
        OutputBuffer out = new OutputBuffer(8);
        SaslResponse.encode(out, new byte[] {'c', '=', 'x'});
        Frames.expect().type('p').int32(7).raw(new byte[] {'c', '=', 'x'}).matches(out);
    }
}

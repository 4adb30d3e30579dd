package io.pqbridge.pq.wire.message.frontend;

import org.junit.jupiter.api.Test;

class FlushTest {

    @Test
    void typeAndLengthOnly() {
        OutputBuffer out = new OutputBuffer(8);
        Flush.encode(out);
        Frames.expect().type('H').int32(4).matches(out);
    }
}

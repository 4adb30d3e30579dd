package io.pqbridge.pq.wire.message.frontend;

import org.junit.jupiter.api.Test;

class TerminateTest {

    @Test
    void typeAndLengthOnly() {
        OutputBuffer out = new OutputBuffer(8);
        Terminate.encode(out);
        Frames.expect().type('X').int32(4).matches(out);
    }
}

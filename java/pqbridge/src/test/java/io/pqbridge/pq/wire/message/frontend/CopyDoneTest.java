package io.pqbridge.pq.wire.message.frontend;

import org.junit.jupiter.api.Test;

class CopyDoneTest {

    @Test
    void typeAndLengthOnly() {
        OutputBuffer out = new OutputBuffer(8);
        CopyDone.encode(out);
        Frames.expect().type('c').int32(4).matches(out);
    }
}

package io.pqbridge.pq.wire.message.frontend;

import org.junit.jupiter.api.Test;

class CopyFailTest {

    @Test
    void carriesTheReason() {
        OutputBuffer out = new OutputBuffer(8);
        CopyFail.encode(out, "nope");
        Frames.expect().type('f').int32(9).cstring("nope").matches(out);
    }
}

package io.pqbridge.pq.wire.message.frontend;

import org.junit.jupiter.api.Test;

class SyncTest {

    @Test
    void typeAndLengthOnly() {
        OutputBuffer out = new OutputBuffer(8);
        Sync.encode(out);
        Frames.expect().type('S').int32(4).matches(out);
    }
}

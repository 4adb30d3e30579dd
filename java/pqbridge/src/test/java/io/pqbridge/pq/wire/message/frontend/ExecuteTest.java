package io.pqbridge.pq.wire.message.frontend;

import org.junit.jupiter.api.Test;

class ExecuteTest {

    @Test
    void unnamedPortalAllRows() {
        OutputBuffer out = new OutputBuffer(8);
        Execute.encode(out, "", 0);
        Frames.expect().type('E').int32(9).cstring("").int32(0).matches(out);
    }
}

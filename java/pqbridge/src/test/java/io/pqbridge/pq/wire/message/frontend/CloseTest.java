package io.pqbridge.pq.wire.message.frontend;

import org.junit.jupiter.api.Test;

class CloseTest {

    @Test
    void statementByName() {
        OutputBuffer out = new OutputBuffer(8);
        Close.encode(out, 'S', "s1");
        Frames.expect().type('C').int32(8).int8('S').cstring("s1").matches(out);
    }
}

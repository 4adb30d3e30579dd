package io.pqbridge.pq.wire.message.frontend;

import org.junit.jupiter.api.Test;

class DescribeTest {

    @Test
    void portal() {
        OutputBuffer out = new OutputBuffer(8);
        Describe.encode(out, 'P', "");
        Frames.expect().type('D').int32(6).int8('P').cstring("").matches(out);
    }
}

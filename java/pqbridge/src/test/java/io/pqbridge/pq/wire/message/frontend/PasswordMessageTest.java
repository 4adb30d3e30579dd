package io.pqbridge.pq.wire.message.frontend;

import org.junit.jupiter.api.Test;

class PasswordMessageTest {

    @Test
    void nulTerminated() {
        OutputBuffer out = new OutputBuffer(8);
        PasswordMessage.encode(out, "md521dfadabc3b728e24d3d2efe85a04553");
        Frames.expect().type('p').int32(4 + 36).cstring("md521dfadabc3b728e24d3d2efe85a04553").matches(out);
    }
}

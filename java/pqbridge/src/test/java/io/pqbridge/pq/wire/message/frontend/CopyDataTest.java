package io.pqbridge.pq.wire.message.frontend;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class CopyDataTest {

    @Test
    void fromAnArraySlice() {
        OutputBuffer out = new OutputBuffer(8);
        CopyData.encode(out, "xx1\n".getBytes(), 2, 2);
        Frames.expect().type('d').int32(6).raw("1\n".getBytes()).matches(out);
    }

    @Test
    void fromADirectBuffer() {
        ByteBuffer data = ByteBuffer.allocateDirect(4).put("2\n".getBytes()).flip();
        OutputBuffer out = new OutputBuffer(8);
        CopyData.encode(out, data);
        Frames.expect().type('d').int32(6).raw("2\n".getBytes()).matches(out);
    }
}

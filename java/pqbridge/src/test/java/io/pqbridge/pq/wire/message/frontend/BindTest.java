package io.pqbridge.pq.wire.message.frontend;

import org.junit.jupiter.api.Test;

class BindTest {

    @Test
    void textParametersWithoutFormatCodesAndOneResultFormat() {
        OutputBuffer out = new OutputBuffer(8);
        Bind.encode(out, "", "", new byte[][] {"42".getBytes(), null}, null, 0);
        Frames.expect().type('B').int32(4 + 1 + 1 + 2 + 2 + 4 + 2 + 4 + 2 + 2).cstring("").cstring("").int16(0)
                .int16(2).int32(2).raw("42".getBytes()).int32(-1).int16(1).int16(0).matches(out);
    }

    @Test
    void binaryParametersKeepZeroBytesAndTextOnesEndAtTheFirst() {
        OutputBuffer out = new OutputBuffer(8);
        Bind.encode(out, "", "", new byte[][] {{0, 0, 0, 84}, {'a', 0, 'b'}}, new int[] {1, 0}, 1);
        Frames.expect().type('B').int32(4 + 2 + 2 + 4 + 2 + 8 + 5 + 4).cstring("").cstring("").int16(2).int16(1)
                .int16(0).int16(2).int32(4).raw(new byte[] {0, 0, 0, 84}).int32(1).raw(new byte[] {'a'}).int16(1)
                .int16(1).matches(out);
    }
}

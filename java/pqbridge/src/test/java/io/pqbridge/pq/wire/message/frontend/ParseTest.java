package io.pqbridge.pq.wire.message.frontend;

import org.junit.jupiter.api.Test;

class ParseTest {

    @Test
    void typesOnlyWhenGiven() {
        OutputBuffer out = new OutputBuffer(8);
        Parse.encode(out, "", "SELECT $1", 1, null);
        Frames.expect().type('P').int32(4 + 1 + 10 + 2).cstring("").cstring("SELECT $1").int16(0).matches(out);
    }

    @Test
    void missingTypesAreZero() {
        OutputBuffer out = new OutputBuffer(8);
        Parse.encode(out, "s", "q", 2, new int[] {23});
        Frames.expect().type('P').int32(4 + 2 + 2 + 2 + 8).cstring("s").cstring("q").int16(2).int32(23).int32(0)
                .matches(out);
    }
}

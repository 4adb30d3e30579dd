package io.pqbridge.pq.wire.message.frontend;

import org.junit.jupiter.api.Test;

class QueryTest {

    @Test
    void nulTerminatedSql() {
        OutputBuffer out = new OutputBuffer(8);
        Query.encode(out, "SELECT 1");
        Frames.expect().type('Q').int32(13).cstring("SELECT 1").matches(out);
    }
}

package io.pqbridge.pq.wire.message.frontend;

import org.junit.jupiter.api.Test;

class CancelRequestTest {

    @Test
    void sixteenBytesQuotingTheKey() {
        OutputBuffer out = new OutputBuffer(8);
        CancelRequest.encode(out, 18316, 350490921);
        Frames.expect().int32(16).int32(80877102).int32(18316).int32(350490921).matches(out);
    }
}

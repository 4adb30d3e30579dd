package io.pqbridge.pq.wire.message.frontend;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SaslInitialResponseTest {

    @Test
    void mechanismLengthAndClientFirst() {
        byte[] first = "n,,n=,r=/0P4B5WlssE0uVBtzP1OfpNJ".getBytes(StandardCharsets.US_ASCII);
        OutputBuffer out = new OutputBuffer(8);
        SaslInitialResponse.encode(out, "SCRAM-SHA-256", first);
        Frames.expect().type('p').int32(4 + 14 + 4 + first.length).cstring("SCRAM-SHA-256").int32(first.length)
                .raw(first).matches(out);
    }

    @Test
    void noInitialResponseIsMinusOne() {
        OutputBuffer out = new OutputBuffer(8);
        SaslInitialResponse.encode(out, "X", null);
        Frames.expect().type('p').int32(4 + 2 + 4).cstring("X").int32(-1).matches(out);
    }
}

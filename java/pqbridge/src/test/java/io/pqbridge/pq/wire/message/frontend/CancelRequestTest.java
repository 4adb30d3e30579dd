package io.pqbridge.pq.wire.message.frontend;

import org.junit.jupiter.api.Test;

class CancelRequestTest {

    @Test
    void sixteenBytesQuotingAFourByteKey() {
        OutputBuffer out = new OutputBuffer(8);
        CancelRequest.encode(out, 18316, new byte[] {0x14, (byte) 0xe4, 0x11, 0x29});
        Frames.expect().int32(16).int32(80877102).int32(18316).int32(350490921).matches(out);
    }

    @Test
    void aProtocol32KeyMakesItLonger() {
        OutputBuffer out = new OutputBuffer(8);
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) 0x11);
        CancelRequest.encode(out, 7, key);
        Frames.expect().int32(44).int32(80877102).int32(7).int32(0x11111111).int32(0x11111111).int32(0x11111111)
                .int32(0x11111111).int32(0x11111111).int32(0x11111111).int32(0x11111111).int32(0x11111111)
                .matches(out);
    }
}

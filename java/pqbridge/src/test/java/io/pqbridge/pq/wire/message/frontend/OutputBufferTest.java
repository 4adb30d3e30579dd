package io.pqbridge.pq.wire.message.frontend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class OutputBufferTest {

    @Test
    void growsAndConsumesFromTheFront() {
        OutputBuffer out = new OutputBuffer(1);
        for (int i = 0; i < 1000; i++) {
            out.int32(i);
        }
        assertEquals(4000, out.size());
        out.consume(3996);
        assertArrayEquals(new byte[] {0, 0, 3, (byte) 231}, out.toByteArray());
        out.consume(10);
        assertEquals(0, out.size());
    }

    @Test
    void cstringsStopAtTheFirstNulAndAreUtf8() {
        OutputBuffer out = new OutputBuffer(8);
        out.cstring("a\0b").cstring("é");
        assertArrayEquals(new byte[] {'a', 0, (byte) 0xc3, (byte) 0xa9, 0}, out.toByteArray());
    }

    @Test
    void byteBufferSourcesKeepTheirPosition() {
        ByteBuffer src = ByteBuffer.wrap(new byte[] {1, 2, 3});
        src.position(1);
        OutputBuffer out = new OutputBuffer(8);
        out.bytes(src);
        assertArrayEquals(new byte[] {2, 3}, out.toByteArray());
        assertEquals(1, src.position());
    }
}

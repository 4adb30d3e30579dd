package io.pqbridge.pq.wire.message.backend;

import static io.pqbridge.pq.wire.message.backend.Bodies.body;
import static io.pqbridge.pq.wire.message.backend.Bodies.decode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class CopyDataTest {

    @Test
    void isAViewOfThePayloadThatCopiesIntoACallerBuffer() throws Exception {
        byte[] row = "1\tone\n".getBytes();
        CopyData data = (CopyData) decode('d', body().bytes(row, 0, row.length));
        assertEquals(row.length, data.length());
        assertArrayEquals(row, data.bytes());
        ByteBuffer dst = ByteBuffer.allocateDirect(16);
        dst.put((byte) 'x');
        data.copyTo(dst);
        assertEquals(1 + row.length, dst.position());
        assertEquals('1', dst.get(1));
    }

    @Test
    void mayBeEmpty() throws Exception {
        assertEquals(0, ((CopyData) decode('d', body())).length());
    }
}

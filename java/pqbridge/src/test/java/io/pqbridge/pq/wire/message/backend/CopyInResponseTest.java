package io.pqbridge.pq.wire.message.backend;

import static io.pqbridge.pq.wire.message.backend.Bodies.body;
import static io.pqbridge.pq.wire.message.backend.Bodies.decode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CopyInResponseTest {

    @Test
    void textWithTwoColumns() throws Exception {
        CopyInResponse r = (CopyInResponse) decode('G', body().int8(0).int16(2).int16(0).int16(0));
        assertFalse(r.format().binary());
        assertArrayEquals(new int[] {0, 0}, r.format().columnFormats());
    }

    @Test
    void binary() throws Exception {
        CopyInResponse r = (CopyInResponse) decode('G', body().int8(1).int16(1).int16(1));
        assertTrue(r.format().binary());
        assertEquals(new CopyFormat(1, new int[] {1}), r.format());
    }

    @Test
    void missingColumnFormatsAreInsufficientData() {
        assertThrows(MalformedMessageException.class, () -> decode('G', body().int8(0).int16(2).int16(0)));
    }
}

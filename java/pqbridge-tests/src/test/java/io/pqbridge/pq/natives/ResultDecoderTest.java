package io.pqbridge.pq.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.pq.PgResult;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The decoder of the shim's serialised results, fed buffers laid out as {@code pqs_write_result}
 * lays them out: rows come out value for value (NULL apart from empty), a record that follows the
 * rows is left where it is, and a length that reaches past the buffer is refused instead of being
 * read as values. Tagged "native": the decoder ships in the native backend's jar.
 */
@Tag("native")
class ResultDecoderTest {

    private static final int TUPLES_OK = 2;

    /** A result of two text columns and the given rows ({@code null} for NULL), its length words as given. */
    private static ByteBuffer twoColumns(int ntuples, Object... values) {
        ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.nativeOrder());
        b.putInt(TUPLES_OK).putInt(ntuples).putInt(2).putInt(0).putInt(0);
        for (String name : new String[] {"a", "b"}) {
            b.putInt(25).putInt(0).putInt(0).putInt(0).putInt(-1).putInt(-1);
            string(b, name);
        }
        string(b, "SELECT " + ntuples);
        string(b, "");
        b.putInt(0);
        for (Object v : values) {
            if (v == null) {
                b.putInt(-1);
            } else if (v instanceof Integer length) {
                b.putInt(length);   // a bare length word, for the malformed cases
            } else {
                string(b, (String) v);
            }
        }
        return b;
    }

    private static void string(ByteBuffer b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.putInt(bytes.length).put(bytes);
    }

    @Test
    void rowsComeOutValueForValue() {
        ByteBuffer b = twoColumns(3, "1", "one", null, "", "é", "x".repeat(300));
        b.flip();
        PgResult r = ResultDecoder.result(b);
        assertEquals(3, r.ntuples());
        assertEquals("1", r.text(0, 0));
        assertEquals("one", r.text(0, 1));
        assertTrue(r.isNull(1, 0));
        assertFalse(r.isNull(1, 1));
        assertEquals("", r.text(1, 1));
        assertNull(r.text(1, 0));
        assertEquals("é", r.text(2, 0));
        assertEquals(300, r.length(2, 1));
        assertEquals("SELECT 3", r.cmdStatus());
        assertEquals(b.limit(), b.position());
    }

    @Test
    void aRecordAfterTheRowsIsLeftWhereItIs() {
        ByteBuffer b = twoColumns(1, "a", "b");
        int end = b.position();
        b.putInt(ResultDecoder.TAG_NOTICE).putInt(12345);
        b.flip();
        PgResult r = ResultDecoder.result(b);
        assertEquals("b", r.text(0, 1));
        assertEquals(end, b.position());
        assertEquals(ResultDecoder.TAG_NOTICE, b.getInt());
    }

    @Test
    void aLengthPastTheEndIsRefused() {
        ByteBuffer b = twoColumns(1, "a", 1000);
        b.flip();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ResultDecoder.result(b));
        assertEquals("the shim's result has a value of length 1000 where 0 bytes remain", e.getMessage());
    }

    @Test
    void rowsCutShortAreRefused() {
        ByteBuffer b = twoColumns(2, "a", "b", "c");
        b.flip();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ResultDecoder.result(b));
        assertEquals("the shim's result ends before its value 3 of 4", e.getMessage());
    }

    @Test
    void aNegativeLengthOtherThanNullIsRefused() {
        ByteBuffer b = twoColumns(1, "a", -7);
        b.flip();
        assertThrows(IllegalStateException.class, () -> ResultDecoder.result(b));
    }
}

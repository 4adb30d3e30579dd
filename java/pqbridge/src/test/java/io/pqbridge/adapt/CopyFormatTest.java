package io.pqbridge.adapt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.errors.DataException;
import io.pqbridge.errors.ProgrammingException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The COPY row formats, byte for byte (psycopg's _copy_base.py and its tests). */
class CopyFormatTest {

    private static final AdaptContext CTX = AdaptContext.DEFAULT;

    private static String drained(CopyRowWriter w) {
        return new String(w.array(), 0, w.size(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(CopyRowWriter w) {
        return Arrays.copyOf(w.array(), w.size());
    }

    @Test
    void textRowsEscapeExactlySevenBytes() {
        CopyRowWriter w = CopyRowWriter.create(false);
        w.writeRow(new Object[] {1, "a\bb\tc\nd\u000Be\ff\rg\\h", null, "", "\\N", "\u0001\u007f é"});
        assertEquals("1\ta\\bb\\tc\\nd\\ve\\ff\\rg\\\\h\t\\N\t\t\\\\N\t\u0001\u007f é\n", drained(w));
        w.clear();
        w.writeRow(new Object[0]);
        assertEquals("\n", drained(w));
        w.clear();
        w.writeRow(List.of(List.of("a b", "c\td"), new byte[] {'\\', 10}));
        // the array's own quoting first, then COPY's escapes on top (backslashes doubled again)
        assertEquals("{\"a b\",\"c\\td\"}\t\\\\x5c0a\n", drained(w));
    }

    @Test
    void everyEscapedByteIsFoundAtEveryPositionOfALongField() {
        String escaped = "\b\t\n\u000b\f\r\\";
        String[] written = {"\\b", "\\t", "\\n", "\\v", "\\f", "\\r", "\\\\"};
        // neighbours just outside the escaped bytes (0x0E, 0x5B, 0x5D, UTF-8), with and without 0x07,
        // which the word test flags and the byte loop then passes
        for (String pattern : new String[] {"\u000e[]é", "\u0007\u000e[]é"}) {
            for (int length = 1; length <= 19; length++) {
                for (int at = 0; at < length; at++) {
                    for (int e = 0; e < escaped.length(); e++) {
                        String filler = pattern.repeat(length);
                        String field = filler.substring(0, at) + escaped.charAt(e) + filler.substring(at + 1, length);
                        CopyRowWriter w = CopyRowWriter.create(false);
                        w.writeRow(new Object[] {field});
                        String expected = filler.substring(0, at) + written[e] + filler.substring(at + 1, length) + "\n";
                        assertEquals(expected, drained(w), () -> Arrays.toString(field.toCharArray()));
                    }
                }
            }
        }
    }

    @Test
    void textRowsRoundTripThroughTheReader() {
        Object[] row = {"tab\there", "\\N", null, "", "back\\slash\\", "x\ny\r\n", "é☃𝄞"};
        CopyRowWriter w = CopyRowWriter.create(false);
        w.writeRow(row);
        CopyRowReader r = CopyRowReader.create(false, CTX);
        assertArrayEquals(row, r.parseRow(w.array(), 0, w.size()));
        assertArrayEquals(row, r.parseRow(ByteBuffer.wrap(bytes(w))));
        ByteBuffer direct = ByteBuffer.allocateDirect(w.size() + 3);
        direct.put(new byte[] {9, 9, 9}).put(bytes(w)).flip().position(3);
        assertArrayEquals(row, r.parseRow(direct));
        assertEquals(3, direct.position());
    }

    @Test
    void textReaderKeepsUnknownEscapesAndNeedsTheFinalNewline() {
        CopyRowReader r = CopyRowReader.create(false, CTX);
        byte[] data = "\\x41\t\\N\\N\t\\\\N\n".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(new Object[] {"\\x41", "\\N\\N", "\\N"}, r.parseRow(data, 0, data.length));
        byte[] noLf = "1\t2".getBytes(StandardCharsets.UTF_8);
        DataException e = assertThrows(DataException.class, () -> r.parseRow(noLf, 0, noLf.length));
        assertEquals("bad copy data: field delimiter not found", e.getMessage());
        assertNull(r.parseRow(new byte[0], 0, 0));
    }

    @Test
    void textReaderLoadsPinnedTypesAndChecksTheCount() {
        CopyRowReader r = CopyRowReader.create(false, CTX);
        r.setTypes("int4", "date", "text[]", "numeric");
        byte[] data = "7\t2020-02-29\t{a,\"b\\tc\"}\t\\N\n".getBytes(StandardCharsets.UTF_8);
        Object[] row = r.parseRow(data, 0, data.length);
        assertEquals(7, row[0]);
        assertEquals(LocalDate.of(2020, 2, 29), row[1]);
        assertEquals(List.of("a", "b\tc"), row[2]);
        assertNull(row[3]);
        r.setTypes("int4", "int4");
        ProgrammingException e = assertThrows(ProgrammingException.class, () -> r.parseRow(data, 0, data.length));
        assertEquals("cannot load sequence of 4 items: 2 loaders registered", e.getMessage());
    }

    @Test
    void binaryWriterPutsTheHeaderBeforeTheFirstRowAndTheTrailerAtTheEnd() {
        CopyRowWriter w = CopyRowWriter.create(true);
        w.setTypes("int4", "text", "int8");
        w.writeRow(new Object[] {1, "ab", null});
        byte[] header = "PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1);
        byte[] expected = concat(header, new byte[] {0, 0, 0, 0, 0, 0, 0, 0},
                new byte[] {0, 3, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 2, 'a', 'b', -1, -1, -1, -1});
        assertArrayEquals(expected, bytes(w));
        w.clear();
        w.writeRow(List.of(2, "", 3L));
        assertArrayEquals(new byte[] {0, 3, 0, 0, 0, 4, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 3},
                bytes(w));
        w.clear();
        w.finish();
        assertArrayEquals(new byte[] {-1, -1}, bytes(w));
    }

    @Test
    void binaryWithoutRowsIsHeaderAndTrailer() {
        CopyRowWriter w = CopyRowWriter.create(true);
        w.finish();
        assertEquals(21, w.size());
        assertArrayEquals(Arrays.copyOf(CopyRowWriter.SIGNATURE, 19), Arrays.copyOf(bytes(w), 19));
        assertEquals(-1, w.array()[19]);
        assertEquals(-1, w.array()[20]);
        CopyRowReader r = CopyRowReader.create(true, CTX);
        assertNull(r.parseRow(w.array(), 0, w.size()));
    }

    @Test
    void binaryAfterRawWritesAddsNothingButTheTrailerOfRows() {
        CopyRowWriter w = CopyRowWriter.create(true);
        w.rawWritten();
        w.finish();
        assertEquals(0, w.size());
        w.writeRow(new Object[] {1});
        w.clear();
        w.finish();
        assertArrayEquals(new byte[] {-1, -1}, bytes(w));
        CopyRowWriter text = CopyRowWriter.create(false);
        text.writeRow(new Object[] {1});
        text.clear();
        text.finish();
        assertEquals(0, text.size());
    }

    @Test
    void binaryReaderChecksTheSignatureAndStopsAtTheTrailer() {
        CopyRowWriter w = CopyRowWriter.create(true);
        w.writeRow(new Object[] {1, "x", null});
        CopyRowReader r = CopyRowReader.create(true, CTX);
        Object[] raw = r.parseRow(w.array(), 0, w.size());
        assertArrayEquals(new byte[] {0, 0, 0, 1}, (byte[]) raw[0]);
        assertArrayEquals(new byte[] {'x'}, (byte[]) raw[1]);
        assertNull(raw[2]);
        assertNull(r.parseRow(new byte[] {-1, -1}, 0, 2));

        CopyRowReader fresh = CopyRowReader.create(true, CTX);
        byte[] noHeader = {0, 1, 0, 0, 0, 1, 'x'};
        DataException e = assertThrows(DataException.class, () -> fresh.parseRow(noHeader, 0, noHeader.length));
        assertEquals("binary copy doesn't start with the expected signature", e.getMessage());

        CopyRowReader typed = CopyRowReader.create(true, CTX);
        typed.setTypes("int4", "text");
        ProgrammingException p = assertThrows(ProgrammingException.class, () -> typed.parseRow(w.array(), 0, w.size()));
        assertEquals("cannot load sequence of 3 items: 2 loaders registered", p.getMessage());
    }

    @Test
    void binaryHeaderIsTakenWithTheFirstMessageEvenWhenItsRowFails() {
        CopyRowWriter w = CopyRowWriter.create(true);
        w.writeRow(new Object[] {1, "x", null});
        byte[] first = bytes(w);
        w.clear();
        w.writeRow(new Object[] {2, "y", null});
        byte[] second = bytes(w);

        CopyRowReader r = CopyRowReader.create(true, CTX);
        r.setTypes("int4", "text");
        assertThrows(ProgrammingException.class, () -> r.parseRow(first, 0, first.length));
        r.setTypes("int4", "text", "text");
        // psycopg's BinaryFormatter.parse_row marks the signature seen before it parses the row
        assertArrayEquals(new Object[] {2, "y", null}, r.parseRow(second, 0, second.length));
    }

    @Test
    void aFailedRowLeavesNothingBehind() {
        for (boolean binary : new boolean[] {false, true}) {
            CopyRowWriter w = CopyRowWriter.create(binary);
            w.setTypes("int4", "text");
            assertThrows(DataException.class, () -> w.writeRow(new Object[] {1L << 40, "x"}));
            assertEquals(0, w.size(), "the header goes too when the first row fails");
            w.writeRow(new Object[] {1, "a"});
            int size = w.size();
            assertThrows(DataException.class, () -> w.writeRow(new Object[] {2, "nul\0here"}));
            assertThrows(ProgrammingException.class, () -> w.writeRow(new Object[] {3, new Object()}));
            DataException arity = assertThrows(DataException.class, () -> w.writeRow(new Object[] {4}));
            assertEquals("expected 2 values in row, got 1", arity.getMessage());
            assertEquals(size, w.size());
            w.writeRow(new Object[] {5, "b"});
            CopyRowReader r = CopyRowReader.create(binary, CTX);
            r.setTypes("int4", "text");
            if (binary) {
                w.finish();
                byte[] all = bytes(w);
                // split the stream back into the messages the server would send
                int first = 19 + 2 + 4 + 4 + 4 + 1;
                assertArrayEquals(new Object[] {1, "a"}, r.parseRow(all, 0, first));
                assertArrayEquals(new Object[] {5, "b"}, r.parseRow(all, first, all.length - first - 2));
                assertNull(r.parseRow(all, all.length - 2, 2));
            } else {
                assertEquals("1\ta\n5\tb\n", drained(w));
            }
        }
    }

    @Test
    void unpinnedValuesAreDumpedByJavaType() {
        CopyRowWriter w = CopyRowWriter.create(false);
        w.writeRow(new Object[] {(short) 1, 2, 3L, 1.5f, 2.5, new BigDecimal("3.50"), true, LocalDate.of(2020, 1, 2)});
        assertEquals("1\t2\t3\t1.5\t2.5\t3.50\tt\t2020-01-02\n", drained(w));
        CopyRowWriter b = CopyRowWriter.create(true);
        b.writeRow(new Object[] {(short) 1, 2, 3L});
        byte[] row = Arrays.copyOfRange(b.array(), 19, b.size());
        assertArrayEquals(new byte[] {0, 3, 0, 0, 0, 2, 0, 1, 0, 0, 0, 4, 0, 0, 0, 2, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 3},
                row);
    }

    @Test
    void pinnedTextTypesTakeStringsAsTheirTextForm() {
        CopyRowWriter w = CopyRowWriter.create(false);
        w.setTypes("int4", "date", "jsonb");
        w.writeRow(new Object[] {"2", "2020-01-02", "{\"a\":\"\\t\"}"});
        assertEquals("2\t2020-01-02\t{\"a\":\"\\\\t\"}\n", drained(w));
        CopyRowWriter b = CopyRowWriter.create(true);
        b.setTypes("int4");
        ProgrammingException e = assertThrows(ProgrammingException.class, () -> b.writeRow(new Object[] {"2"}));
        assertEquals("cannot dump java.lang.String as int4: expected an integral number (Short, Integer, Long,"
                + " BigInteger)", e.getMessage());
        b.setTypes("int8");
        b.writeRow(new Object[] {100});
        assertEquals(19 + 2 + 4 + 8, b.size());
    }

    @Test
    void bufferSignalsWhenToDrain() {
        CopyRowWriter w = CopyRowWriter.create(false);
        String field = "x".repeat(1000);
        int rows = 0;
        while (!w.isFull()) {
            w.writeRow(new Object[] {field});
            rows++;
        }
        assertEquals(33, rows);
        assertTrue(w.size() > CopyRowWriter.BUFFER_SIZE);
        w.clear();
        assertFalse(w.isFull());
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}

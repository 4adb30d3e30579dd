package io.pqbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two input readers of --binary-wire, without a server: what PostgreSQL's CSV and text COPY
 * make of each construct is what they hand over (fields, NULLs, line numbers), and what the server
 * refuses they refuse. (BinaryWireTest checks the same against the server's own loads.)
 */
class FieldSourcesTest {

    /** Records the events as text: a row is {@code line:[field|field]}, NULL is {@code <null>}. */
    static final class Recorder implements FieldSink {
        final List<String> rows = new ArrayList<>();
        private StringBuilder row;

        @Override
        public void beginRow(long line) {
            row = new StringBuilder().append(line).append(":[");
        }

        @Override
        public void field(byte[] data, int offset, int length) {
            separate().append(new String(data, offset, length, StandardCharsets.UTF_8));
        }

        @Override
        public void nullField() {
            separate().append("<null>");
        }

        private StringBuilder separate() {
            if (row.charAt(row.length() - 1) != '[') {
                row.append('|');
            }
            return row;
        }

        @Override
        public void endRow() {
            rows.add(row.append(']').toString());
        }
    }

    private static List<String> csv(String data, char delimiter, String nullString, boolean header) {
        return csv(data, delimiter, nullString, header, EndMarker.BEFORE_18);
    }

    private static List<String> csv(String data, char delimiter, String nullString, boolean header, EndMarker marker) {
        Recorder r = new Recorder();
        try {
            CsvFields.read(new ByteArrayInputStream(data.getBytes(StandardCharsets.UTF_8)), delimiter, nullString, header,
                    marker, r);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return r.rows;
    }

    private static List<String> text(String data, char delimiter, String nullString, boolean header)
            throws IOException {
        return text(data, delimiter, nullString, header, EndMarker.BEFORE_18);
    }

    private static List<String> text(String data, char delimiter, String nullString, boolean header, EndMarker marker)
            throws IOException {
        Recorder r = new Recorder();
        TextFields.read(new ByteArrayInputStream(data.getBytes(StandardCharsets.UTF_8)), (byte) delimiter,
                nullString.getBytes(StandardCharsets.UTF_8), header, marker, r);
        return r.rows;
    }

    @Test
    void csvAsPostgresReadsIt() {
        assertEquals(List.of("1:[a|<null>|]", "2:[x,y|\"q\"|two\r\nlines]", "4:[<null>]", "5:[abc|é✓]"),
                csv("a,,\"\"\r\n\"x,y\",\"\"\"q\"\"\",\"two\r\nlines\"\r\n\r\n\"ab\"c,é✓", ',', "", false));
        assertEquals(List.of("2:[1|<null>|]"), csv("h1;h2;h3\n1;NULL;\n", ';', "NULL", true));
        assertEquals(List.of("1:[NULL]", "2:[<null>]"), csv("\"NULL\"\nNULL\n", ',', "NULL", false));
        assertEquals(List.of("1:[]"), csv("\n", ',', "x", false));
        assertEquals(List.of(), csv("", ',', "", false));
    }

    @Test
    void csvErrorsNameTheLine() {
        ToolException open = assertThrows(ToolException.class, () -> csv("1,a\n2,\"b\n", ',', "", false));
        assertEquals(ExitStatus.DATA, open.status());
        assertTrue(open.getMessage().contains("line 2"), open.getMessage());
        ToolException utf8 = assertThrows(ToolException.class, () -> {
            Recorder r = new Recorder();
            CsvFields.read(new ByteArrayInputStream(new byte[] {'a', ',', (byte) 0xC3, '\n'}), ',', "", false,
                    EndMarker.BEFORE_18, r);
        });
        assertTrue(utf8.getMessage().contains("invalid byte sequence for encoding \"UTF8\""), utf8.getMessage());
    }

    @Test
    void textAsPostgresReadsIt() throws IOException {
        // "\." ends the data wherever it stands on a line (PostgreSQL 15): the last row ends before it
        assertEquals(List.of("1:[a|<null>|]", "2:[tab\there|nl\nbs\\|\\N]", "3:[ABC|\t\t|x|A|]"),
                text("a\t\\N\t\n"
                        + "tab\\there\tnl\\nbs\\\\\t\\\\N\n"
                        + "\\101\\x42\\x43\t\\011\\x9\t\\x\t\\x41\t\\.\n", '\t', "\\N", false));
        assertEquals(List.of("2:[a|b|c]"), text("header line\r\na|b\\|c\r\n", '|', "\\N", true));
        assertEquals(List.of("2:[a|b|c]"), text("h\r\na|b|c\r\n", '|', "\\N", true));
        assertEquals(List.of("1:[a,b]"), text("a\\,b\n", ',', "\\N", false));
        assertEquals(List.of("1:[1]", "2:[2]"), text("1\n2\n\\.\n3\n", '\t', "\\N", false));
        assertEquals(List.of("1:[x|<null>]"), text("x\tNULL", '\t', "NULL", false));
        assertEquals(List.of("1:[]"), text("\n", '\t', "\\N", false));
    }

    @Test
    void textRefusesWhatTheServerRefuses() {
        ToolException cr = assertThrows(ToolException.class, () -> text("a\n b\r c\n", '\t', "\\N", false));
        assertTrue(cr.getMessage().contains("line 2: literal carriage return"), cr.getMessage());
        ToolException lf = assertThrows(ToolException.class, () -> text("a\r\nb\n", '\t', "\\N", false));
        assertTrue(lf.getMessage().contains("line 2: literal newline"), lf.getMessage());
        ToolException marker = assertThrows(ToolException.class, () -> text("a\n\\.b\n", '\t', "\\N", false));
        assertTrue(marker.getMessage().contains("line 2: end-of-copy marker corrupt"), marker.getMessage());
    }

    @Test
    void longLinesGrowTheBuffer() throws IOException {
        String big = "x".repeat(3 << 20);
        assertEquals(List.of("1:[" + big + "|y]", "2:[z]"), text(big + "\ty\nz\n", '\t', "\\N", false));
    }

    @Test
    void rowLinesMapServerRowsToInputLines() {
        RowLines lines = new RowLines();
        lines.record(1, 2);   // a header
        lines.record(2, 3);
        lines.record(3, 4);   // a field spanning two lines
        lines.record(4, 6);
        lines.record(5, 7);
        assertEquals(2, lines.lineOf(1));
        assertEquals(4, lines.lineOf(3));
        assertEquals(6, lines.lineOf(4));
        assertEquals(7, lines.lineOf(5));
        assertEquals(-1, lines.lineOf(6));
        assertEquals(-1, lines.lineOf(0));
    }

    @Test
    void identifiersFoldAsSql() {
        assertEquals("abc", TableTarget.identifierName("ABC", "--columns"));
        assertEquals("ÉtÉ", TableTarget.identifierName("ÉtÉ", "--columns"));
        assertEquals("Mixed \"Case\"", TableTarget.identifierName("\"Mixed \"\"Case\"\"\"", "--columns"));
        assertEquals(ExitStatus.USAGE, assertThrows(ToolException.class, () -> TableTarget.identifierName("a\"b", "--columns"))
                .status());
        assertEquals(ExitStatus.USAGE, assertThrows(ToolException.class, () -> TableTarget.identifierName("\"\"", "--columns"))
                .status());
        assertEquals(ExitStatus.USAGE, assertThrows(ToolException.class, () -> TableTarget.identifierName("my table",
                "--table")).status());
        assertEquals(ExitStatus.USAGE, assertThrows(ToolException.class, () -> TableTarget.identifierName("1a",
                "--table")).status());
        assertEquals("a$1", TableTarget.identifierName("A$1", "--table"));
    }

    @Test
    void qualifiedNamesAreQuotedNameByName() {
        assertEquals("\"t\"", TableTarget.qualifiedName("T"));
        assertEquals("\"public\".\"t\"", TableTarget.qualifiedName(" public . t "));
        assertEquals("\"My.Schema\".\"A \"\"b\"\"\"", TableTarget.qualifiedName("\"My.Schema\".\"A \"\"b\"\"\""));
        assertEquals("\"db\".\"s\".\"t\"", TableTarget.qualifiedName("db.s.t"));
        for (String bad : List.of("a.b.c.d", "t; DROP TABLE x", "\"open", "a..b", "", "t (a)")) {
            assertEquals(ExitStatus.USAGE, assertThrows(ToolException.class, () -> TableTarget.qualifiedName(bad), bad)
                    .status(), bad);
        }
    }

    @Test
    void linesAndMarkersAsTheServersReaderSeesThem() throws IOException {
        assertEquals(List.of("1:[a]"), text("a\\.\nb\n", '\t', "\\N", false), "\\. ends the data mid-line");
        assertEquals(List.of("1:[1]", "2:[2]"), text("1\r2\r", '\t', "\\N", false), "CR line endings");
        assertEquals(List.of("1:[a\nb]", "3:[c]"), text("a\\\nb\nc\n", '\t', "\\N", false), "an escaped newline");
        assertEquals(List.of("1:[a\\.b]"), csv("a\\.b\n", ',', "", false), "\\. is data in CSV but alone");
        assertEquals(List.of("1:[x]"), csv("x\n\\.\ny\n", ',', "", false), "\\. alone ends CSV data");
        assertEquals(List.of("1:[\\.x]"), csv("\\.x\n", ',', "", false));
        assertEquals(List.of("1:[x]", "2:[\\.abcdefghijklmnop|q\\r]", "3:[\\]"),
                csv("x\n\\.abcdefghijklmnop,q\\r\n\\\n", ',', "", false), "backslashes later in CSV lines are data");
        assertEquals(List.of("1:[abcdefghijklmnop]"), csv("abcdefghijklmnop\n\\.\nz\n", ',', "", false),
                "\\. after a long line still ends CSV data");
        assertEquals(List.of("1:[ab]"), csv("a\"b\"\n", ',', "", false), "a quote opens quoting anywhere");
        assertEquals(List.of("1:[ab,cd]"), csv("a\"b,c\"d\n", ',', "", false));
        assertEquals(List.of("1:[a\"b]"), csv("\"a\"\"b\"\n", ',', "", false));
        assertEquals(List.of("1:[<null>|]"), csv(",\"\"\n", ',', "", false), "a quoted empty field is not NULL");
    }

    @Test
    void utf8IsCheckedAtEveryPositionOfARun() {
        // ASCII runs are checked eight bytes at a time: a bad byte or a character anywhere in
        // them, at every offset from the start and the end, is found as byte by byte
        for (int length = 1; length <= 40; length++) {
            for (int at = 0; at < length; at++) {
                byte[] line = new byte[length];
                java.util.Arrays.fill(line, (byte) 'a');
                for (int bad : new int[] {0x00, 0xFF, 0x80, 0xC3}) {
                    line[at] = (byte) bad;
                    byte[] b = line.clone();
                    ToolException e = assertThrows(ToolException.class, () -> check(b));
                    String expected = bad == 0xC3 && at < length - 1 ? "0x61" : bad == 0xC3 ? "ends inside" : String.format("0x%02x", bad);
                    assertTrue(e.getMessage().contains(expected), length + "/" + at + ": " + e.getMessage());
                }
                if (at < length - 1) {
                    line[at] = (byte) 0xC3;
                    line[at + 1] = (byte) 0xA9;   // é
                    check(line);
                }
            }
        }
    }

    private static void check(byte[] b) {
        Utf8Check utf8 = new Utf8Check();
        utf8.check(b, 0, b.length, 1);
        utf8.finish(1);
    }

    /**
     * PostgreSQL 18's rule for the marker: CSV has none (a line of backslash and period is a row),
     * and in text format it must stand alone on its line.
     */
    @Test
    void theEndMarkerIsReadAsTheServersVersionReadsIt() throws IOException {
        EndMarker pg18 = EndMarker.FROM_18;
        assertEquals(List.of("1:[x]", "2:[\\.]", "3:[y]"), csv("x\n\\.\ny\n", ',', "", false, pg18));
        assertEquals(List.of("1:[1]", "2:[2]"), text("1\n2\n\\.\n3\n", '\t', "\\N", false, pg18));
        ToolException before = assertThrows(ToolException.class, () -> text("a\\.\nb\n", '\t', "\\N", false, pg18));
        assertTrue(before.getMessage().contains("line 1: end-of-copy marker is not alone on its line"), before.getMessage());
        ToolException after = assertThrows(ToolException.class, () -> text("a\n\\.b\n", '\t', "\\N", false, pg18));
        assertTrue(after.getMessage().contains("line 2: end-of-copy marker is not alone on its line"), after.getMessage());
        assertEquals(List.of("1:[a]"), text("a\\.\nb\n", '\t', "\\N", false), "before 18: the last line");
    }

    @Test
    void lineAndQuoteErrorsAreTheServers() {
        ToolException open = assertThrows(ToolException.class, () -> csv("a\"b\n", ',', "", false));
        assertTrue(open.getMessage().contains("unterminated CSV quoted field"), open.getMessage());
        ToolException mixed = assertThrows(ToolException.class, () -> csv("1\r\n2\n", ',', "", false));
        assertTrue(mixed.getMessage().contains("line 2: unquoted newline found in data"), mixed.getMessage());
        ToolException corrupt = assertThrows(ToolException.class, () -> text("\\.a\n", '\t', "\\N", false));
        assertTrue(corrupt.getMessage().contains("end-of-copy marker corrupt"), corrupt.getMessage());
        ToolException style = assertThrows(ToolException.class, () -> text("a\r\n\\.\n", '\t', "\\N", false));
        assertTrue(style.getMessage().contains("end-of-copy marker does not match previous newline style"),
                style.getMessage());
        ToolException nul = assertThrows(ToolException.class, () -> text("a\\000b\n", '\t', "\\N", false));
        assertTrue(nul.getMessage().contains("0x00"), nul.getMessage());
    }
}

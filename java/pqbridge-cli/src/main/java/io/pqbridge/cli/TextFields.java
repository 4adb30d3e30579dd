package io.pqbridge.cli;

import io.pqbridge.adapt.ByteStops;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads PostgreSQL's text COPY format and feeds its fields to a {@link FieldSink}, by the rules of
 * the server's own reader: lines as {@link CopyLineReader} splits them, then fields as PostgreSQL
 * 15's {@code CopyReadAttributesText} splits them:
 * <ul>
 *   <li>fields are split on the delimiter (one ASCII byte, TAB by default); a backslash makes the
 *       next byte literal, the delimiter included;</li>
 *   <li>a field whose raw text is the NULL string ({@code \N} by default) is NULL;</li>
 *   <li>escapes: {@code \b \f \n \r \t \v}, {@code \}1 to 3 octal digits, {@code \x} and 1 or 2 hex
 *       digits; any other escaped byte stands for itself; a backslash ending the line is dropped;</li>
 *   <li>a field whose escapes produced a byte above 0x7F or a NUL must still be valid UTF-8 (the
 *       server's {@code pg_verifymbstr}).</li>
 * </ul>
 */
final class TextFields {

    private final CopyLineReader lines;
    private final FieldSink sink;
    private final byte delimiter;
    private final byte[] nullString;
    /** Where a field may end: the delimiter, or a backslash, which escapes the byte after it. */
    private final ByteStops fieldEnds;
    private final Utf8Check decoded = new Utf8Check();
    private byte[] scratch = new byte[256];

    private TextFields(InputStream in, FieldSink sink, byte delimiter, byte[] nullString, EndMarker marker) {
        this.lines = new CopyLineReader(in, false, (byte) 0, (byte) 0, marker);
        this.sink = sink;
        this.delimiter = delimiter;
        this.nullString = nullString;
        this.fieldEnds = new ByteStops(delimiter, '\\');
    }

    /**
     * Reads all of {@code in}.
     *
     * @throws ToolException (data) for a line the server would refuse for its form, with its number
     */
    static void read(InputStream in, byte delimiter, byte[] nullString, boolean header, EndMarker marker,
            FieldSink sink) throws IOException {
        TextFields fields = new TextFields(in, sink, delimiter, nullString, marker);
        fields.lines.forEachLine(header, fields::row);
    }

    private void row() {
        byte[] buf = lines.line();
        int end = lines.length();
        sink.beginRow(lines.lineNumber());
        int p = 0;
        for (;;) {
            int fieldStart = p;
            boolean escaped = false;
            int rawEnd;   // where the field's raw text ends for the NULL comparison
            for (;;) {
                p = fieldEnds.indexIn(buf, p, end);
                rawEnd = p;
                if (p == end || buf[p] == delimiter) {
                    break;
                }
                escaped = true; // a backslash, and the byte it escapes
                if (p + 1 == end) {
                    p = end;   // a lone backslash ending the line: out of the raw text
                    break;
                }
                p += 2;
            }
            field(buf, fieldStart, p, rawEnd, escaped);
            if (p == end) {
                break;
            }
            p++;   // the delimiter; a line ending with it has one more, empty, field
        }
        sink.endRow();
    }

    /**
     * One field, {@code buf[start, end)}. {@code rawEnd} is {@code end}, or one less when the line
     * ends in a lone backslash (only at the end of the input: a backslash before a line end
     * escapes it), which the server leaves out of the raw text it compares with the NULL string:
     * {@code \N\} at the end of a file is NULL to it.
     */
    private void field(byte[] buf, int start, int end, int rawEnd, boolean escaped) {
        if (rawEnd - start == nullString.length && Arrays.equals(buf, start, rawEnd, nullString, 0, nullString.length)) {
            sink.nullField();
        } else if (!escaped) {
            sink.field(buf, start, end - start);
        } else {
            int length = unescape(buf, start, end); // first: it may replace scratch with a larger array
            sink.field(scratch, 0, length);
        }
    }

    /** Decodes the escapes of {@code buf[start, end)} into {@link #scratch}; returns the length. */
    private int unescape(byte[] buf, int start, int end) {
        if (scratch.length < end - start) {
            scratch = new byte[Math.max(end - start, scratch.length * 2)];
        }
        int n = 0;
        boolean sawNonAscii = false;
        for (int p = start; p < end; p++) {
            byte c = buf[p];
            if (c != '\\') {
                scratch[n++] = c;
                continue;
            }
            if (++p == end) {
                break; // a trailing backslash: the server drops it
            }
            c = buf[p];
            if (c >= '0' && c <= '7') {
                int value = c - '0';
                for (int digits = 1; digits < 3 && p + 1 < end && buf[p + 1] >= '0' && buf[p + 1] <= '7'; digits++) {
                    value = value * 8 + (buf[++p] - '0');
                }
                c = (byte) value;
                sawNonAscii |= c <= 0;
            } else if (c == 'x' && p + 1 < end && hex(buf[p + 1]) >= 0) {
                int value = hex(buf[++p]);
                if (p + 1 < end && hex(buf[p + 1]) >= 0) {
                    value = value * 16 + hex(buf[++p]);
                }
                c = (byte) value;
                sawNonAscii |= c <= 0;
            } else {
                c = switch (c) {
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    case 'v' -> 0x0B;
                    default -> c;
                };
            }
            scratch[n++] = c;
        }
        if (sawNonAscii) {
            decoded.check(scratch, 0, n, lines.lineNumber());
            decoded.finish(lines.lineNumber());
        }
        return n;
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}

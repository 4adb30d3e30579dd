package io.pqbridge.cli;

import io.pqbridge.adapt.ByteStops;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads CSV as PostgreSQL's CSV COPY reads it and feeds its fields to a {@link FieldSink}: lines
 * as {@link CopyLineReader} splits them (quoted line endings belong to the line), then fields as
 * PostgreSQL 15's {@code CopyReadAttributesCSV} splits them:
 * <ul>
 *   <li>a quote anywhere in a field opens a quoted part, which runs to the next quote not
 *       protected by the escape ({@code ""} inside quotes is one quote); quoted and unquoted parts
 *       join ({@code a"b"c} is {@code abc}); a quote left open is "unterminated CSV quoted
 *       field";</li>
 *   <li>an unquoted field equal to the NULL string (by default the empty string) is NULL, a field
 *       with any quote never is; an empty line is one such unquoted empty field;</li>
 *   <li>with a header, the first line is skipped.</li>
 * </ul>
 * The quote and escape characters are the double quote, as COPY's defaults. Input must be UTF-8.
 */
final class CsvFields {

    private static final byte QUOTE = '"';
    private static final byte ESCAPE = '"';

    private final CopyLineReader lines;
    private final FieldSink sink;
    private final byte delimiter;
    private final byte[] nullString;
    /** Where an unquoted field may end: the delimiter, or a quote that makes it a quoted one. */
    private final ByteStops fieldEnds;
    /** The unescaped bytes of the current quoted field ({@link #fieldLength} of them); unquoted fields are not copied. */
    private byte[] field = new byte[256];
    private int fieldLength;

    private CsvFields(InputStream in, FieldSink sink, byte delimiter, byte[] nullString, EndMarker marker) {
        this.lines = new CopyLineReader(in, true, QUOTE, ESCAPE, marker);
        this.sink = sink;
        this.delimiter = delimiter;
        this.nullString = nullString;
        this.fieldEnds = new ByteStops(delimiter, QUOTE);
    }

    /**
     * Reads all of {@code in}.
     *
     * @throws ToolException (data) for input the server's CSV reader refuses, with its line
     */
    static void read(InputStream in, char delimiter, String nullString, boolean header, EndMarker marker,
            FieldSink sink) throws IOException {
        CsvFields fields = new CsvFields(in, sink, (byte) delimiter, nullString.getBytes(StandardCharsets.UTF_8), marker);
        fields.lines.forEachLine(header, fields::row);
    }

    private void row() {
        byte[] buf = lines.line();
        int end = lines.length();
        sink.beginRow(lines.lineNumber());
        int p = 0;
        for (;;) {
            int start = p;
            p = fieldEnds.indexIn(buf, p, end);
            if (p < end && buf[p] == QUOTE) {
                p = quotedField(buf, start, end);
                sink.field(field, 0, fieldLength);
            } else if (p - start == nullString.length && Arrays.equals(buf, start, p, nullString, 0, nullString.length)) {
                sink.nullField();
            } else {
                sink.field(buf, start, p - start); // no quote: the field is the line's bytes themselves
            }
            if (p >= end) {
                break;
            }
            p++; // the delimiter
        }
        sink.endRow();
    }

    /**
     * A field with a quote in it, from {@code start}: its unescaped bytes go to {@link #field}
     * ({@link #fieldLength} of them); returns the position of the delimiter that ends it, or
     * {@code end}.
     */
    private int quotedField(byte[] buf, int start, int end) {
        if (field.length < end - start) {
            field = new byte[Math.max(end - start, field.length * 2)];
        }
        int p = start;
        int n = 0;
        for (;;) {
            // not in quotes
            for (;;) {
                if (p >= end) {
                    fieldLength = n;
                    return p;
                }
                byte c = buf[p];
                if (c == delimiter) {
                    fieldLength = n;
                    return p;
                }
                p++;
                if (c == QUOTE) {
                    break;
                }
                field[n++] = c;
            }
            // in quotes
            for (;;) {
                if (p >= end) {
                    throw ToolException.data("line " + lines.lineNumber() + ": unterminated CSV quoted field", null);
                }
                byte c = buf[p++];
                if (c == ESCAPE && p < end && (buf[p] == ESCAPE || buf[p] == QUOTE)) {
                    field[n++] = buf[p++];
                    continue;
                }
                if (c == QUOTE) {
                    break;
                }
                field[n++] = c;
            }
        }
    }
}

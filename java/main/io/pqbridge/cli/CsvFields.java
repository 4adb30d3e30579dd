package io.pqbridge.cli;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CancellationException;

/**
 * Reads CSV with FastCSV and feeds its fields to a {@link FieldSink} with the meaning PostgreSQL's
 * CSV COPY gives them: an <em>unquoted</em> field equal to the NULL string (by default the empty
 * string) is NULL, a quoted one never is; an empty line is one such unquoted empty field; with a
 * header, the first record is skipped; text after a closing quote is kept ({@code "ab"c} is
 * {@code abc}); a quote left open at the end of the input is an error. The quote and escape characters are the double quote, as COPY's defaults. Input
 * is UTF-8 and must be valid.
 *
 * <p>Allocation-free per field: FastCSV hands over ranges of its own buffer, which are encoded
 * to UTF-8 into one reused array. Fields are limited to FastCSV's buffer (16 M characters).
 */
final class CsvFields extends AbstractBaseCsvCallbackHandler<Boolean> {

    private final FieldSink sink;
    private final char[] nullString;
    private boolean skipNext;
    private byte[] utf8 = new byte[1024];

    private CsvFields(FieldSink sink, String nullString, boolean header) {
        this.sink = sink;
        this.nullString = nullString.toCharArray();
        this.skipNext = header;
    }

    /**
     * Reads all of {@code in}.
     *
     * @throws ToolException (data) for input that is not valid CSV or UTF-8, with its line
     */
    static void read(InputStream in, char delimiter, String nullString, boolean header, FieldSink sink) {
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        CsvFields handler = new CsvFields(sink, nullString, header);
        CsvReader<Boolean> csv = CsvReader.builder()
                .fieldSeparator(delimiter)
                .quoteCharacter('"')
                .skipEmptyLines(false)
                .allowExtraFields(true)
                .allowMissingFields(true)
                .allowExtraCharsAfterClosingQuote(true)
                .allowUnclosedQuote(false)
                .detectBomHeader(false)
                .build(handler, reader);
        try {
            for (Boolean ignored : csv) {
                // the handler did the work
            }
        } catch (CsvParseException e) {
            // FastCSV wraps whatever a callback throws
            if (e.getCause() instanceof ToolException | e.getCause() instanceof CancellationException) {
                throw (RuntimeException) e.getCause();
            }
            throw ToolException.data("bad CSV: " + messages(e), e);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof CharacterCodingException) {
                throw ToolException.data("the input is not valid UTF-8 (" + e.getMessage() + ")", e);
            }
            throw e;
        }
    }

    private static String messages(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            text.append(": ").append(cause.getMessage());
        }
        return text.toString();
    }

    // FastCSV begins a record before it knows whether one follows (it does at the end of the
    // input too), so the row begins with its first field.

    @Override
    protected void handleField(int fieldIdx, char[] buf, int offset, int len, boolean quoted) {
        if (skipNext) {
            return;
        }
        if (fieldIdx == 0) {
            sink.beginRow(getStartingLineNumber());
        }
        if (!quoted && isNullString(buf, offset, len)) {
            sink.nullField();
            return;
        }
        int n = encode(buf, offset, len);
        sink.field(utf8, 0, n);
    }

    @Override
    protected void handleEmpty() {
        if (skipNext) {
            return;
        }
        sink.beginRow(getStartingLineNumber());
        if (nullString.length == 0) {
            sink.nullField();
        } else {
            sink.field(utf8, 0, 0);
        }
    }

    @Override
    protected Boolean buildRecord() {
        if (skipNext) {
            skipNext = false;
            return null;
        }
        sink.endRow();
        return Boolean.TRUE;
    }

    private boolean isNullString(char[] buf, int offset, int len) {
        if (len != nullString.length) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (buf[offset + i] != nullString[i]) {
                return false;
            }
        }
        return true;
    }

    /** UTF-8 of {@code buf[offset, offset + len)} into {@link #utf8}; the decoder upstream guarantees well-formed pairs. */
    private int encode(char[] buf, int offset, int len) {
        if (utf8.length < len * 3) {
            utf8 = new byte[Math.max(len * 3, utf8.length * 2)];
        }
        byte[] out = utf8;
        int n = 0;
        int end = offset + len;
        int i = offset;
        // ASCII first: one byte per char, no branches but the test
        while (i < end && buf[i] < 0x80) {
            out[n++] = (byte) buf[i++];
        }
        for (; i < end; i++) {
            char c = buf[i];
            if (c < 0x80) {
                out[n++] = (byte) c;
            } else if (c < 0x800) {
                out[n++] = (byte) (0xC0 | (c >> 6));
                out[n++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < end) {
                int cp = Character.toCodePoint(c, buf[++i]);
                out[n++] = (byte) (0xF0 | (cp >> 18));
                out[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[n++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                out[n++] = (byte) (0xE0 | (c >> 12));
                out[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[n++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return n;
    }
}

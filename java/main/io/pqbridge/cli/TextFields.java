package io.pqbridge.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads PostgreSQL's text COPY format and feeds its fields to a {@link FieldSink}, by the rules of
 * the server's own reader (copyfromparse.c), which no CSV library knows:
 * <ul>
 *   <li>a row is a line; lines end with LF, or all with CR LF (decided by the first line); a CR
 *       anywhere else is refused, as the server refuses it ("literal carriage return found in
 *       data"); a line {@code \.} alone ends the data;</li>
 *   <li>fields are split on the delimiter (one ASCII byte, TAB by default); a backslash makes the
 *       next byte literal, the delimiter included;</li>
 *   <li>a field whose raw text is the NULL string ({@code \N} by default) is NULL;</li>
 *   <li>escapes: {@code \b \f \n \r \t \v}, {@code \}1 to 3 octal digits, {@code \x} and 1 or 2 hex
 *       digits; any other escaped byte stands for itself.</li>
 * </ul>
 * Works on bytes (UTF-8 is safe to split on ASCII delimiters); the server checks the encoding of
 * the result, as it does in a text COPY. Memory: one buffer that holds the longest line.
 */
final class TextFields {

    private static final int BUFFER_SIZE = 1 << 20;

    private final InputStream in;
    private final FieldSink sink;
    private final byte delimiter;
    private final byte[] nullString;
    private boolean skipHeader;

    private byte[] buf = new byte[BUFFER_SIZE];
    private byte[] scratch = new byte[256];
    private long line;
    /** Line endings: unknown until the first line, then CR LF or LF. */
    private Boolean crlf;

    private TextFields(InputStream in, FieldSink sink, byte delimiter, byte[] nullString, boolean header) {
        this.in = in;
        this.sink = sink;
        this.delimiter = delimiter;
        this.nullString = nullString;
        this.skipHeader = header;
    }

    /**
     * Reads all of {@code in}.
     *
     * @throws ToolException (data) for a line the server would refuse for its form, with its number
     */
    static void read(InputStream in, byte delimiter, byte[] nullString, boolean header, FieldSink sink)
            throws IOException {
        new TextFields(in, sink, delimiter, nullString, header).run();
    }

    private void run() throws IOException {
        int start = 0;
        int end = 0;
        int scan = 0;
        for (;;) {
            int lf = indexOf(buf, scan, end, (byte) '\n');
            if (lf >= 0) {
                if (!line(start, lf)) {
                    return;
                }
                start = lf + 1;
                scan = start;
                continue;
            }
            scan = end;
            if (end == buf.length) {
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                } else {
                    buf = Arrays.copyOf(buf, Math.min(Integer.MAX_VALUE - 8, buf.length * 2));
                }
                end -= start;
                scan -= start;
                start = 0;
            }
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                if (end > start) {
                    line(start, end);   // the last line may lack its newline
                }
                return;
            }
            end += n;
        }
    }

    private static int indexOf(byte[] b, int from, int to, byte value) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** Handles the line {@code buf[start, end)} (without its LF); false at the end-of-data marker. */
    private boolean line(int start, int end) {
        line++;
        if (crlf == null) {
            crlf = end > start && buf[end - 1] == '\r';
        }
        if (crlf) {
            if (end == start || buf[end - 1] != '\r') {
                throw bad("literal newline found in data (the first line ended with CR LF, this one with LF alone)");
            }
            end--;
        }
        for (int i = start; i < end; i++) {
            if (buf[i] == '\r') {
                throw bad("literal carriage return found in data; use \"\\r\" to represent carriage return");
            }
        }
        if (end - start == 2 && buf[start] == '\\' && buf[start + 1] == '.') {
            return false;
        }
        if (skipHeader) {
            skipHeader = false;
            return true;
        }
        sink.beginRow(line);
        int p = start;
        for (;;) {
            int fieldStart = p;
            boolean escaped = false;
            while (p < end && buf[p] != delimiter) {
                if (buf[p] == '\\') {
                    escaped = true;
                    if (++p == end) {
                        throw bad("the line ends with a backslash");
                    }
                }
                p++;
            }
            field(fieldStart, p, escaped);
            if (p == end) {
                break;
            }
            p++;   // the delimiter; a line ending with it has one more, empty, field
        }
        sink.endRow();
        return true;
    }

    private void field(int start, int end, boolean escaped) {
        int length = end - start;
        if (length == nullString.length && Arrays.equals(buf, start, end, nullString, 0, length)) {
            sink.nullField();
        } else if (!escaped) {
            sink.field(buf, start, length);
        } else {
            sink.field(scratch, 0, unescape(start, end));
        }
    }

    /** Decodes the escapes of {@code buf[start, end)} into {@link #scratch}; returns the length. */
    private int unescape(int start, int end) {
        if (scratch.length < end - start) {
            scratch = new byte[Math.max(end - start, scratch.length * 2)];
        }
        int n = 0;
        for (int p = start; p < end; p++) {
            byte c = buf[p];
            if (c != '\\') {
                scratch[n++] = c;
                continue;
            }
            c = buf[++p];
            if (c >= '0' && c <= '7') {
                int value = c - '0';
                for (int digits = 1; digits < 3 && p + 1 < end && buf[p + 1] >= '0' && buf[p + 1] <= '7'; digits++) {
                    value = value * 8 + (buf[++p] - '0');
                }
                c = (byte) value;
            } else if (c == 'x' && p + 1 < end && hex(buf[p + 1]) >= 0) {
                int value = hex(buf[++p]);
                if (p + 1 < end && hex(buf[p + 1]) >= 0) {
                    value = value * 16 + hex(buf[++p]);
                }
                c = (byte) value;
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

    private ToolException bad(String why) {
        return ToolException.data("line " + line + ": " + why, null);
    }
}

package io.pqbridge.cli;

import io.pqbridge.adapt.ByteStops;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits COPY input into the lines the server's own reader sees (PostgreSQL's
 * {@code CopyReadLineText} in copyfromparse.c), so that {@code --binary-wire} reads the same rows a
 * text or CSV COPY of the same bytes would:
 * <ul>
 *   <li>Line endings: the first line decides LF, CR, or CR LF for the whole input; another ending
 *       later is an error, with the server's text ("literal carriage return found in data",
 *       "unquoted newline found in data", ...).</li>
 *   <li>Text format: a backslash takes the next byte into the line whatever it is (an escaped
 *       newline belongs to the line); a backslash followed by a period is the end-of-data marker,
 *       which must be followed by the line ending in use and ends the data as the server's
 *       version has it ({@link EndMarker}).</li>
 *   <li>CSV: a line ending inside quotes belongs to the line; every quote toggles quoting, and the
 *       escape (inside quotes) protects the byte after it; {@code \.} is data, but before
 *       PostgreSQL 18 ends the data as the first bytes of a line followed by its line ending.</li>
 *   <li>The last line may lack its line ending.</li>
 * </ul>
 * Every line is checked to be UTF-8 before it is handed out, the header too, as the server checks
 * the input it parses; what follows an end-of-data marker is not read, as the server ignores it.
 *
 * <p>Not thread-safe. Memory: the read buffer and the longest line.
 */
final class CopyLineReader {

    private static final int BUFFER_SIZE = 1 << 16;
    static final String LITERAL_CR = "literal carriage return found in data (write \\r for a carriage return)";
    static final String UNQUOTED_CR =
            "unquoted carriage return found in data (use a quoted CSV field for a carriage return)";

    private enum Eol { UNKNOWN, NL, CR, CRNL }

    private final InputStream in;
    private final boolean csv;
    private final EndMarker marker;
    private final int quote;
    /** The escape byte, or -1 when it is the quote byte: quotes then simply toggle (as the server does). */
    private final int escape;

    /**
     * The bytes {@link #next()} must look at one by one: line endings, and the backslash in text
     * format, the quote and escape in CSV.
     */
    private final ByteStops special;
    /** Checks each line; a line that passes leaves it as new (no sequence pending), so one serves them all. */
    private final Utf8Check utf8 = new Utf8Check();

    private final byte[] buf = new byte[BUFFER_SIZE];
    private int pos;
    private int end;
    private boolean eof;

    private byte[] line = new byte[256];
    private int length;
    private Eol eol = Eol.UNKNOWN;
    private boolean ended;
    /** Physical lines read so far, and the one the current logical line started on. */
    private long physical;
    private long startLine;

    /**
     * A reader of text format ({@code csv} false) or of CSV with the given quote and escape bytes,
     * reading the end-of-data marker by {@code marker}'s rule.
     */
    CopyLineReader(InputStream in, boolean csv, byte quote, byte escape, EndMarker marker) {
        this.in = in;
        this.csv = csv;
        this.marker = marker;
        this.quote = quote & 0xff;
        this.escape = escape == quote ? -1 : escape & 0xff;
        // in CSV a backslash matters only as a line's first byte, which next() reads byte by byte
        special = csv ? new ByteStops('\n', '\r', quote, escape) : new ByteStops('\n', '\r', '\\');
    }

    /** Skips the header line if there is one, then calls {@code row} for every line, which reads it from this reader. */
    void forEachLine(boolean header, Runnable row) throws IOException {
        if (header && !next()) {
            return;
        }
        while (next()) {
            row.run();
        }
    }

    /** The current line's bytes, valid until the next call of {@link #next()}: {@code [0, length())}. */
    byte[] line() {
        return line;
    }

    int length() {
        return length;
    }

    /** The input line (1-based) the current logical line starts on. */
    long lineNumber() {
        return startLine;
    }

    /**
     * Reads the next line; false at the end of the data (the end of the input, or the end-of-data
     * marker with nothing before it on its line).
     *
     * @throws ToolException (data) where the server's reader fails, with its text and the line
     */
    boolean next() throws IOException {
        length = 0;
        if (ended) {
            return false;
        }
        startLine = physical + 1;
        boolean inQuote = false;
        boolean lastWasEscape = false;
        boolean first = true;
        for (;;) {
            if ((!csv || !first) && plainRun()) {
                first = false;
                lastWasEscape = false;
            }
            int c = read();
            if (c < 0) {
                ended = true;
                return checked(length > 0);
            }
            if (csv) {
                if (inQuote && c == escape) {
                    lastWasEscape = !lastWasEscape;
                }
                if (c == quote && !lastWasEscape) {
                    inQuote = !inQuote;
                }
                if (c != escape) {
                    lastWasEscape = false;
                }
            }
            if (c == '\r' && (!csv || !inQuote)) {
                if (eol == Eol.NL) {
                    throw bad(csv ? UNQUOTED_CR : LITERAL_CR);
                }
                if (eol == Eol.UNKNOWN || eol == Eol.CRNL) {
                    if (peek() == '\n') {
                        pos++;
                        eol = Eol.CRNL;
                    } else if (eol == Eol.CRNL) {
                        throw bad(csv ? UNQUOTED_CR : LITERAL_CR);
                    } else {
                        eol = Eol.CR;
                    }
                }
                physical++;
                return checked(true);
            }
            if (c == '\n' && (!csv || !inQuote)) {
                if (eol == Eol.CR || eol == Eol.CRNL) {
                    throw bad(csv ? "unquoted newline found in data (use a quoted CSV field for a newline)"
                            : "literal newline found in data (write \\n for a newline)");
                }
                eol = Eol.NL;
                physical++;
                return checked(true);
            }
            if (c == '\\' && (!csv || first && marker.inCsv)) {
                int c2 = peek();
                if (c2 < 0) {
                    append(c); // a backslash just before the end of the input is data
                    ended = true;
                    return checked(true);
                }
                if (c2 == '.' && endOfDataMarker()) {
                    ended = true; // the server ignores whatever follows
                    return checked(length > 0);
                }
                if (!csv) {
                    // the escaped byte belongs to the line, whatever it is; it counts as a line if it ends one
                    append(c);
                    c = read();
                }
            }
            if (c == '\n' || c == '\r' && peek() != '\n') {
                physical++; // a line ending inside a quoted CSV field, or escaped in text format
            }
            append(c);
            first = false;
        }
    }

    /**
     * At a backslash whose next byte is a period: whether they and the line ending after them end
     * the data (then they are consumed). In CSV a wrong follower makes them data: the bytes are
     * given back to be read again. In text format it is an error.
     */
    private boolean endOfDataMarker() throws IOException {
        pos++; // the period: peek saw it in the buffer
        int consumed = 1;
        if (eol == Eol.CRNL) {
            int c2 = read();
            consumed += c2 < 0 ? 0 : 1;
            if (c2 == '\n') {
                return notMarker(consumed, "end-of-copy marker does not match previous newline style");
            }
            if (c2 != '\r') {
                return notMarker(consumed, marker.malformed);
            }
        }
        int c2 = read();
        consumed += c2 < 0 ? 0 : 1;
        if (c2 != '\r' && c2 != '\n') {
            return notMarker(consumed, marker.malformed);
        }
        if ((eol == Eol.NL || eol == Eol.CRNL) && c2 != '\n' || eol == Eol.CR && c2 != '\r') {
            throw bad("end-of-copy marker does not match previous newline style");
        }
        if (marker.aloneInText && length > 0) {
            throw bad(marker.malformed);
        }
        return true;
    }

    /** Text format: the error. CSV: gives back the {@code consumed} bytes (at most 3, which {@link #fill} keeps). */
    private boolean notMarker(int consumed, String why) {
        if (!csv) {
            throw bad(why);
        }
        pos -= consumed;
        return false;
    }


    /**
     * Checks the line just read to be UTF-8 before it is handed out, as the server checks the
     * input it parses (and only that: bytes after the end-of-data marker are never looked at).
     */
    private boolean checked(boolean line) {
        if (line) {
            utf8.check(this.line, 0, length, startLine);
            utf8.finish(startLine);
        }
        return line;
    }

    /**
     * Moves the buffered bytes up to the next one that needs a decision ({@link #special}) into the
     * line in one copy; true when there were any. Such bytes only extend the line: the per-byte
     * rules of {@link #next()} would append them and change nothing else.
     */
    private boolean plainRun() {
        int p = special.indexIn(buf, pos, end);
        int n = p - pos;
        if (n == 0) {
            return false;
        }
        if (length + n > line.length) {
            line = Arrays.copyOf(line, Math.max(length + n, line.length * 2));
        }
        System.arraycopy(buf, pos, line, length, n);
        length += n;
        pos = p;
        return true;
    }

    private void append(int c) {
        if (length == line.length) {
            line = Arrays.copyOf(line, line.length * 2);
        }
        line[length++] = (byte) c;
    }

    /** The next byte, or -1 at the end of the input. */
    private int read() throws IOException {
        if (pos == end && !fill()) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    /**
     * The byte after the current one without consuming it, or -1 at the end. When the buffer is
     * exhausted the unread tail is kept: up to three bytes of look-ahead (a marker in CR LF input)
     * stay in the buffer ({@link #fill} keeps the last bytes before the position).
     */
    private int peek() throws IOException {
        if (pos == end && !fill()) {
            return -1;
        }
        return buf[pos] & 0xff;
    }

    /** Refills the buffer, keeping the last 4 bytes before pos for a marker that must be reread; false at the end. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int keep = Math.min(pos, 4);
        System.arraycopy(buf, pos - keep, buf, 0, keep);
        pos = keep;
        end = keep;
        int n;
        do {
            n = in.read(buf, end, buf.length - end);
        } while (n == 0);
        if (n < 0) {
            eof = true;
            return false;
        }
        end += n;
        return true;
    }

    private ToolException bad(String why) {
        return ToolException.data("line " + (physical + 1) + ": " + why, null);
    }
}

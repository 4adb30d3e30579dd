package io.pqbridge.pq.wire.trace;

import io.pqbridge.pq.wire.message.backend.BackendMessageDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One message being read field by field and written out as libpq's fe-trace.c writes each field
 * ({@code pqTraceOutputByte1}, {@code Int16}, {@code Int32}, {@code String}, {@code Nchar}). The
 * cursor counts from the message's type byte, as libpq's {@code logCursor} does, so
 * {@link #consumed()} compares with the length field directly.
 *
 * <p>Printable means C's {@code isprint} in the "C" locale (0x20 to 0x7e): libpq calls it
 * without setting a locale, so every byte of a multi-byte UTF-8 character is written as
 * {@code \xNN} in byte fields, while strings are written raw, byte for byte, with no quoting of
 * embedded quotes or control characters, as {@code fprintf("%s")} does.
 *
 * <p>A field that would run past the message's end (a malformed message, which libpq would read
 * past its buffer for) throws {@link TruncatedMessage}; what was written so far stays.
 */
final class TraceFields {

    /** A field ran past the end of the message. */
    static final class TruncatedMessage extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TruncatedMessage() {
            super(null, null, false, false);
        }
    }

    private final byte[] message;
    private final int start;
    private final int end;
    private final ByteArrayOutputStream line;
    private int cursor;

    /**
     * @param message holds the message at {@code start}: type byte, length, body
     * @param end where the bytes the caller has end (the message's declared end, or less)
     * @param cursor the first field's offset from {@code start} (5 after type and length)
     */
    TraceFields(byte[] message, int start, int end, int cursor, ByteArrayOutputStream line) {
        this.message = message;
        this.start = start;
        this.end = end;
        this.cursor = cursor;
        this.line = line;
    }

    /** Bytes read so far, the type byte included (libpq's {@code logCursor}). */
    int consumed() {
        return cursor;
    }

    /** The byte at the cursor, not consumed; a C string's terminator when at its end. */
    byte peek() {
        require(1);
        return message[start + cursor];
    }

    /** Moves past {@code count} bytes without writing them. */
    void skip(int count) {
        require(count);
        cursor += count;
    }

    /** Writes literal text (ASCII). */
    void text(String text) {
        line.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code pqTraceOutputByte1}: the byte as a character, or {@code \xNN} when not printable. */
    byte byte1() {
        byte b = peek();
        cursor++;
        if (printable(b)) {
            line.write(' ');
            line.write(b);
        } else {
            text(String.format(" \\x%02x", b & 0xff));
        }
        return b;
    }

    /** {@code pqTraceOutputInt16}: unsigned, as libpq converts it ({@code -1} shows as 65535). */
    int int16() {
        require(2);
        int value = (message[start + cursor] & 0xff) << 8 | message[start + cursor + 1] & 0xff;
        cursor += 2;
        text(" " + value);
        return value;
    }

    /** {@code pqTraceOutputInt32}: signed, or {@code NNNN} when {@code suppress}. */
    int int32(boolean suppress) {
        int value = int32At(cursor);
        cursor += 4;
        text(suppress ? " NNNN" : " " + value);
        return value;
    }

    /** The int32 at {@code offset} from the message's start, not written. */
    int int32At(int offset) {
        if (end - start - offset < 4) {
            throw new TruncatedMessage();
        }
        return BackendMessageDecoder.int32(message, start + offset);
    }

    /** {@code pqTraceOutputString}: a C string in double quotes, raw, or {@code "SSSS"} when {@code suppress}. */
    void string(boolean suppress) {
        int from = start + cursor;
        int nul = from;
        while (nul < end && message[nul] != 0) {
            nul++;
        }
        if (nul == end) {
            throw new TruncatedMessage();
        }
        if (suppress) {
            text(" \"SSSS\"");
        } else {
            text(" \"");
            line.write(message, from, nul - from);
            line.write('"');
        }
        cursor += nul - from + 1;
    }

    /**
     * {@code pqTraceOutputNchar}: {@code length} bytes in single quotes, printable ones as they
     * are and others as {@code \xNN}, or {@code 'BBBB'} when {@code suppress}.
     */
    void nchar(int length, boolean suppress) {
        require(length);
        int from = start + cursor;
        cursor += length;
        if (suppress) {
            text(" 'BBBB'");
            return;
        }
        text(" '");
        int next = from;
        for (int i = from; i < from + length; i++) {
            if (!printable(message[i])) {
                line.write(message, next, i - next);
                text(String.format("\\x%02x", message[i] & 0xff));
                next = i + 1;
            }
        }
        line.write(message, next, from + length - next);
        line.write('\'');
    }

    private void require(int count) {
        if (count < 0 || end - start - cursor < count) {
            throw new TruncatedMessage();
        }
    }

    private static boolean printable(byte b) {
        return b >= 0x20 && b < 0x7f;
    }
}

package io.pqbridge.cli;

import io.pqbridge.adapt.ByteStops;

/**
 * Checks a byte stream, chunk after chunk, the way the server checks COPY input in UTF-8
 * ({@code pg_utf8_verifystr}): well-formed sequences only (no overlong forms, no surrogates,
 * nothing past U+10FFFF) and no NUL byte. A sequence may straddle two chunks.
 */
final class Utf8Check {

    /** Continuation bytes still expected, and the bounds for the first of them (overlong and surrogate rules). */
    private int pending;
    private int low = 0x80;
    private int high = 0xBF;

    /**
     * Checks {@code b[offset, offset + length)}.
     *
     * @throws ToolException (data) at the first invalid byte, naming it and {@code line}
     */
    void check(byte[] b, int offset, int length, long line) {
        int i = offset;
        int end = offset + length;
        if (pending == 0) {
            i = ByteStops.asciiEnd(b, i, end);   // ASCII without NUL, the common case
        }
        for (; i < end; i++) {
            int c = b[i] & 0xff;
            if (pending > 0) {
                if (c < low || c > high) {
                    throw invalid(c, line);
                }
                low = 0x80;
                high = 0xBF;
                pending--;
                continue;
            }
            if (c == 0) {
                throw invalid(c, line);
            }
            if (c < 0x80) {
                continue;
            }
            if (c >= 0xC2 && c <= 0xDF) {
                pending = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                pending = 2;
                low = c == 0xE0 ? 0xA0 : 0x80;
                high = c == 0xED ? 0x9F : 0xBF;
            } else if (c >= 0xF0 && c <= 0xF4) {
                pending = 3;
                low = c == 0xF0 ? 0x90 : 0x80;
                high = c == 0xF4 ? 0x8F : 0xBF;
            } else {
                throw invalid(c, line);
            }
        }
    }

    /** At the end of the input: a sequence cut short is invalid. */
    void finish(long line) {
        if (pending > 0) {
            throw ToolException.data("invalid byte sequence for encoding \"UTF8\" on line " + line
                    + ": the input ends inside a character", null);
        }
    }

    private static ToolException invalid(int c, long line) {
        return ToolException.data(String.format("invalid byte sequence for encoding \"UTF8\" on line %d: 0x%02x",
                line, c), null);
    }
}

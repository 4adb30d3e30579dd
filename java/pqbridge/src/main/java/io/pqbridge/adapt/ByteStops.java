package io.pqbridge.adapt;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A set of up to five byte values that a scan over input stops at (line endings, quotes,
 * backslashes, delimiters), and the scan: {@link #indexIn} finds the first of them in a range.
 *
 * <p>Why: the command-line tool's readers look at every input byte twice (once to find the
 * line, once to find the fields), and a byte-by-byte loop was a quarter of their CPU; COPY's
 * text writer scans every field for bytes to escape ({@link CopyRowWriter}). This scan reads eight bytes at a time as one {@code long} and tests them against each value with
 * the word-at-a-time zero-byte test: for {@code x = word ^ (value * 0x0101...)}, the expression
 * {@code (x - 0x0101...) & ~x & 0x8080...} flags every zero byte of {@code x}, and may also flag a
 * byte above a flagged one (a borrow), never below: so the lowest flag over all values is exactly
 * the first byte that equals one of them.
 *
 * <p>The values are kept once each, and the scan tests a word against two of them when the set
 * holds one or two, three when it holds three, else all five (a repeat among them when it holds
 * four). The readers scan every byte of a load with sets of two (a field's delimiter and quote)
 * and three (line endings and a quote or backslash), where testing five values cost two thirds
 * more work per word. The three loops are written out, so that each compiles to the tests its
 * count needs without relying on the compiler to move a test on the count out of the loop.
 *
 * <p>Immutable; thread-safe.
 */
public final class ByteStops {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /** How many different values the set holds (1 to 5); {@code p} and {@code b} beyond it repeat the last one. */
    private final int distinct;
    private final long p1;
    private final long p2;
    private final long p3;
    private final long p4;
    private final long p5;
    private final byte b1;
    private final byte b2;
    private final byte b3;
    private final byte b4;
    private final byte b5;

    /**
     * Stops at any of {@code values} (one to five; repeats are allowed).
     *
     * @param values the byte values, each taken modulo 256
     * @throws IllegalArgumentException for none or more than five
     */
    public ByteStops(int... values) {
        if (values.length < 1 || values.length > 5) {
            throw new IllegalArgumentException("one to five stop bytes, not " + values.length);
        }
        byte[] v = new byte[5];
        int n = 0;
        for (int value : values) {
            byte b = (byte) value;
            boolean seen = false;
            for (int i = 0; i < n; i++) {
                seen |= v[i] == b;
            }
            if (!seen) {
                v[n++] = b;
            }
        }
        distinct = n;
        for (int i = n; i < 5; i++) {
            v[i] = v[n - 1];
        }
        b1 = v[0];
        b2 = v[1];
        b3 = v[2];
        b4 = v[3];
        b5 = v[4];
        p1 = (b1 & 0xffL) * ONES;
        p2 = (b2 & 0xffL) * ONES;
        p3 = (b3 & 0xffL) * ONES;
        p4 = (b4 & 0xffL) * ONES;
        p5 = (b5 & 0xffL) * ONES;
    }

    /**
     * {@return the index of the first byte of {@code b[from, to)} that is a stop, or {@code to}
     * when none is}
     *
     * @param b the bytes
     * @param from the first index looked at
     * @param to the end of the range (exclusive)
     */
    public int indexIn(byte[] b, int from, int to) {
        int i = from;
        int lastWord = to - 8;
        if (distinct <= 2) {
            for (; i <= lastWord; i += 8) {
                long w = word(b, i);
                long flags = bytesBelow(w ^ p1, 1) | bytesBelow(w ^ p2, 1);
                if (flags != 0) {
                    return firstFlagged(i, flags);
                }
            }
        } else if (distinct == 3) {
            for (; i <= lastWord; i += 8) {
                long w = word(b, i);
                long flags = bytesBelow(w ^ p1, 1) | bytesBelow(w ^ p2, 1) | bytesBelow(w ^ p3, 1);
                if (flags != 0) {
                    return firstFlagged(i, flags);
                }
            }
        } else {
            for (; i <= lastWord; i += 8) {
                long w = word(b, i);
                long flags = bytesBelow(w ^ p1, 1) | bytesBelow(w ^ p2, 1) | bytesBelow(w ^ p3, 1)
                        | bytesBelow(w ^ p4, 1) | bytesBelow(w ^ p5, 1);
                if (flags != 0) {
                    return firstFlagged(i, flags);
                }
            }
        }
        for (; i < to; i++) {
            byte c = b[i];
            if (c == b1 || c == b2 || c == b3 || c == b4 || c == b5) {
                return i;
            }
        }
        return to;
    }

    /**
     * {@return the index of the first byte of {@code b[from, to)} that is NUL or not ASCII (0x80
     * and up), or {@code to} when none is}: where a UTF-8 check of text that is mostly ASCII must
     * start looking byte by byte. Eight bytes at a time, as {@link #indexIn}.
     *
     * @param b the bytes
     * @param from the first index looked at
     * @param to the end of the range (exclusive)
     */
    public static int asciiEnd(byte[] b, int from, int to) {
        int i = from;
        for (; i <= to - 8; i += 8) {
            long w = word(b, i);
            if ((bytesBelow(w, 1) | w & HIGHS) != 0) {
                break;
            }
        }
        while (i < to && b[i] > 0) {
            i++;
        }
        return i;
    }

    /** The index of the lowest flagged byte of the word read at {@code i}. */
    private static int firstFlagged(int i, long flags) {
        return i + (Long.numberOfTrailingZeros(flags) >>> 3);
    }

    /** The eight bytes at {@code b[i]} as one little-endian word (the first byte lowest). */
    static long word(byte[] b, int i) {
        return (long) LONGS.get(b, i);
    }

    /** Stores {@code w} as the eight bytes at {@code b[i]}, little-endian: {@link #word}'s inverse. */
    static void putWord(byte[] b, int i, long w) {
        LONGS.set(b, i, w);
    }

    /**
     * Flags (0x80) the bytes of {@code x} below {@code limit} (at most 0x80), exactly for the
     * lowest one; a byte above a flagged one may be flagged too (a borrow). {@code limit} 1 flags
     * the zero bytes.
     */
    static long bytesBelow(long x, int limit) {
        return (x - ONES * limit) & ~x & HIGHS;
    }
}

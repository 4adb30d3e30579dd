package io.pqbridge.adapt;

import io.pqbridge.errors.DataException;
import java.util.Arrays;

/**
 * A growable byte array that values are encoded into: COPY rows, parameter values, literals.
 *
 * <p>Owned by one encoder on one thread; not thread-safe. {@link #array()} exposes the live
 * storage (valid up to {@link #size()}) so a caller can hand it to the connection without a copy;
 * the array is replaced when the sink grows, so fetch it again after any write. Nothing here
 * allocates except growth, which doubles, so steady-state encoding is garbage-free.
 */
final class ByteSink {

    /** 10^0 to 10^18. */
    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        long p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++, p *= 10) {
            POWERS_OF_TEN[i] = p;
        }
    }

    /** "00" to "99", two bytes each. */
    private static final byte[] DIGIT_PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
            DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    /** 10^8: the digits of a number are written in groups of eight. */
    private static final long EIGHT_DIGITS = 100_000_000;

    private byte[] buf;
    private int size;

    ByteSink(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    byte[] array() {
        return buf;
    }

    int size() {
        return size;
    }

    /** Drops everything from {@code newSize} on (used to undo a partly encoded row). */
    void truncate(int newSize) {
        size = newSize;
    }

    void clear() {
        size = 0;
    }

    /** Makes room for {@code extra} more bytes. */
    void ensure(int extra) {
        long needed = (long) size + extra;
        if (needed > buf.length) {
            if (needed > Integer.MAX_VALUE - 16) {
                throw new DataException("value too large to encode: more than 2 GB");
            }
            buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16L, Math.max(needed, buf.length * 2L)));
        }
    }

    byte[] toByteArray(int from) {
        return Arrays.copyOfRange(buf, from, size);
    }

    void put(int b) {
        if (size == buf.length) {
            ensure(1);
        }
        buf[size++] = (byte) b;
    }

    void put(byte[] src) {
        put(src, 0, src.length);
    }

    void put(byte[] src, int offset, int length) {
        ensure(length);
        System.arraycopy(src, offset, buf, size, length);
        size += length;
    }

    void putShort(int v) {
        ensure(2);
        buf[size] = (byte) (v >>> 8);
        buf[size + 1] = (byte) v;
        size += 2;
    }

    void putInt(int v) {
        ensure(4);
        setInt(size, v);
        size += 4;
    }

    /** Overwrites 4 bytes at {@code at} (a length slot reserved earlier). */
    void setInt(int at, int v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    void putLong(long v) {
        ensure(8);
        for (int i = 7; i >= 0; i--) {
            buf[size + i] = (byte) v;
            v >>>= 8;
        }
        size += 8;
    }

    /** Appends a string known to be ASCII (type names, fixed words). */
    void putAscii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[size + i] = (byte) s.charAt(i);
        }
        size += n;
    }

    /**
     * Appends {@code s} encoded in UTF-8 (an unpaired surrogate becomes {@code ?}, as the JDK's
     * encoder does). NUL characters are refused when {@code refuseNul}: PostgreSQL text cannot hold
     * them.
     */
    void putUtf8(CharSequence s, boolean refuseNul) {
        int n = s.length();
        ensure(n);
        int i = 0;
        // ASCII fast path: one byte per char, capacity already ensured
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || c == 0) {
                break;
            }
            buf[size++] = (byte) c;
        }
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c == 0 && refuseNul) {
                    throw new DataException("PostgreSQL text fields cannot contain NUL (0x00) bytes");
                }
                put(c);
            } else if (c < 0x800) {
                ensure(2);
                buf[size++] = (byte) (0xC0 | (c >> 6));
                buf[size++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                ensure(4);
                buf[size++] = (byte) (0xF0 | (cp >> 18));
                buf[size++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buf[size++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buf[size++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                put('?');
            } else {
                ensure(3);
                buf[size++] = (byte) (0xE0 | (c >> 12));
                buf[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buf[size++] = (byte) (0x80 | (c & 0x3F));
            }
        }
    }

    /** Appends the decimal digits of {@code v}, with a leading {@code -} when negative. */
    void putDecimal(long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                putAscii("-9223372036854775808");
                return;
            }
            put('-');
            v = -v;
        }
        putPadded(v, decimalLength(v));
    }

    /** The number of decimal digits of {@code v} (non-negative; 1 for 0). */
    static int decimalLength(long v) {
        int guess = (64 - Long.numberOfLeadingZeros(v)) * 1233 >>> 12;   // 1233 / 4096 ~ log10(2)
        return guess < POWERS_OF_TEN.length && v >= POWERS_OF_TEN[guess] ? guess + 1 : Math.max(1, guess);
    }

    /**
     * Appends the {@code length} digits of {@code v} (non-negative) with a {@code .} after the
     * first {@code whole} of them (none when {@code whole >= length}): the digits are written one
     * byte right of where they start, then the whole part moves back over the gap, so no division
     * by a power of ten is needed.
     */
    void putWithPoint(long v, int length, int whole) {
        if (whole >= length) {
            putPadded(v, length);
            return;
        }
        int at = size;
        size = at + 1;
        putPadded(v, length);
        if (whole < 8) {
            // in one word: the whole part one byte left, the point, then the fraction's first
            // digits where they are (the word's bytes from the point on, one byte right)
            long digits = ByteStops.word(buf, at + 1);
            long wholeMask = (1L << 8 * whole) - 1;
            ByteStops.putWord(buf, at, digits & wholeMask | (long) '.' << 8 * whole | digits << 8 & ~(wholeMask << 8 | 0xFF));
            return;
        }
        byte[] b = buf;
        for (int i = at; i < at + whole; i++) {
            b[i] = b[i + 1];
        }
        b[at + whole] = '.';
    }

    /**
     * Appends {@code v} (non-negative) as exactly {@code width} digits, zero-padded (the high
     * digits are dropped when it has more). Eight digits per step ({@link #eightDigits}), stored
     * with one eight-byte write each, left to right: the leading, shorter group first, so a store
     * that reaches past its digits only touches room that the next group, or nobody, overwrites.
     * This writes the fields of every date, time and number text.
     */
    void putPadded(long v, int width) {
        ensure(width + 8);
        int at = size;
        size += width;
        for (; width > 24; width--) {
            buf[at++] = '0';   // a long has at most 19 digits
        }
        if (width <= 8) {
            putLeading(at, (int) (v < EIGHT_DIGITS ? v : v % EIGHT_DIGITS), width);
            return;
        }
        long high = v / EIGHT_DIGITS;
        int last = (int) (v - high * EIGHT_DIGITS);
        if (width <= 16) {
            putLeading(at, (int) (high < EIGHT_DIGITS ? high : high % EIGHT_DIGITS), width - 8);
        } else {
            long top = high / EIGHT_DIGITS;   // at most 922
            putLeading(at, (int) top, width - 16);
            ByteStops.putWord(buf, at + width - 16, eightDigits((int) (high - top * EIGHT_DIGITS)));
        }
        ByteStops.putWord(buf, at + width - 8, eightDigits(last));
    }

    /**
     * Writes the last {@code count} (1 to 8) of {@code group}'s eight digits at {@code at}; the
     * store covers eight bytes, so the caller has made room for eight.
     */
    private void putLeading(int at, int group, int count) {
        ByteStops.putWord(buf, at, eightDigits(group) >>> (64 - 8 * count));
    }

    /**
     * The eight decimal digits of {@code v} (0 to 99,999,999) as ASCII, the first digit in the
     * lowest byte, so a little-endian store writes them in reading order. The value is split in
     * one register into two groups of four digits (32-bit lanes), each into two of two (16-bit
     * lanes), each into two of one (bytes): at every step one multiplication by a reciprocal
     * divides all lanes at once (exact for the lanes' ranges: {@code x * 10486 >> 20} is
     * {@code x / 100} below 43,699, {@code x * 103 >> 10} is {@code x / 10} below 179), and no
     * lane's product reaches into the next one.
     */
    static long eightDigits(int v) {
        int high = v / 10_000;
        long merged = high | (long) (v - high * 10_000) << 32;
        long hundreds = (merged * 10_486 >>> 20) & 0x0000_007F_0000_007FL;
        merged = hundreds | (merged - 100 * hundreds) << 16;
        long tens = (merged * 103 >>> 10) & 0x000F_000F_000F_000FL;
        merged = tens | (merged - 10 * tens) << 8;
        return merged + 0x3030_3030_3030_3030L;
    }

    /** Appends {@code v} (0 to 99) as two digits: a field of a date or time. */
    void putPair(int v) {
        ensure(2);
        pair(buf, size, v);
        size += 2;
    }

    /**
     * Appends {@code YYYY-MM-DD HH:MM:SS} (a year of 0 to 9999, the other fields 0 to 99): the
     * fixed-width part of every timestamp's text, with one capacity check for its 19 bytes.
     */
    void putDateTime(int year, int month, int day, int hour, int minute, int second) {
        ensure(19);
        byte[] b = buf;
        int p = size;
        int century = year / 100;
        pair(b, p, century);
        pair(b, p + 2, year - century * 100);
        b[p + 4] = '-';
        pair(b, p + 5, month);
        b[p + 7] = '-';
        pair(b, p + 8, day);
        b[p + 10] = ' ';
        pair(b, p + 11, hour);
        b[p + 13] = ':';
        pair(b, p + 14, minute);
        b[p + 16] = ':';
        pair(b, p + 17, second);
        size = p + 19;
    }

    private static void pair(byte[] b, int at, int v) {
        b[at] = DIGIT_PAIRS[2 * v];
        b[at + 1] = DIGIT_PAIRS[2 * v + 1];
    }

    /** Appends {@code separator} then {@code v} (0 to 99) as two digits: a field of a date or time. */
    void putSeparatedPair(char separator, int v) {
        ensure(3);
        buf[size] = (byte) separator;
        pair(buf, size + 1, v);
        size += 3;
    }

    /** The byte at {@code index} (below {@link #size()}). */
    byte get(int index) {
        return buf[index];
    }

    /**
     * Inserts {@code extra} bytes of room at {@code at}, moving what follows to the right; the
     * gap's content is undefined until the caller fills it.
     */
    void openGap(int at, int extra) {
        ensure(extra);
        System.arraycopy(buf, at, buf, at + extra, size - at);
        size += extra;
    }
}

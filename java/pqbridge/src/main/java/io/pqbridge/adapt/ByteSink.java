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
     * first {@code whole} of them (none when {@code whole >= length}): the digits are written in
     * place, then the fraction's moved one byte right, so no division by a power of ten is needed.
     */
    void putWithPoint(long v, int length, int whole) {
        if (whole >= length) {
            putPadded(v, length);
            return;
        }
        ensure(length + 1);
        putPadded(v, length);
        int point = size - length + whole;
        System.arraycopy(buf, point, buf, point + 1, length - whole);
        buf[point] = '.';
        size++;
    }

    /**
     * Appends {@code v} (non-negative) as exactly {@code width} digits, zero-padded (the high
     * digits are dropped when it has more). Two digits per step, from a table: this writes the
     * fields of every date, time and number text.
     */
    void putPadded(long v, int width) {
        ensure(width);
        int start = size;
        int p = start + width;
        size = p;
        while (v > Integer.MAX_VALUE && p - start >= 8) {
            // one 64-bit division per eight digits, which then go in 32-bit steps
            long q = v / 100_000_000;
            int low = (int) (v - q * 100_000_000);
            for (int j = 0; j < 4; j++) {
                int lowQ = low / 100;
                int pair = (low - lowQ * 100) << 1;
                buf[--p] = DIGIT_PAIRS[pair + 1];
                buf[--p] = DIGIT_PAIRS[pair];
                low = lowQ;
            }
            v = q;
        }
        while (v > Integer.MAX_VALUE && p - start >= 2) {
            long q = v / 100;
            int pair = (int) (v - q * 100) << 1;
            buf[--p] = DIGIT_PAIRS[pair + 1];
            buf[--p] = DIGIT_PAIRS[pair];
            v = q;
        }
        if (v > Integer.MAX_VALUE) {
            v %= 10;   // at most one digit is left to write
        }
        int i = (int) v;
        while (p - start >= 2) {
            int q = i / 100;
            int pair = (i - q * 100) << 1;
            buf[--p] = DIGIT_PAIRS[pair + 1];
            buf[--p] = DIGIT_PAIRS[pair];
            i = q;
        }
        if (p > start) {
            buf[start] = (byte) ('0' + i % 10);
        }
    }

    /** Appends {@code separator} then {@code v} (0 to 99) as two digits: a field of a date or time. */
    void putSeparatedPair(char separator, int v) {
        ensure(3);
        buf[size] = (byte) separator;
        buf[size + 1] = DIGIT_PAIRS[2 * v];
        buf[size + 2] = DIGIT_PAIRS[2 * v + 1];
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

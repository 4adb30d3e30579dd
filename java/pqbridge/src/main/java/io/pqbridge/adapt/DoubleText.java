package io.pqbridge.adapt;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Decimal text to the nearest {@code double} (round half to even), as {@link Double#parseDouble}
 * and the server's {@code strtod} both give it, but several times faster than the JDK 17 parser
 * for the 16- and 17-digit numbers that floats are printed with: this is the hot spot of a
 * binary-wire load of a float8 column.
 *
 * <h2>Algorithm</h2>
 * The decimal is read into a 64-bit significand {@code w} (at most 19 digits) and a power of ten
 * {@code q}. Then, in order: Clinger's fast path when {@code w} and {@code 10^|q|} are both exact
 * doubles (one IEEE operation rounds correctly); otherwise the Eisel–Lemire algorithm (Lemire,
 * "Number Parsing at a Gigabyte per Second", 2021): {@code w} times a 128-bit truncation of
 * {@code 5^q} gives the significand's top bits, enough to round correctly except in cases the
 * algorithm itself detects. Those cases, subnormal results and inputs of more than 19
 * significant digits go to {@link Double#parseDouble}, so every answer is the JDK's.
 *
 * <p>Stateless; the table of powers of five is built once (with BigInteger, about a millisecond).
 */
final class DoubleText {

    private static final int MIN_Q = -342;
    private static final int MAX_Q = 308;
    /** {@code 5^q} for {@code q} in [{@link #MIN_Q}, {@link #MAX_Q}], 128 bits (high, low) with the top bit set. */
    private static final long[] POW5 = powersOfFive();
    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
        1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    private DoubleText() {
    }

    /**
     * Parses {@code [+-]digits[.digits][(e|E)[+-]digits]} (at least one digit before the exponent;
     * no blanks, no words) into the nearest double; an overflow gives an infinity, an underflow
     * a zero of the sign.
     *
     * @throws NumberFormatException when the text is not such a number
     */
    static double parse(byte[] b, int offset, int length) {
        int p = offset;
        int end = offset + length;
        boolean negative = false;
        if (p < end && (b[p] == '-' || b[p] == '+')) {
            negative = b[p] == '-';
            p++;
        }
        long w = 0;   // unsigned: 19 digits may exceed Long.MAX_VALUE
        int digits = 0;
        int q = 0;
        boolean any = false;
        boolean truncated = false;
        boolean fraction = false;   // past the decimal point: kept digits lower q, dropped ones do not raise it
        for (; p < end; p++) {
            if (b[p] == '.' && !fraction) {
                fraction = true;
                continue;
            }
            if (b[p] < '0' || b[p] > '9') {
                break;
            }
            any = true;
            int d = b[p] - '0';
            if (digits < 19) {
                if (w != 0 || d != 0) {
                    w = w * 10 + d;
                    digits++;
                }
                if (fraction) {
                    q--;
                }
            } else {
                truncated = true;
                if (!fraction) {
                    q++;
                }
            }
        }
        if (!any) {
            throw notANumber(b, offset, length);
        }
        if (p < end && (b[p] == 'e' || b[p] == 'E')) {
            p++;
            boolean negativeExponent = false;
            if (p < end && (b[p] == '-' || b[p] == '+')) {
                negativeExponent = b[p] == '-';
                p++;
            }
            if (p == end) {
                throw notANumber(b, offset, length);
            }
            int e = 0;
            for (; p < end && b[p] >= '0' && b[p] <= '9'; p++) {
                if (e < 100_000) {
                    e = e * 10 + (b[p] - '0');
                }
            }
            q += negativeExponent ? -e : e;
        }
        if (p != end) {
            throw notANumber(b, offset, length);
        }
        if (truncated) {
            return jdk(b, offset, length);
        }
        if (w == 0) {
            return negative ? -0.0 : 0.0;
        }
        if (q >= -22 && q <= 22 && Long.compareUnsigned(w, 1L << 53) <= 0) {
            double d = (double) w;
            d = q < 0 ? d / POW10[-q] : d * POW10[q];
            return negative ? -d : d;
        }
        if (q < MIN_Q) {
            return negative ? -0.0 : 0.0;
        }
        if (q > MAX_Q) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        long bits = eiselLemire(w, q);
        if (bits < 0) {
            return jdk(b, offset, length);
        }
        return Double.longBitsToDouble(negative ? bits | Long.MIN_VALUE : bits);
    }

    /** The bits of the positive double nearest {@code w * 10^q}, or -1 when this algorithm cannot tell. */
    private static long eiselLemire(long w, int q) {
        int lz = Long.numberOfLeadingZeros(w);
        w <<= lz;
        int index = 2 * (q - MIN_Q);
        long hi = unsignedMultiplyHigh(w, POW5[index]);
        long lo = w * POW5[index];
        if ((hi & 0x1FF) == 0x1FF) {
            // the truncated power may be too small by enough to change the top bits: add the next 64
            long secondHi = unsignedMultiplyHigh(w, POW5[index + 1]);
            long secondLo = w * POW5[index + 1];
            long sum = lo + secondHi;
            if (Long.compareUnsigned(sum, lo) < 0) {
                hi++;
            }
            lo = sum;
            if ((hi & 0x1FF) == 0x1FF && lo == -1L && Long.compareUnsigned(secondLo + w, secondLo) < 0) {
                return -1;
            }
        }
        int upperBit = (int) (hi >>> 63);
        int shift = upperBit + 9;
        long mantissa = hi >>> shift;
        int power2 = ((217706 * q) >> 16) + 63 + upperBit - lz + 1023;
        if (power2 <= 0) {
            return -1;   // subnormal: rare, left to the JDK
        }
        // exactly halfway (only possible for these q): round to even instead of up
        if (Long.compareUnsigned(lo, 1) <= 0 && q >= -4 && q <= 23 && (mantissa & 3) == 1
                && (mantissa << shift) == hi) {
            mantissa &= ~1L;
        }
        mantissa += mantissa & 1;
        mantissa >>>= 1;
        if (mantissa >= 2L << 52) {
            mantissa = 1L << 52;
            power2++;
        }
        mantissa &= ~(1L << 52);
        if (power2 >= 0x7FF) {
            return 0x7FFL << 52;   // infinity
        }
        return mantissa | (long) power2 << 52;
    }

    /** The high 64 bits of the unsigned 128-bit product (Math.unsignedMultiplyHigh is JDK 18+). */
    private static long unsignedMultiplyHigh(long x, long y) {
        return Math.multiplyHigh(x, y) + ((x >> 63) & y) + ((y >> 63) & x);
    }

    private static double jdk(byte[] b, int offset, int length) {
        return Double.parseDouble(new String(b, offset, length, StandardCharsets.ISO_8859_1));
    }

    private static NumberFormatException notANumber(byte[] b, int offset, int length) {
        return new NumberFormatException("not a decimal number: " + new String(b, offset, length,
                StandardCharsets.UTF_8));
    }

    /**
     * The 128-bit truncations of {@code 5^q} the algorithm needs, as the reference implementation
     * (fast_float) tabulates them: {@code 5^q} normalised to 128 bits for {@code q >= 0}; for
     * {@code q < 0}, {@code 2^b / 5^-q + 1} normalised to 128 bits, with {@code b} large enough
     * for the quotient to carry 128 significant bits.
     */
    private static long[] powersOfFive() {
        long[] table = new long[2 * (MAX_Q - MIN_Q + 1)];
        BigInteger five = BigInteger.valueOf(5);
        for (int q = MIN_Q; q <= MAX_Q; q++) {
            BigInteger c;
            if (q >= 0) {
                BigInteger p = five.pow(q);
                int bits = p.bitLength();
                c = bits <= 128 ? p.shiftLeft(128 - bits) : p.shiftRight(bits - 128);
            } else {
                BigInteger p = five.pow(-q);
                int z = p.bitLength();
                int b = q >= -27 ? z + 127 : 2 * z + 128;
                c = BigInteger.ONE.shiftLeft(b).divide(p).add(BigInteger.ONE);
                c = c.shiftRight(Math.max(0, c.bitLength() - 128));
            }
            table[2 * (q - MIN_Q)] = c.shiftRight(64).longValue();
            table[2 * (q - MIN_Q) + 1] = c.longValue();
        }
        return table;
    }
}

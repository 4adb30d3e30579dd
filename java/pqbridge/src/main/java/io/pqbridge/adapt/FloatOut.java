package io.pqbridge.adapt;

import java.math.BigInteger;

/**
 * Writes a {@code double} or {@code float} exactly as the server's {@code float8out} and
 * {@code float4out} print it at {@code extra_float_digits = 1} (PostgreSQL 12+'s default): the
 * shortest decimal strictly inside the value's rounding interval (of those, the nearest, ties to an
 * even last digit), laid out as {@code src/common/d2s.c} and {@code f2s.c} lay it out. The server
 * then reads back exactly the value the caller had, and a text COPY stores what a binary one would.
 * "Strictly": the server's Ryu is built without {@code STRICTLY_SHORTEST}, so a decimal exactly
 * halfway to a neighbour is never chosen, even where round-half-even would read it back (float4
 * {@code 39576992} prints as {@code 3.9576992e+07}, not {@code 3.957699e+07}).
 *
 * <h2>Layout</h2>
 * With {@code E} the decimal exponent of the first significant digit: plain notation when
 * {@code -4 <= E < 15} (float: {@code < 6}), without a trailing {@code .0} ({@code 1}, {@code 0.5},
 * {@code 0.0001}, {@code 123456789012345}); otherwise {@code d.ddde+XX} / {@code e-XX} with at
 * least two exponent digits ({@code 1e+15}, {@code 5e-324}, {@code 1.5e+300}). Special values:
 * {@code NaN}, {@code Infinity}, {@code -Infinity}, {@code 0}, {@code -0}.
 *
 * <h2>Digits</h2>
 * Integers below {@code 2^53} ({@code 2^24}) are their own shortest form. Everything else uses
 * Schubfach (R. Giulietti, "The Schubfach way to render doubles", 2020): with {@code k} chosen so
 * that the value's rounding interval is less than ten units of {@code 10^k} wide, the interval's
 * bounds and the value are scaled by {@code 10^-k} (a 126-bit, for float 63-bit, upper
 * approximation of it, rounded to odd, which keeps the comparisons with the bounds exact); then
 * at most one multiple of ten lies inside (the shorter result, when there is one), else the nearer of the
 * two integers around the value that lies inside. Unlike the JDK's {@code Double.toString}, a
 * result of one digit is kept ({@code 5e-324}, not {@code 4.9E-324}), as the server prints it.
 *
 * <p>Stateless; the table of powers of ten is built once (BigInteger, about a millisecond).
 * Nothing is allocated per value.
 */
final class FloatOut {

    private static final int DOUBLE_Q_MIN = -1074;
    private static final long DOUBLE_C_MIN = 1L << 52;
    private static final int FLOAT_Q_MIN = -149;
    private static final int FLOAT_C_MIN = 1 << 23;

    /** The range of {@code k} the doubles need (floats need a sub-range of it). */
    private static final int K_MIN = flog10pow2(DOUBLE_Q_MIN);
    private static final int K_MAX = flog10pow2(971);
    /**
     * For each {@code k} in [{@link #K_MIN}, {@link #K_MAX}], the 126-bit
     * {@code g = floor(10^-k * 2^(125 - floor(log2(10^-k)))) + 1} as two 63-bit halves (high, low).
     */
    private static final long[] G = powersOfTen();

    private FloatOut() {
    }

    /** Appends {@code v} as {@code float8out} prints it. */
    static void putDouble(ByteSink out, double v) {
        long bits = Double.doubleToRawLongBits(v);
        int biasedExponent = (int) (bits >>> 52) & 0x7FF;
        long fraction = bits & (DOUBLE_C_MIN - 1);
        if (special(out, biasedExponent == 0x7FF, fraction != 0, bits < 0, biasedExponent == 0 && fraction == 0)) {
            return;
        }
        if (bits < 0) {
            out.put('-');
        }
        if (biasedExponent == 0) {
            shortestDouble(out, DOUBLE_Q_MIN, fraction);
            return;
        }
        long c = DOUBLE_C_MIN | fraction;
        int q = biasedExponent - 1075;
        if (q <= 0 && q > -53 && (c & ((1L << -q) - 1)) == 0) {
            put(out, c >> -q, 0, 15);
            return;
        }
        shortestDouble(out, q, c);
    }

    /** Appends {@code v} as {@code float4out} prints it. */
    static void putFloat(ByteSink out, float v) {
        int bits = Float.floatToRawIntBits(v);
        int biasedExponent = (bits >>> 23) & 0xFF;
        int fraction = bits & (FLOAT_C_MIN - 1);
        if (special(out, biasedExponent == 0xFF, fraction != 0, bits < 0, biasedExponent == 0 && fraction == 0)) {
            return;
        }
        if (bits < 0) {
            out.put('-');
        }
        if (biasedExponent == 0) {
            shortestFloat(out, FLOAT_Q_MIN, fraction);
            return;
        }
        int c = FLOAT_C_MIN | fraction;
        int q = biasedExponent - 150;
        if (q <= 0 && q > -24 && (c & ((1 << -q) - 1)) == 0) {
            put(out, c >> -q, 0, 6);
            return;
        }
        shortestFloat(out, q, c);
    }

    /** Writes NaN, the infinities and the zeros; false for every other value. */
    private static boolean special(ByteSink out, boolean nonFinite, boolean nan, boolean negative, boolean zero) {
        if (nonFinite) {
            out.putAscii(nan ? "NaN" : negative ? "-Infinity" : "Infinity");
            return true;
        }
        if (zero) {
            out.putAscii(negative ? "-0" : "0");
            return true;
        }
        return false;
    }

    /** Schubfach for the positive double {@code c * 2^q}. */
    private static void shortestDouble(ByteSink out, int q, long c) {
        long cb = c << 2;
        long cbr = cb + 2;
        long cbl;
        int k;
        if (c != DOUBLE_C_MIN || q == DOUBLE_Q_MIN) {
            cbl = cb - 2;
            k = flog10pow2(q);
        } else {
            cbl = cb - 1;   // the next double down is half as far
            k = flog10ThreeQuartersPow2(q);
        }
        int h = q + flog2pow10(-k) + 2;
        int index = 2 * (k - K_MIN);
        long g1 = G[index];
        long g0 = G[index + 1];
        long vb = roundToOdd(g1, g0, cb << h);
        long vbl = roundToOdd(g1, g0, cbl << h);
        long vbr = roundToOdd(g1, g0, cbr << h);
        putNearestInside(out, vb, vbl, vbr, k, 15);
    }

    /** Schubfach for the positive float {@code c * 2^q}, with the high half of the table. */
    private static void shortestFloat(ByteSink out, int q, int c) {
        long cb = (long) c << 2;
        long cbr = cb + 2;
        long cbl;
        int k;
        if (c != FLOAT_C_MIN || q == FLOAT_Q_MIN) {
            cbl = cb - 2;
            k = flog10pow2(q);
        } else {
            cbl = cb - 1;
            k = flog10ThreeQuartersPow2(q);
        }
        int h = q + flog2pow10(-k) + 33;
        long g = G[2 * (k - K_MIN)] + 1;
        long vb = roundToOdd(g, cb << h);
        long vbl = roundToOdd(g, cbl << h);
        long vbr = roundToOdd(g, cbr << h);
        putNearestInside(out, vb, vbl, vbr, k, 6);
    }

    /**
     * Schubfach's choice, given the value {@code vb} and the bounds {@code vbl}, {@code vbr} of its
     * rounding interval in quarter units of {@code 10^k} (rounded to odd; the bounds excluded):
     * the one multiple of ten inside, when there is one, else whichever of the two integers around
     * the value is inside, the nearer (then the even) one when both are.
     */
    private static void putNearestInside(ByteSink out, long vb, long vbl, long vbr, int k, int plainLimit) {
        long s = vb >> 2;
        if (s >= 10) {
            long sp10 = s / 10 * 10;
            long tp10 = sp10 + 10;
            boolean sp10In = vbl < sp10 << 2;
            boolean tp10In = tp10 << 2 < vbr;
            if (sp10In != tp10In) {
                put(out, (sp10In ? sp10 : tp10) / 10, k + 1, plainLimit);
                return;
            }
        }
        long t = s + 1;
        boolean sIn = vbl < s << 2;
        boolean tIn = t << 2 < vbr;
        if (sIn != tIn) {
            put(out, sIn ? s : t, k, plainLimit);
            return;
        }
        long cmp = vb - ((s + t) << 1);
        put(out, cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : t, k, plainLimit);
    }

    /** {@code g * cp / 2^127} (g = g1 * 2^63 + g0), rounded to odd: the low bit says "inexact". */
    private static long roundToOdd(long g1, long g0, long cp) {
        long x1 = Math.multiplyHigh(g0, cp);
        long y0 = g1 * cp;
        long y1 = Math.multiplyHigh(g1, cp);
        long z = (y0 >>> 1) + x1;
        long high = y1 + (z >>> 63);
        return high | ((z & Long.MAX_VALUE) + Long.MAX_VALUE) >>> 63;
    }

    /** {@code g * cp / 2^95}, rounded to odd (the float variant: 63-bit g, 32-bit result). */
    private static long roundToOdd(long g, long cp) {
        long x1 = Math.multiplyHigh(g, cp);
        long high = x1 >>> 31;
        return high | ((x1 & 0xFFFF_FFFFL) + 0xFFFF_FFFFL) >>> 32;
    }

    /**
     * Writes {@code digits * 10^exponent} in the server's layout: plain when the first digit's
     * exponent is in [-4, {@code plainLimit}), else scientific.
     */
    private static void put(ByteSink out, long digits, int exponent, int plainLimit) {
        if (digits % 10 == 0) {
            // a short decimal (0.3, 19.99) comes with up to fifteen zeros: strip them in halving
            // steps, not one by one (constant divisors: a multiplication each)
            if (digits % 100_000_000 == 0) {
                digits /= 100_000_000;
                exponent += 8;
            }
            if (digits % 10_000 == 0) {
                digits /= 10_000;
                exponent += 4;
            }
            if (digits % 100 == 0) {
                digits /= 100;
                exponent += 2;
            }
            if (digits % 10 == 0) {
                digits /= 10;
                exponent++;
            }
        }
        int length = ByteSink.decimalLength(digits);
        int first = exponent + length - 1;
        if (first >= -4 && first < plainLimit) {
            if (exponent >= 0) {
                out.putPadded(digits, length);
                for (int i = 0; i < exponent; i++) {
                    out.put('0');
                }
            } else if (first >= 0) {
                out.putWithPoint(digits, length, first + 1);
            } else {
                out.put('0');
                out.put('.');
                for (int i = -1; i > first; i--) {
                    out.put('0');
                }
                out.putPadded(digits, length);
            }
            return;
        }
        out.putWithPoint(digits, length, 1);
        out.put('e');
        out.put(first < 0 ? '-' : '+');
        int magnitude = Math.abs(first);
        out.putPadded(magnitude, magnitude >= 100 ? 3 : 2);
    }

    /** {@code floor(e * log10(2))}, exact for |e| <= 5456721. */
    static int flog10pow2(int e) {
        return (int) (e * 661_971_961_083L >> 41);
    }

    /** {@code floor(log10(3/4 * 2^e))}, exact for |e| <= 2^20. */
    static int flog10ThreeQuartersPow2(int e) {
        return (int) (e * 661_971_961_083L - 274_743_187_321L >> 41);
    }

    /** {@code floor(e * log2(10))}, exact for |e| <= 1838394. */
    static int flog2pow10(int e) {
        return (int) (e * 913_124_641_741L >> 38);
    }

    private static long[] powersOfTen() {
        long[] table = new long[2 * (K_MAX - K_MIN + 1)];
        BigInteger ten = BigInteger.TEN;
        for (int k = K_MIN; k <= K_MAX; k++) {
            int e = -k;
            int shift = 125 - flog2pow10(e);
            BigInteger g;
            if (e >= 0) {
                BigInteger p = ten.pow(e);
                g = shift >= 0 ? p.shiftLeft(shift) : p.shiftRight(-shift);
            } else {
                g = BigInteger.ONE.shiftLeft(shift).divide(ten.pow(-e));
            }
            g = g.add(BigInteger.ONE);
            table[2 * (k - K_MIN)] = g.shiftRight(63).longValue();
            table[2 * (k - K_MIN) + 1] = g.longValue() & Long.MAX_VALUE;
        }
        return table;
    }
}

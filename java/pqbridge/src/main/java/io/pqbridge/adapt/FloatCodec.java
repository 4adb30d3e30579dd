package io.pqbridge.adapt;

import io.pqbridge.errors.DataException;

/**
 * {@code float4} ↔ {@link Float}, {@code float8} ↔ {@link Double}; dumping takes any Java
 * {@link Number}. NaN and the infinities travel as such in both formats; as literals they are
 * {@code 'NaN'::float8}, {@code 'Infinity'::float8}, {@code '-Infinity'::float8}, as psycopg
 * writes them.
 */
final class FloatCodec extends Codec {

    static final FloatCodec FLOAT4 = new FloatCodec(PgTypes.FLOAT4);
    static final FloatCodec FLOAT8 = new FloatCodec(PgTypes.FLOAT8);

    private FloatCodec(int oid) {
        super(oid);
    }

    @Override
    boolean plainText() {
        return true;
    }

    private double value(Object v) {
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof Float f) {
            return f;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw cannotDump(v, "a Number (Float, Double)");
    }

    /** The server's own text for the value (float4out/float8out), so it reads back the same value. */
    private void put(double d, ByteSink out) {
        if (oid == PgTypes.FLOAT4) {
            FloatOut.putFloat(out, (float) d);
        } else {
            FloatOut.putDouble(out, d);
        }
    }

    @Override
    void text(Object v, ByteSink out) {
        put(value(v), out);
    }

    @Override
    void binary(Object v, ByteSink out) {
        double d = value(v);
        if (oid == PgTypes.FLOAT4) {
            out.putInt(Float.floatToRawIntBits((float) d));
        } else {
            out.putLong(Double.doubleToRawLongBits(d));
        }
    }

    @Override
    void literal(Object v, ByteSink out, AdaptContext ctx) {
        double d = value(v);
        if (Double.isNaN(d)) {
            out.putAscii("'NaN'::float8");
        } else if (Double.isInfinite(d)) {
            out.putAscii(d > 0 ? "'Infinity'::float8" : "'-Infinity'::float8");
        } else {
            if (Double.doubleToRawLongBits(d) < 0) {
                out.put(' ');
            }
            put(d, out);
        }
    }

    @Override
    Object loadText(byte[] data, int offset, int length, AdaptContext ctx) {
        if (oid == PgTypes.FLOAT4) {
            Object fast = fastFloat(data, offset, length);
            if (fast != null) {
                return fast;
            }
        } else {
            try {
                return DoubleText.parse(data, offset, length);
            } catch (NumberFormatException e) {
                // NaN, Infinity: the JDK's parser below
            }
        }
        String s = ascii(data, offset, length);
        try {
            return oid == PgTypes.FLOAT4 ? (Object) Float.parseFloat(s) : (Object) Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new DataException("bad " + typeName() + " value: '" + s + "'");
        }
    }

    /**
     * Reads what the server's {@code float4in}/{@code float8in} read: a decimal number with an
     * optional exponent, or {@code NaN}, {@code Infinity}, {@code inf} with a sign, in any case,
     * blanks around allowed; both sides round correctly, so the value is the same. A number
     * beyond the type's range (or a non-zero one that rounds to zero) is refused, as the server
     * refuses it.
     */
    @Override
    void transcode(byte[] data, int offset, int length, AdaptContext ctx, ByteSink out) {
        int start = skipBlanks(data, offset, offset + length);
        int end = trimBlanks(data, start, offset + length);
        double d;
        try {
            d = DoubleText.parse(data, start, end - start);
        } catch (NumberFormatException e) {
            d = word(ascii(data, start, end - start), data, offset, length);
            if (oid == PgTypes.FLOAT4) {
                out.putInt(Float.floatToRawIntBits((float) d));
            } else {
                out.putLong(Double.doubleToRawLongBits(d));
            }
            return;
        }
        if (oid == PgTypes.FLOAT4) {
            float f = Float.parseFloat(ascii(data, start, end - start));
            if (Float.isInfinite(f) || (f == 0 && !isZero(data, start, end))) {
                throw outOfRange(data, offset, length);
            }
            out.putInt(Float.floatToRawIntBits(f));
        } else {
            if (Double.isInfinite(d) || (d == 0 && !isZero(data, start, end))) {
                throw outOfRange(data, offset, length);
            }
            out.putLong(Double.doubleToRawLongBits(d));
        }
    }

    /** NaN and the infinities, as the server spells them in any case. */
    private double word(String text, byte[] data, int offset, int length) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        int sign = lower.startsWith("-") || lower.startsWith("+") ? 1 : 0;
        String word = lower.substring(sign);
        if (word.equals("nan") && sign == 0) {
            return Double.NaN;
        }
        if (word.equals("infinity") || word.equals("inf")) {
            return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        throw new DataException("invalid input syntax for type " + sqlName() + ": \"" + utf8(data, offset, length)
                + "\"");
    }

    private DataException outOfRange(byte[] data, int offset, int length) {
        return new DataException("\"" + utf8(data, offset, length) + "\" is out of range for type " + sqlName());
    }

    private String sqlName() {
        return oid == PgTypes.FLOAT4 ? "real" : "double precision";
    }

    /** True when the digits before the exponent are all zeros (so 0 is the value, not an underflow). */
    private static boolean isZero(byte[] data, int start, int end) {
        for (int p = start; p < end; p++) {
            byte c = data[p];
            if (c == 'e' || c == 'E') {
                break;
            }
            if (c >= '1' && c <= '9') {
                return false;
            }
        }
        return true;
    }

    /** Exact powers of ten as floats (up to 10^10). */
    private static final float[] FPOW10 = new float[11];

    static {
        float f = 1;
        for (int i = 0; i < FPOW10.length; i++, f *= 10) {
            FPOW10[i] = f;
        }
    }

    /**
     * Clinger's fast path for the plain float4 decimals PostgreSQL prints ({@code 0.1},
     * {@code -12.5}, {@code 1.25e+7}): when the significand and the power of ten are both exact
     * floats, one multiplication or division rounds correctly. Returns null for anything else
     * (more digits, larger exponents, NaN and the infinities), which the JDK's parser then
     * handles. (float8 text goes through {@link DoubleText}, which covers every decimal.)
     */
    private static Object fastFloat(byte[] b, int offset, int length) {
        int p = offset;
        int end = offset + length;
        boolean negative = p < end && b[p] == '-';
        if (negative) {
            p++;
        }
        long m = 0;
        int digits = 0;
        int exp = 0;
        boolean point = false;
        for (; p < end; p++) {
            byte c = b[p];
            if (c >= '0' && c <= '9') {
                if (++digits > 18) {
                    return null;
                }
                m = m * 10 + (c - '0');
                if (point) {
                    exp--;
                }
            } else if (c == '.' && !point) {
                point = true;
            } else {
                break;
            }
        }
        if (digits == 0) {
            return null;
        }
        if (p < end) {
            if (b[p] != 'e' && b[p] != 'E') {
                return null;
            }
            p++;
            boolean negExp = p < end && b[p] == '-';
            if (p < end && (b[p] == '-' || b[p] == '+')) {
                p++;
            }
            int e = 0;
            int n = 0;
            for (; p < end && b[p] >= '0' && b[p] <= '9' && n < 4; p++, n++) {
                e = e * 10 + (b[p] - '0');
            }
            if (n == 0 || p != end) {
                return null;
            }
            exp += negExp ? -e : e;
        }
        if (m > (1L << 24) || exp < -10 || exp > 10) {
            return null;
        }
        float f = exp >= 0 ? m * FPOW10[exp] : m / FPOW10[-exp];
        return negative ? -f : f;
    }

    @Override
    Object loadBinary(byte[] data, int offset, int length, AdaptContext ctx) {
        if (oid == PgTypes.FLOAT4) {
            if (length != 4) {
                throw badBinary(length, "4");
            }
            return Float.intBitsToFloat(getInt(data, offset));
        }
        if (length != 8) {
            throw badBinary(length, "8");
        }
        return Double.longBitsToDouble(getLong(data, offset));
    }
}

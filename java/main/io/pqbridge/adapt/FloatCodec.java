package io.pqbridge.adapt;

import io.pqbridge.DataException;

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

    private String string(double d) {
        return oid == PgTypes.FLOAT4 ? Float.toString((float) d) : Double.toString(d);
    }

    @Override
    void text(Object v, ByteSink out) {
        out.putAscii(string(value(v)));
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
            String s = string(d);
            if (s.startsWith("-")) {
                out.put(' ');
            }
            out.putAscii(s);
        }
    }

    @Override
    Object loadText(byte[] data, int offset, int length, AdaptContext ctx) {
        Object fast = fast(data, offset, length, oid == PgTypes.FLOAT4);
        if (fast != null) {
            return fast;
        }
        String s = ascii(data, offset, length);
        try {
            return oid == PgTypes.FLOAT4 ? (Object) Float.parseFloat(s) : (Object) Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new DataException("bad " + typeName() + " value: '" + s + "'");
        }
    }

    /** Exact powers of ten as doubles (10^22 is the largest a double holds exactly). */
    private static final double[] POW10 = new double[23];
    /** Exact powers of ten as floats (up to 10^10). */
    private static final float[] FPOW10 = new float[11];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++, p *= 10) {
            POW10[i] = p;
        }
        float f = 1;
        for (int i = 0; i < FPOW10.length; i++, f *= 10) {
            FPOW10[i] = f;
        }
    }

    /**
     * Clinger's fast path for the plain decimals PostgreSQL prints ({@code 0.1}, {@code -12.5},
     * {@code 1.25e+20}): when the significand and the power of ten are both exact in the target
     * type, one multiplication or division rounds correctly. Returns null for anything else (more
     * digits, larger exponents, NaN and the infinities), which the JDK's parser then handles.
     */
    private static Object fast(byte[] b, int offset, int length, boolean single) {
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
        if (single) {
            if (m > (1L << 24) || exp < -10 || exp > 10) {
                return null;
            }
            float f = exp >= 0 ? m * FPOW10[exp] : m / FPOW10[-exp];
            return negative ? -f : f;
        }
        if (m > (1L << 53) || exp < -22 || exp > 22) {
            return null;
        }
        double d = exp >= 0 ? m * POW10[exp] : m / POW10[-exp];
        return negative ? -d : d;
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

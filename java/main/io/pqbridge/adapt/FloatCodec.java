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
        String s = ascii(data, offset, length);
        try {
            return oid == PgTypes.FLOAT4 ? (Object) Float.parseFloat(s) : (Object) Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new DataException("bad " + typeName() + " value: '" + s + "'");
        }
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

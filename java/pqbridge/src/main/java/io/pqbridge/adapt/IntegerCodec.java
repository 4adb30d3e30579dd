package io.pqbridge.adapt;

import io.pqbridge.errors.DataException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * {@code int2} ↔ {@link Short}, {@code int4} ↔ {@link Integer}, {@code int8} ↔ {@link Long},
 * {@code oid} ↔ {@link Long} (unsigned 32 bits). Dumping takes any integral Java number (Byte,
 * Short, Integer, Long, BigInteger, or a BigDecimal/Double/Float holding an integer) that fits the
 * type. A negative literal gets a leading space, as psycopg writes it, so that {@code x-%s} never
 * becomes a comment.
 */
final class IntegerCodec extends Codec {

    static final IntegerCodec INT2 = new IntegerCodec(PgTypes.INT2, 2, Short.MIN_VALUE, Short.MAX_VALUE);
    static final IntegerCodec INT4 = new IntegerCodec(PgTypes.INT4, 4, Integer.MIN_VALUE, Integer.MAX_VALUE);
    static final IntegerCodec INT8 = new IntegerCodec(PgTypes.INT8, 8, Long.MIN_VALUE, Long.MAX_VALUE);
    static final IntegerCodec OID = new IntegerCodec(PgTypes.OID, 4, 0, 0xFFFFFFFFL);

    private final int size;
    private final long min;
    private final long max;

    private IntegerCodec(int oid, int size, long min, long max) {
        super(oid);
        this.size = size;
        this.min = min;
        this.max = max;
    }

    @Override
    boolean plainText() {
        return true;
    }

    private long value(Object v) {
        long x;
        if (v instanceof Integer i) {
            x = i;
        } else if (v instanceof Long l) {
            x = l;
        } else if (v instanceof Short s) {
            x = s;
        } else if (v instanceof Byte b) {
            x = b;
        } else if (v instanceof BigInteger b) {
            if (b.bitLength() > 63) {
                throw outOfRange(v);
            }
            x = b.longValue();
        } else if (v instanceof BigDecimal d) {
            try {
                x = d.toBigIntegerExact().longValueExact();
            } catch (ArithmeticException e) {
                throw d.stripTrailingZeros().scale() > 0 ? notIntegral(v) : outOfRange(v);
            }
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (d != Math.rint(d) || Double.isInfinite(d)) {
                throw notIntegral(v);
            }
            if (d < -0x1p63 || d >= 0x1p63) {
                throw outOfRange(v);
            }
            x = (long) d;
        } else {
            throw cannotDump(v, "an integral number (Short, Integer, Long, BigInteger)");
        }
        if (x < min || x > max) {
            throw outOfRange(v);
        }
        return x;
    }

    private DataException outOfRange(Object v) {
        return new DataException("value " + v + " is out of range for " + typeName());
    }

    private DataException notIntegral(Object v) {
        return new DataException("value " + v + " is not an integer and cannot be dumped as " + typeName());
    }

    @Override
    void text(Object v, ByteSink out) {
        out.putDecimal(value(v));
    }

    @Override
    void binary(Object v, ByteSink out) {
        long x = value(v);
        switch (size) {
            case 2 -> out.putShort((int) x);
            case 4 -> out.putInt((int) x);
            default -> out.putLong(x);
        }
    }

    @Override
    void literal(Object v, ByteSink out, AdaptContext ctx) {
        long x = value(v);
        if (x < 0) {
            out.put(' ');
        }
        out.putDecimal(x);
    }

    /** A value outside the type's range (a {@code setTypes} narrower than the column) is refused, never wrapped. */
    @Override
    Object loadText(byte[] data, int offset, int length, AdaptContext ctx) {
        long x = parseLong(data, offset, length, typeName());
        if (x < min || x > max) {
            throw outOfRangeText(data, offset, length);
        }
        return box(x);
    }

    @Override
    Object loadBinary(byte[] data, int offset, int length, AdaptContext ctx) {
        if (length != size) {
            throw badBinary(length, String.valueOf(size));
        }
        return switch (size) {
            case 2 -> (short) getShort(data, offset);
            case 4 -> oid == PgTypes.OID ? (Object) (getInt(data, offset) & 0xFFFFFFFFL) : (Object) getInt(data, offset);
            default -> getLong(data, offset);
        };
    }

    /**
     * Parses as the server's input function does (blanks around the digits allowed) and checks
     * the type's range, which {@link #loadText} need not do for values the server wrote.
     */
    @Override
    void transcode(byte[] data, int offset, int length, AdaptContext ctx, ByteSink out) {
        int start = skipBlanks(data, offset, offset + length);
        int end = trimBlanks(data, start, offset + length);
        long x;
        try {
            x = parseLong(data, start, end - start, typeName());
        } catch (DataException e) {
            // parseLong fails on a non-digit and on a long's overflow; only the first is syntax
            throw allDigits(data, start, end) ? outOfRangeText(data, offset, length)
                    : new DataException("invalid input syntax for type " + sqlName() + ": \"" + utf8(data, offset, length)
                            + "\"");
        }
        if (x < min || x > max) {
            throw outOfRangeText(data, offset, length);
        }
        switch (size) {
            case 2 -> out.putShort((int) x);
            case 4 -> out.putInt((int) x);
            default -> out.putLong(x);
        }
    }

    /** Whether {@code data[start, end)} is an optional sign then at least one digit, and nothing else. */
    private static boolean allDigits(byte[] data, int start, int end) {
        int p = start < end && (data[start] == '-' || data[start] == '+') ? start + 1 : start;
        if (p == end) {
            return false;
        }
        for (; p < end; p++) {
            if (data[p] < '0' || data[p] > '9') {
                return false;
            }
        }
        return true;
    }

    private DataException outOfRangeText(byte[] data, int offset, int length) {
        return new DataException("value \"" + utf8(data, offset, length) + "\" is out of range for type " + sqlName());
    }

    /** The type's name as the server's messages about text input spell it ({@code integer}, not {@code int4}). */
    private String sqlName() {
        return switch (oid) {
            case PgTypes.INT2 -> "smallint";
            case PgTypes.INT4 -> "integer";
            case PgTypes.INT8 -> "bigint";
            default -> typeName();
        };
    }

    private Object box(long x) {
        return switch (oid) {
            case PgTypes.INT2 -> (short) x;
            case PgTypes.INT4 -> (int) x;
            default -> x;
        };
    }
}

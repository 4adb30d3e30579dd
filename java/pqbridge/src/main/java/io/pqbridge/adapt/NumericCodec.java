package io.pqbridge.adapt;

import io.pqbridge.errors.DataException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * {@code numeric} ↔ {@link BigDecimal}. Dumping also takes BigInteger, Long, Integer, Short, Byte,
 * and Double/Float (through their shortest decimal form).
 *
 * <p><b>NaN and infinities.</b> {@code BigDecimal} has no NaN or infinity, so the numeric values
 * {@code NaN}, {@code Infinity} and {@code -Infinity} load as the {@link Double}s
 * {@code NaN}, {@code POSITIVE_INFINITY} and {@code NEGATIVE_INFINITY} (as pgjdbc does), and those
 * Doubles dump to them; every other numeric loads as a BigDecimal with the value's display scale
 * ({@code 1.50} keeps scale 2).
 *
 * <p>Binary format: int16 ndigits, int16 weight, uint16 sign, int16 dscale, then ndigits base-10000
 * digits, most significant first; the value is the sum of digit[i] × 10000^(weight − i).
 */
final class NumericCodec extends Codec {

    static final NumericCodec NUMERIC = new NumericCodec();

    private static final int POSITIVE = 0x0000;
    private static final int NEGATIVE = 0x4000;
    private static final int NAN = 0xC000;
    private static final int PINF = 0xD000;
    private static final int NINF = 0xF000;

    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private NumericCodec() {
        super(PgTypes.NUMERIC);
    }

    @Override
    boolean plainText() {
        return true;
    }

    @Override
    int autoFormat() {
        return TEXT;   // psycopg sends Decimal as text
    }

    /** The special value a Double/Float stands for (NAN, PINF, NINF), or 0. */
    private static int special(Object v) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d)) {
                return NAN;
            }
            if (Double.isInfinite(d)) {
                return d > 0 ? PINF : NINF;
            }
        }
        return 0;
    }

    private BigDecimal decimal(Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof BigInteger b) {
            return new BigDecimal(b);
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof Double d) {
            return BigDecimal.valueOf(d);
        }
        if (v instanceof Float f) {
            return new BigDecimal(Float.toString(f));
        }
        throw cannotDump(v, "a BigDecimal, BigInteger or other Number");
    }

    private static String specialText(int special) {
        return special == NAN ? "NaN" : special == PINF ? "Infinity" : "-Infinity";
    }

    @Override
    void text(Object v, ByteSink out) {
        int special = special(v);
        if (special != 0) {
            out.putAscii(specialText(special));
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            out.putDecimal(((Number) v).longValue());
        } else {
            out.putAscii(decimal(v).toString());
        }
    }

    @Override
    void literal(Object v, ByteSink out, AdaptContext ctx) {
        int special = special(v);
        if (special != 0) {
            out.putAscii("'" + specialText(special) + "'::numeric");
            return;
        }
        String s = decimal(v).toString();
        if (s.startsWith("-")) {
            out.put(' ');
        }
        out.putAscii(s);
    }

    @Override
    void binary(Object v, ByteSink out) {
        int special = special(v);
        if (special != 0) {
            out.putShort(0);
            out.putShort(0);
            out.putShort(special);
            out.putShort(0);
            return;
        }
        BigDecimal d = decimal(v);
        int scale = d.scale();
        if (d.precision() <= 18 && scale >= -18 && scale <= 16 && binaryFromLong(d.unscaledValue().longValue(), scale, out)) {
            return;
        }
        binaryFromBig(d, out);
    }

    /**
     * Fast path for an unscaled value that fits a long: no allocation. Returns false when an
     * intermediate would overflow, leaving {@code out} untouched.
     */
    private static boolean binaryFromLong(long unscaled, int scale, ByteSink out) {
        if (unscaled == Long.MIN_VALUE) {
            return false;
        }
        boolean negative = unscaled < 0;
        long a = Math.abs(unscaled);
        int dscale = Math.max(scale, 0);
        try {
            if (scale < 0) {
                a = Math.multiplyExact(a, POW10[-scale]);
                scale = 0;
            }
            int pad = (4 - scale % 4) % 4;
            a = Math.multiplyExact(a, POW10[pad]);
            scale += pad;
        } catch (ArithmeticException e) {
            return false;
        }
        writeGroups(a, scale / 4, negative, dscale, out);
        return true;
    }

    /** Writes {@code a} (scaled by 10000^fracGroups) as base-10000 digits. */
    private static void writeGroups(long a, int fracGroups, boolean negative, int dscale, ByteSink out) {
        if (a == 0) {
            out.putShort(0);
            out.putShort(0);
            out.putShort(POSITIVE);
            out.putShort(dscale);
            return;
        }
        int groups = 0;
        for (long t = a; t != 0; t /= 10000) {
            groups++;
        }
        int weight = groups - 1 - fracGroups;
        int trailing = 0;
        while (a % 10000 == 0) {
            a /= 10000;
            trailing++;
        }
        int ndigits = groups - trailing;
        out.putShort(ndigits);
        out.putShort(weight);
        out.putShort(negative ? NEGATIVE : POSITIVE);
        out.putShort(dscale);
        for (int i = ndigits - 1; i >= 0; i--) {
            out.putShort((int) (a / POW10[4 * i] % 10000));
        }
    }

    private static void binaryFromBig(BigDecimal d, ByteSink out) {
        int scale = d.scale();
        int dscale = Math.max(scale, 0);
        BigInteger a = d.unscaledValue().abs();
        if (scale < 0) {
            a = a.multiply(BigInteger.TEN.pow(-scale));
            scale = 0;
        }
        int pad = (4 - scale % 4) % 4;
        a = a.multiply(BigInteger.TEN.pow(pad));
        scale += pad;
        if (a.signum() == 0) {
            writeGroups(0, 0, false, dscale, out);
            return;
        }
        String digits = a.toString();
        int groups = (digits.length() + 3) / 4;
        int head = digits.length() - 4 * (groups - 1);   // digits in the most significant group
        int last = groups - 1;
        while (last > 0 && group(digits, head, last) == 0) {
            last--;
        }
        if (last + 1 > 0x7FFF || groups - 1 - scale / 4 > 0x7FFF) {
            throw new DataException("numeric value too large for PostgreSQL: " + d);
        }
        out.putShort(last + 1);
        out.putShort(groups - 1 - scale / 4);
        out.putShort(d.signum() < 0 ? NEGATIVE : POSITIVE);
        out.putShort(dscale);
        for (int g = 0; g <= last; g++) {
            out.putShort(group(digits, head, g));
        }
    }

    private static int group(String digits, int head, int g) {
        int start = g == 0 ? 0 : head + 4 * (g - 1);
        int end = g == 0 ? head : start + 4;
        int v = 0;
        for (int i = start; i < end; i++) {
            v = v * 10 + (digits.charAt(i) - '0');
        }
        return v;
    }

    @Override
    Object loadText(byte[] data, int offset, int length, AdaptContext ctx) {
        // numeric_in: blanks around the value, NaN and infinities in any case
        int end = trimBlanks(data, offset, offset + length);
        offset = skipBlanks(data, offset, end);
        length = end - offset;
        int p = offset;
        boolean negative = false;
        if (p < end && (data[p] == '-' || data[p] == '+')) {
            negative = data[p] == '-';
            p++;
        }
        if (p < end && ((data[p] | 0x20) == 'n' || (data[p] | 0x20) == 'i')) {
            String word = ascii(data, p, end - p).toLowerCase(java.util.Locale.ROOT);
            if (word.equals("nan") && p == offset) {
                return Double.NaN;
            }
            if (word.equals("infinity") || word.equals("inf")) {
                return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            throw new DataException("bad numeric value: '" + ascii(data, offset, length) + "'");
        }
        long unscaled = 0;
        int digits = 0;
        int scale = -1;
        for (; p < end; p++) {
            byte b = data[p];
            if (b == '.' && scale < 0) {
                scale = 0;
                continue;
            }
            if (b < '0' || b > '9' || digits >= 18) {
                return slowText(data, offset, length);
            }
            unscaled = unscaled * 10 + (b - '0');
            digits++;
            if (scale >= 0) {
                scale++;
            }
        }
        if (digits == 0) {
            throw new DataException("bad numeric value: '" + ascii(data, offset, length) + "'");
        }
        return BigDecimal.valueOf(negative ? -unscaled : unscaled, Math.max(scale, 0));
    }

    /**
     * The general spelling (exponents, more than 18 digits), ASCII only: BigDecimal would also
     * take digits of other scripts, which numeric_in refuses. An exponent whose value no numeric
     * can hold is refused before BigDecimal scales by it.
     */
    private static Object slowText(byte[] data, int offset, int length) {
        String s = ascii(data, offset, length);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
                throw new DataException("bad numeric value: '" + s + "'");
            }
        }
        try {
            BigDecimal d = new BigDecimal(s);
            if (d.scale() < -MAX_DECIMAL_DIGITS || d.scale() > MAX_DSCALE) {
                throw new DataException("value overflows numeric format: '" + s + "'");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new DataException("bad numeric value: '" + s + "'");
        }
    }

    /** The most decimal digits before the point (weight 32767 in base 10000) and after it (dscale). */
    private static final int MAX_DECIMAL_DIGITS = 4 * 0x8000;
    private static final int MAX_DSCALE = 0x3FFF;

    @Override
    Object loadBinary(byte[] data, int offset, int length, AdaptContext ctx) {
        if (length < 8) {
            throw badBinary(length, "at least 8");
        }
        int ndigits = getShort(data, offset) & 0xFFFF;
        int weight = getShort(data, offset + 2);
        int sign = getShort(data, offset + 4) & 0xFFFF;
        int dscale = getShort(data, offset + 6) & 0xFFFF;
        switch (sign) {
            case NAN: return Double.NaN;
            case PINF: return Double.POSITIVE_INFINITY;
            case NINF: return Double.NEGATIVE_INFINITY;
            case POSITIVE:
            case NEGATIVE:
                break;
            default:
                throw new DataException("bad value for numeric sign: 0x" + Integer.toHexString(sign).toUpperCase());
        }
        if (length != 8 + 2 * ndigits) {
            throw badBinary(length, String.valueOf(8 + 2 * ndigits));
        }
        // decimal exponent of the last digit group, then the shift that brings it to dscale
        int shift = 4 * (weight - ndigits + 1) + dscale;
        if (ndigits <= 4 && shift >= -18 && shift <= 18) {
            long unscaled = 0;
            for (int i = 0; i < ndigits; i++) {
                unscaled = unscaled * 10000 + getShort(data, offset + 8 + 2 * i);
            }
            boolean exact = shift >= 0 ? unscaled <= Long.MAX_VALUE / POW10[shift] : unscaled % POW10[-shift] == 0;
            if (exact) {
                unscaled = shift >= 0 ? unscaled * POW10[shift] : unscaled / POW10[-shift];
                return BigDecimal.valueOf(sign == NEGATIVE ? -unscaled : unscaled, dscale);
            }
        }
        BigInteger unscaled = BigInteger.ZERO;
        BigInteger base = BigInteger.valueOf(10000);
        for (int i = 0; i < ndigits; i++) {
            unscaled = unscaled.multiply(base).add(BigInteger.valueOf(getShort(data, offset + 8 + 2 * i)));
        }
        BigDecimal value = new BigDecimal(sign == NEGATIVE ? unscaled.negate() : unscaled, -4 * (weight - ndigits + 1));
        return value.setScale(dscale, RoundingMode.HALF_EVEN);
    }
}

package io.pqbridge.adapt;

import io.pqbridge.errors.DataException;
import io.pqbridge.types.Multirange;
import io.pqbridge.types.Range;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in multirange types (PostgreSQL 14+) ↔ {@link Multirange}, each range by its
 * {@link RangeCodec}. Text as {@code multirange_out}: {@code {}} or {@code {r1,r2}}, each range in
 * its own text form. Binary as {@code multirange_send}: the number of ranges, then each range's
 * length and binary form.
 */
final class MultirangeCodec extends Codec {

    static final MultirangeCodec INT4MULTIRANGE = new MultirangeCodec(4451, RangeCodec.INT4RANGE);
    static final MultirangeCodec INT8MULTIRANGE = new MultirangeCodec(4536, RangeCodec.INT8RANGE);
    static final MultirangeCodec NUMMULTIRANGE = new MultirangeCodec(4532, RangeCodec.NUMRANGE);
    static final MultirangeCodec DATEMULTIRANGE = new MultirangeCodec(4535, RangeCodec.DATERANGE);
    static final MultirangeCodec TSMULTIRANGE = new MultirangeCodec(4533, RangeCodec.TSRANGE);
    static final MultirangeCodec TSTZMULTIRANGE = new MultirangeCodec(4534, RangeCodec.TSTZRANGE);
    static final MultirangeCodec UNTYPED = new MultirangeCodec(PgTypes.UNKNOWN, RangeCodec.UNTYPED);

    private final RangeCodec range;

    private MultirangeCodec(int oid, RangeCodec range) {
        super(oid);
        this.range = range;
    }

    /** The multirange type of a value, by the class of its ranges' bounds. */
    static MultirangeCodec forValue(Multirange<?> m) {
        for (Range<?> r : m.ranges()) {
            RangeCodec c = RangeCodec.forValue(r);
            if (c != RangeCodec.UNTYPED) {
                for (MultirangeCodec mc : new MultirangeCodec[] {INT4MULTIRANGE, INT8MULTIRANGE, NUMMULTIRANGE,
                    DATEMULTIRANGE, TSMULTIRANGE, TSTZMULTIRANGE}) {
                    if (mc.range == c) {
                        return mc;
                    }
                }
            }
        }
        return UNTYPED;
    }

    @Override
    int autoFormat() {
        return this == UNTYPED ? TEXT : BINARY;
    }

    @Override
    int paramOid(int format) {
        return this == UNTYPED ? 0 : oid;
    }

    @Override
    boolean transcodes() {
        return false;
    }

    private Multirange<?> value(Object v) {
        if (v instanceof Multirange<?> m) {
            return m;
        }
        throw cannotDump(v, "an io.pqbridge.types.Multirange");
    }

    @Override
    void text(Object v, ByteSink out) {
        out.put('{');
        boolean first = true;
        for (Range<?> r : value(v).ranges()) {
            if (!first) {
                out.put(',');
            }
            first = false;
            range.text(r, out);
        }
        out.put('}');
    }

    @Override
    void binary(Object v, ByteSink out) {
        List<? extends Range<?>> ranges = value(v).ranges();
        out.putInt(ranges.size());
        for (Range<?> r : ranges) {
            int at = out.size();
            out.putInt(0);
            range.binary(r, out);
            out.setInt(at, out.size() - at - 4);
        }
    }

    @Override
    Object loadText(byte[] data, int offset, int length, AdaptContext ctx) {
        int end = trimBlanks(data, offset, offset + length);
        int p = skipBlanks(data, offset, end);
        if (p >= end || data[p] != '{' || data[end - 1] != '}') {
            throw bad(data, offset, length);
        }
        p++;
        end--;
        List<Range<?>> ranges = new ArrayList<>();
        while ((p = skipBlanks(data, p, end)) < end) {
            int start = p;
            if (end - p >= 5 && ascii(data, p, 5).equalsIgnoreCase("empty")) {
                p += 5;
            } else {
                p = rangeEnd(data, p, end);
                if (p < 0) {
                    throw bad(data, offset, length);
                }
            }
            Range<?> r = (Range<?>) range.loadText(data, start, p - start, ctx);
            if (!r.isEmpty()) {
                ranges.add(r);
            }
            p = skipBlanks(data, p, end);
            if (p < end) {
                if (data[p] != ',') {
                    throw bad(data, offset, length);
                }
                p++;
            }
        }
        return multirange(ranges);
    }

    /** Just past the closing bracket of the range text starting at {@code p}, -1 when there is none. */
    private static int rangeEnd(byte[] data, int p, int end) {
        if (data[p] != '[' && data[p] != '(') {
            return -1;
        }
        boolean quoted = false;
        for (p++; p < end; p++) {
            byte c = data[p];
            if (c == '\\') {
                p++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == ')' || c == ']')) {
                return p + 1;
            }
        }
        return -1;
    }

    @Override
    Object loadBinary(byte[] data, int offset, int length, AdaptContext ctx) {
        if (length < 4) {
            throw badBinary(length, "at least 4");
        }
        int n = getInt(data, offset);
        int p = offset + 4;
        int end = offset + length;
        List<Range<?>> ranges = new ArrayList<>(Math.max(0, Math.min(n, length / 5)));
        for (int i = 0; i < n; i++) {
            if (p + 4 > end) {
                throw badBinary(length, "a complete range");
            }
            int len = getInt(data, p);
            if (len < 0 || p + 4 + len > end) {
                throw badBinary(length, "a complete range");
            }
            ranges.add((Range<?>) range.loadBinary(data, p + 4, len, ctx));
            p += 4 + len;
        }
        return multirange(ranges);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Multirange<?> multirange(List<Range<?>> ranges) {
        return new Multirange(ranges);
    }

    private DataException bad(byte[] data, int offset, int length) {
        return new DataException("bad " + typeName() + " value: '" + utf8(data, offset, length) + "'");
    }
}

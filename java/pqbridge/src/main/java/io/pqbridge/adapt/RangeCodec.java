package io.pqbridge.adapt;

import io.pqbridge.errors.DataException;
import io.pqbridge.types.Range;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;

/**
 * The built-in range types ↔ {@link Range}, the bounds converted by the element type's codec.
 * Text as {@code range_out} writes it: {@code empty}, or a bracket, the lower bound, a comma, the
 * upper bound, a bracket; a bound is double-quoted when it is empty or holds a quote, a
 * backslash, a bracket, a parenthesis, a comma or white space, with {@code "} and {@code \}
 * doubled; a missing bound is nothing. Binary as {@code range_send}: a flags byte (empty, lower
 * and upper included, lower and upper unbounded), then each present bound as a length and its
 * binary form.
 *
 * <p>A range whose bounds give no type (empty, or unbounded on both sides) is sent as text of type
 * {@code unknown}, so the server takes the type from the context, as psycopg does.
 */
final class RangeCodec extends Codec {

    static final RangeCodec INT4RANGE = new RangeCodec(3904, IntegerCodec.INT4);
    static final RangeCodec INT8RANGE = new RangeCodec(3926, IntegerCodec.INT8);
    static final RangeCodec NUMRANGE = new RangeCodec(3906, NumericCodec.NUMERIC);
    static final RangeCodec DATERANGE = new RangeCodec(3912, DateCodec.DATE);
    static final RangeCodec TSRANGE = new RangeCodec(3908, TimestampCodec.TIMESTAMP);
    static final RangeCodec TSTZRANGE = new RangeCodec(3910, TimestampTzCodec.TIMESTAMPTZ);
    /** A range without a bound to tell its type. */
    static final RangeCodec UNTYPED = new RangeCodec(PgTypes.UNKNOWN, TextCodec.STRING);

    private static final int EMPTY = 0x01;
    private static final int LB_INC = 0x02;
    private static final int UB_INC = 0x04;
    private static final int LB_INF = 0x08;
    private static final int UB_INF = 0x10;

    private final Codec element;

    private RangeCodec(int oid, Codec element) {
        super(oid);
        this.element = element;
    }

    /** The range type of a range value, by the class of its bounds. */
    static RangeCodec forValue(Range<?> r) {
        Object bound = r.lower() != null ? r.lower() : r.upper();
        if (bound == null) {
            return UNTYPED;
        }
        if (bound instanceof Integer || bound instanceof Short || bound instanceof Byte) {
            return INT4RANGE;
        }
        if (bound instanceof Long) {
            return INT8RANGE;
        }
        if (bound instanceof BigDecimal || bound instanceof java.math.BigInteger) {
            return NUMRANGE;
        }
        if (bound instanceof LocalDate) {
            return DATERANGE;
        }
        if (bound instanceof LocalDateTime) {
            return TSRANGE;
        }
        if (bound instanceof OffsetDateTime || bound instanceof Instant || bound instanceof ZonedDateTime) {
            return TSTZRANGE;
        }
        throw new io.pqbridge.errors.ProgrammingException("cannot adapt a range of " + bound.getClass().getName()
                + ": PostgreSQL's built-in ranges hold Integer, Long, BigDecimal, LocalDate, LocalDateTime or"
                + " OffsetDateTime; register a Dumper for another range type");
    }

    @Override
    int autoFormat() {
        return this == UNTYPED ? TEXT : BINARY;
    }

    @Override
    int paramOid(int format) {
        return this == UNTYPED ? 0 : oid;
    }

    private Range<?> value(Object v) {
        if (v instanceof Range<?> r) {
            return r;
        }
        throw cannotDump(v, "an io.pqbridge.types.Range");
    }

    @Override
    void text(Object v, ByteSink out) {
        Range<?> r = value(v);
        if (r.isEmpty()) {
            out.putAscii("empty");
            return;
        }
        out.put(r.lowerInc() ? '[' : '(');
        if (r.lower() != null) {
            bound(r.lower(), out);
        }
        out.put(',');
        if (r.upper() != null) {
            bound(r.upper(), out);
        }
        out.put(r.upperInc() ? ']' : ')');
    }

    /** One bound, quoted as range_bound_escape quotes it. */
    private void bound(Object value, ByteSink out) {
        ByteSink text = new ByteSink(32);
        element.dumpText(value, text);
        byte[] b = text.array();
        int n = text.size();
        boolean quote = n == 0;
        for (int i = 0; i < n && !quote; i++) {
            byte c = b[i];
            quote = c == '"' || c == '\\' || c == '(' || c == ')' || c == '[' || c == ']' || c == ','
                    || c == ' ' || (c >= '\t' && c <= '\r');
        }
        if (quote) {
            out.put('"');
        }
        for (int i = 0; i < n; i++) {
            if (b[i] == '"' || b[i] == '\\') {
                out.put(b[i]);
            }
            out.put(b[i]);
        }
        if (quote) {
            out.put('"');
        }
    }

    @Override
    void binary(Object v, ByteSink out) {
        Range<?> r = value(v);
        if (this == UNTYPED && !r.isEmpty() && (r.lower() != null || r.upper() != null)) {
            throw cannotDump(v, "a range with a typed bound");
        }
        int flags = r.isEmpty() ? EMPTY : (r.lowerInc() ? LB_INC : 0) | (r.upperInc() ? UB_INC : 0)
                | (r.lower() == null ? LB_INF : 0) | (r.upper() == null ? UB_INF : 0);
        out.put(flags);
        if (!r.isEmpty()) {
            for (Object bound : new Object[] {r.lower(), r.upper()}) {
                if (bound != null) {
                    int at = out.size();
                    out.putInt(0);
                    element.dumpBinary(bound, out);
                    out.setInt(at, out.size() - at - 4);
                }
            }
        }
    }

    @Override
    boolean transcodes() {
        return false;
    }

    @Override
    Object loadText(byte[] data, int offset, int length, AdaptContext ctx) {
        int end = offset + length;
        String all = utf8(data, offset, length);
        if (all.strip().equalsIgnoreCase("empty")) {
            return Range.empty();
        }
        int p = skipBlanks(data, offset, end);
        if (p >= end || (data[p] != '[' && data[p] != '(')) {
            throw bad(all);
        }
        boolean lowerInc = data[p] == '[';
        int[] pos = {p + 1};
        Object lower = parseBound(data, pos, end, ',', ctx, all);
        pos[0]++; // the comma
        Object upper = parseBound(data, pos, end, ')', ctx, all);
        if (pos[0] >= end || (data[pos[0]] != ']' && data[pos[0]] != ')')) {
            throw bad(all);
        }
        boolean upperInc = data[pos[0]] == ']';
        return make(lower, upper, lowerInc, upperInc);
    }

    /** A bound up to its delimiter ({@code ,} or a closing bracket): null when there is nothing. */
    private Object parseBound(byte[] data, int[] pos, int end, char delimiter, AdaptContext ctx, String all) {
        ByteSink text = new ByteSink(32);
        boolean any = false;
        boolean inQuotes = false;
        int p = pos[0];
        while (p < end) {
            byte c = data[p];
            if (!inQuotes && (delimiter == ',' ? c == ',' : c == ')' || c == ']')) {
                break;
            }
            if (c == '\\') {
                if (p + 1 >= end) {
                    throw bad(all);
                }
                text.put(data[p + 1]);
                p += 2;
                any = true;
                continue;
            }
            if (c == '"') {
                if (inQuotes && p + 1 < end && data[p + 1] == '"') {
                    text.put('"');
                    p += 2;
                    continue;
                }
                inQuotes = !inQuotes;
                any = true;
                p++;
                continue;
            }
            text.put(c);
            any = true;
            p++;
        }
        if (p >= end || inQuotes) {
            throw bad(all);
        }
        pos[0] = p;
        return any ? element.loadText(text.array(), 0, text.size(), ctx) : null;
    }

    @Override
    Object loadBinary(byte[] data, int offset, int length, AdaptContext ctx) {
        if (length < 1) {
            throw badBinary(length, "at least 1");
        }
        int flags = data[offset];
        if ((flags & EMPTY) != 0) {
            return Range.empty();
        }
        int p = offset + 1;
        int end = offset + length;
        Object[] bounds = new Object[2];
        for (int i = 0; i < 2; i++) {
            if ((flags & (i == 0 ? LB_INF : UB_INF)) != 0) {
                continue;
            }
            if (p + 4 > end) {
                throw badBinary(length, "a complete bound");
            }
            int n = getInt(data, p);
            if (n < 0 || p + 4 + n > end) {
                throw badBinary(length, "a complete bound");
            }
            bounds[i] = element.loadBinary(data, p + 4, n, ctx);
            p += 4 + n;
        }
        return make(bounds[0], bounds[1], (flags & LB_INC) != 0, (flags & UB_INC) != 0);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Range<?> make(Object lower, Object upper, boolean lowerInc, boolean upperInc) {
        if ((lower != null && !(lower instanceof Comparable)) || (upper != null && !(upper instanceof Comparable))) {
            throw new DataException("a range bound loaded as a value that cannot be compared: " + lower + ", " + upper);
        }
        return new Range((Comparable) lower, (Comparable) upper, (lowerInc ? "[" : "(") + (upperInc ? "]" : ")"));
    }

    private DataException bad(String text) {
        return new DataException("bad " + typeName() + " value: '" + text + "'");
    }
}

package io.pqbridge.adapt;

import io.pqbridge.errors.DataException;
import io.pqbridge.errors.NotSupportedException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * {@code interval} ↔ {@link Duration}.
 *
 * <p><b>Months and days.</b> A Duration is an exact amount of time, an interval has three fields
 * (months, days, microseconds). Loading follows psycopg: a month counts 30 days, a year (12 months)
 * 365 days, a day 24 hours; so {@code 1 mon} loads as 30 days and {@code 1 year} as 365 days.
 * Dumping puts the whole Duration in the microseconds field ({@code PT25H} is sent as
 * {@code 25:00:00}, not {@code 1 day 01:00:00}), the exact, time-zone-independent meaning of a
 * Duration. Nanoseconds below a microsecond are truncated toward zero.
 *
 * <p>Text is read in the default IntervalStyle {@code postgres} only (as psycopg); written as
 * {@code [-]H:MM:SS[.ffffff]}, which every IntervalStyle reads the same way.
 */
final class IntervalCodec extends Codec {

    static final IntervalCodec INTERVAL = new IntervalCodec();

    private IntervalCodec() {
        super(PgTypes.INTERVAL);
    }

    @Override
    boolean plainText() {
        return true;
    }

    /** The Duration in microseconds, truncated toward zero. */
    private long micros(Object v) {
        if (!(v instanceof Duration d)) {
            throw cannotDump(v, "a java.time.Duration");
        }
        long seconds = d.getSeconds();
        int nanos = d.getNano();
        if (seconds < 0 && nanos > 0) {
            seconds++;
            nanos -= 1_000_000_000;
        }
        try {
            return Math.addExact(Math.multiplyExact(seconds, DateTimeText.MICROS_PER_SECOND), nanos / 1000);
        } catch (ArithmeticException e) {
            throw new DataException("interval out of range for PostgreSQL: " + d);
        }
    }

    @Override
    void text(Object v, ByteSink out) {
        long micros = micros(v);
        if (micros < 0) {
            out.put('-');
        }
        long a = Math.abs(micros);   // |Long.MIN_VALUE| is refused by micros() already
        long seconds = a / DateTimeText.MICROS_PER_SECOND;
        out.putDecimal(seconds / 3600);
        out.put(':');
        out.putPadded(seconds / 60 % 60, 2);
        out.put(':');
        out.putPadded(seconds % 60, 2);
        long fraction = a % DateTimeText.MICROS_PER_SECOND;
        if (fraction != 0) {
            out.put('.');
            out.putPadded(fraction, 6);
        }
    }

    @Override
    void binary(Object v, ByteSink out) {
        out.putLong(micros(v));
        out.putInt(0);
        out.putInt(0);
    }

    /** psycopg's reading: a year is 365 days, a month 30 days, a day 24 hours. */
    private static Duration of(long months, long days, long micros) {
        long totalDays = months / 12 * 365 + months % 12 * 30 + days;
        return Duration.ofDays(totalDays).plus(micros, ChronoUnit.MICROS);
    }

    @Override
    Object loadText(byte[] data, int offset, int length, AdaptContext ctx) {
        if (!ctx.postgresIntervalStyle()) {
            throw new NotSupportedException("can't parse interval with IntervalStyle " + ctx.intervalStyle() + ": '"
                    + utf8(data, offset, length) + "'; pqbridge reads the IntervalStyle postgres:"
                    + " SET IntervalStyle TO postgres, or read the values in binary");
        }
        long[] f = parse(data, offset, length);
        return of(f[0], f[1], f[2]);
    }

    /** Keeps the three fields apart, as the server stores them ({@code 1 mon} stays a month). */
    @Override
    void transcode(byte[] data, int offset, int length, AdaptContext ctx, ByteSink out) {
        if (ctx.intervalStyle().equals("sql_standard") && leadingMinus(data, offset, length)) {
            throw new DataException("can't read interval '" + utf8(data, offset, length) + "' in the IntervalStyle"
                    + " sql_standard, whose sign rule (a leading minus may apply to every field) pqbridge does not"
                    + " apply: give every field its sign, or use the IntervalStyle postgres");
        }
        long[] f = parse(data, offset, length);
        if (f[0] != (int) f[0] || f[1] != (int) f[1]) {
            throw new DataException("interval out of range: '" + utf8(data, offset, length) + "'");
        }
        out.putLong(f[2]);
        out.putInt((int) f[1]);
        out.putInt((int) f[0]);
    }

    /**
     * Whether a minus comes before the interval's first digit. Under the IntervalStyle
     * {@code sql_standard} the server then negates every field that has no sign of its own
     * ({@code -1 2:03:04} is minus one day and minus two hours), when no other field has an
     * explicit sign; text without such a minus reads the same in every IntervalStyle, as does any
     * text in {@code postgres_verbose} and {@code iso_8601}, which differ from {@code postgres}
     * in how the server prints intervals, not in how it reads them.
     */
    private static boolean leadingMinus(byte[] data, int offset, int length) {
        for (int i = offset; i < offset + length && (data[i] < '0' || data[i] > '9'); i++) {
            if (data[i] == '-') {
                return true;
            }
        }
        return false;
    }

    /**
     * The months, days and microseconds of an interval's text, as the server reads it in the
     * IntervalStyles {@code postgres}, {@code postgres_verbose} and {@code iso_8601}.
     */
    private static long[] parse(byte[] data, int offset, int length) {
        DateTimeText.Cursor c = new DateTimeText.Cursor(data, offset, length, "interval");
        if (c.done()) {
            throw c.error(); // the server reads no empty interval
        }
        long months = 0;
        long days = 0;
        long micros = 0;
        int seen = 0; // each field at most once, as DecodeInterval allows: 1 years, 2 months, 4 days, 8 time
        while (!c.done()) {
            boolean negative = c.at('-');
            if (negative || c.at('+')) {
                c.p++;
            }
            int start = c.p;
            long n = number(c);
            if (c.at(':')) {
                c.p = start;
                long hours = number(c);
                c.expect(':');
                long minutes = c.number(2);
                c.expect(':');
                long seconds = c.number(2);
                if (minutes > 59 || seconds > 59) {
                    throw c.error();
                }
                seen = once(c, seen, 8);
                long t;
                try { // past int64 microseconds the server says "interval field value out of range"
                    t = Math.multiplyExact(Math.addExact(Math.multiplyExact(Math.addExact(Math.multiplyExact(hours, 60),
                            minutes), 60), seconds), DateTimeText.MICROS_PER_SECOND);
                    if (c.at('.')) {
                        c.p++;
                        t = Math.addExact(t, c.fraction() / 1000);
                    }
                    micros = Math.addExact(micros, negative ? -t : t);
                } catch (ArithmeticException e) {
                    throw c.error();
                }
            } else {
                c.expect(' ');
                long signed = negative ? -n : n;
                if (word(c, "years") || word(c, "year")) {
                    seen = once(c, seen, 1);
                    months += 12 * signed;
                } else if (word(c, "mons") || word(c, "mon")) {
                    seen = once(c, seen, 2);
                    months += signed;
                } else if (word(c, "days") || word(c, "day")) {
                    seen = once(c, seen, 4);
                    days += signed;
                } else {
                    throw c.error();
                }
            }
            if (c.at(' ')) {
                c.p++;
            }
        }
        return new long[] {months, days, micros};
    }

    /** Marks a field as read; a field given twice is refused, as the server refuses it. */
    private static int once(DateTimeText.Cursor c, int seen, int field) {
        if ((seen & field) != 0) {
            throw c.error();
        }
        return seen | field;
    }

    private static long number(DateTimeText.Cursor c) {
        long v = 0;
        int digits = 0;
        while (!c.done() && c.peek() >= '0' && c.peek() <= '9') {
            v = v * 10 + (c.peek() - '0');
            c.p++;
            digits++;
        }
        if (digits == 0 || digits > 18) {
            throw c.error();
        }
        return v;
    }

    private static boolean word(DateTimeText.Cursor c, String w) {
        if (c.startsWith(w) && (c.p + w.length() == c.end() || c.byteAt(c.p + w.length()) == ' ')) {
            c.p += w.length();
            return true;
        }
        return false;
    }

    @Override
    Object loadBinary(byte[] data, int offset, int length, AdaptContext ctx) {
        if (length != 16) {
            throw badBinary(length, "16");
        }
        long micros = getLong(data, offset);
        int days = getInt(data, offset + 8);
        int months = getInt(data, offset + 12);
        return of(months, days, micros);
    }
}

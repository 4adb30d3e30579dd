package io.pqbridge.adapt;

import io.pqbridge.errors.DataException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * {@code timestamp} ↔ {@link LocalDateTime}. {@code infinity}/{@code -infinity} are
 * {@link LocalDateTime#MAX}/{@link LocalDateTime#MIN}, both ways. Binary: int64 microseconds since
 * 2000-01-01 00:00:00 (infinities: the int64 extremes). Values outside PostgreSQL's range
 * (4714-11-24 BC to 294276-12-31) are refused before sending.
 */
final class TimestampCodec extends Codec {

    static final TimestampCodec TIMESTAMP = new TimestampCodec();

    private TimestampCodec() {
        super(PgTypes.TIMESTAMP);
    }

    @Override
    boolean plainText() {
        return true;
    }

    private LocalDateTime value(Object v) {
        if (v instanceof LocalDateTime t) {
            if (!t.equals(LocalDateTime.MAX) && !t.equals(LocalDateTime.MIN)) {
                micros(t.toEpochSecond(ZoneOffset.UTC), 0, v);
            }
            return t;
        }
        throw cannotDump(v, "a java.time.LocalDateTime");
    }

    private static final long MIN_EPOCH_SECOND = DateTimeText.MIN_TIMESTAMP.toEpochSecond(ZoneOffset.UTC);
    private static final long MAX_EPOCH_SECOND = DateTimeText.MAX_TIMESTAMP.toEpochSecond(ZoneOffset.UTC);

    /** Microseconds since PostgreSQL's epoch, refusing what PostgreSQL cannot store. */
    static long micros(long epochSecond, int nanos, Object shown) {
        if (epochSecond < MIN_EPOCH_SECOND || epochSecond > MAX_EPOCH_SECOND) {
            throw new DataException("timestamp out of range for PostgreSQL (4714-11-24 BC to 294276-12-31): " + shown);
        }
        return (epochSecond - DateTimeText.PG_EPOCH_SECOND) * DateTimeText.MICROS_PER_SECOND + nanos / 1000;
    }

    /** The UTC date-time of microseconds since PostgreSQL's epoch. */
    static LocalDateTime utc(long micros) {
        long seconds = Math.floorDiv(micros, DateTimeText.MICROS_PER_SECOND);
        int nanos = (int) Math.floorMod(micros, DateTimeText.MICROS_PER_SECOND) * 1000;
        return LocalDateTime.ofEpochSecond(seconds + DateTimeText.PG_EPOCH_SECOND, nanos, ZoneOffset.UTC);
    }

    static void putDateTime(ByteSink out, LocalDateTime t) {
        int year = t.getYear();
        if (year >= -9998 && year <= 9999) {
            // the shown year (BC years count from 1) fits four digits: the fixed-width fields at once
            out.putDateTime(year <= 0 ? 1 - year : year, t.getMonthValue(), t.getDayOfMonth(), t.getHour(),
                    t.getMinute(), t.getSecond());
            DateTimeText.putFraction(out, t.getNano());
            return;
        }
        DateTimeText.putDate(out, year, t.getMonthValue(), t.getDayOfMonth());
        out.put(' ');
        DateTimeText.putTime(out, t.getHour(), t.getMinute(), t.getSecond(), t.getNano());
    }

    @Override
    void text(Object v, ByteSink out) {
        LocalDateTime t = value(v);
        if (t.equals(LocalDateTime.MAX)) {
            out.putAscii("infinity");
        } else if (t.equals(LocalDateTime.MIN)) {
            out.putAscii("-infinity");
        } else {
            putDateTime(out, t);
            DateTimeText.putEra(out, t.getYear());
        }
    }

    @Override
    void binary(Object v, ByteSink out) {
        LocalDateTime t = value(v);
        out.putLong(t.equals(LocalDateTime.MAX) ? Long.MAX_VALUE
                : t.equals(LocalDateTime.MIN) ? Long.MIN_VALUE : micros(t.toEpochSecond(ZoneOffset.UTC), t.getNano(), t));
    }

    /**
     * The date-time {@code nanosOfDay} after the start of {@code date}: a time of 24:00:00 (written
     * so, or a fraction rounded up to it, or a leap second 23:59:60) is the next day's midnight, as
     * the server reads it.
     */
    static LocalDateTime dateTime(LocalDate date, long nanosOfDay) {
        return date.atStartOfDay().plusNanos(nanosOfDay);
    }

    /** Reads {@code date time} into the cursor; returns the nanoseconds of the day. */
    static long readDateTime(DateTimeText.Cursor c) {
        c.date();
        if (!c.at(' ') && !c.at('T')) {
            throw c.error();
        }
        c.p++;
        return c.time();
    }

    @Override
    Object loadText(byte[] data, int offset, int length, AdaptContext ctx) {
        return read(data, offset, length, DateTimeText.dateOrder(ctx));
    }

    /** Text a user wrote (a binary-wire load): its date read in the order the session reads dates. */
    @Override
    void transcode(byte[] data, int offset, int length, AdaptContext ctx, ByteSink out) {
        binary(read(data, offset, length, DateTimeText.inputOrder(ctx)), out);
    }

    /**
     * A timestamp's text, its date in {@code order}: the Postgres DateStyle's layout when it
     * starts with a letter (a day's name), else date, {@code ' '} or {@code 'T'}, time.
     */
    private static LocalDateTime read(byte[] data, int offset, int length, DateTimeText.DateOrder order) {
        if (DateTimeText.isWord(data, offset, length, "infinity")) {
            return LocalDateTime.MAX;
        }
        if (DateTimeText.isWord(data, offset, length, "-infinity")) {
            return LocalDateTime.MIN;
        }
        DateTimeText.Cursor c = new DateTimeText.Cursor(data, offset, length, "timestamp");
        long nanos;
        if (length > 0 && Character.isLetter(data[offset])) {
            nanos = c.postgresTimestamp(order);
        } else {
            c.date(order);
            if (!c.at(' ') && !c.at('T')) {
                throw c.error();
            }
            c.p++;
            nanos = c.time();
        }
        boolean bc = c.bc();
        c.expectEnd();
        return dateTime(c.localDate(bc), nanos);
    }

    @Override
    Object loadBinary(byte[] data, int offset, int length, AdaptContext ctx) {
        if (length != 8) {
            throw badBinary(length, "8");
        }
        long micros = getLong(data, offset);
        if (micros == Long.MAX_VALUE) {
            return LocalDateTime.MAX;
        }
        if (micros == Long.MIN_VALUE) {
            return LocalDateTime.MIN;
        }
        return utc(micros);
    }
}

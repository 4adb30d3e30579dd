package io.pqbridge.adapt;

import io.pqbridge.errors.DataException;
import java.time.LocalTime;

/**
 * {@code time} ↔ {@link LocalTime}; binary int64 microseconds since midnight. PostgreSQL's
 * {@code 24:00:00} has no LocalTime and fails to load with a {@link DataException} (psycopg
 * refuses it too).
 */
final class TimeCodec extends Codec {

    static final TimeCodec TIME = new TimeCodec();

    private TimeCodec() {
        super(PgTypes.TIME);
    }

    @Override
    boolean plainText() {
        return true;
    }

    private LocalTime value(Object v) {
        if (v instanceof LocalTime t) {
            return t;
        }
        throw cannotDump(v, "a java.time.LocalTime");
    }

    @Override
    void text(Object v, ByteSink out) {
        LocalTime t = value(v);
        DateTimeText.putTime(out, t.getHour(), t.getMinute(), t.getSecond(), t.getNano());
    }

    @Override
    void binary(Object v, ByteSink out) {
        out.putLong(value(v).toNanoOfDay() / 1000);
    }

    static LocalTime ofNanos(long nanos, DateTimeText.Cursor c) {
        if (nanos >= 86_400_000_000_000L) {
            throw new DataException(c.error().getMessage() + ": 24:00:00 has no java.time.LocalTime");
        }
        return LocalTime.ofNanoOfDay(nanos);
    }

    @Override
    Object loadText(byte[] data, int offset, int length, AdaptContext ctx) {
        DateTimeText.Cursor c = new DateTimeText.Cursor(data, offset, length, "time");
        long nanos = c.time();
        c.expectEnd();
        return ofNanos(nanos, c);
    }

    /** Microseconds of the day, {@code 24:00:00} included (the server takes it; LocalTime has no such time). */
    @Override
    void transcode(byte[] data, int offset, int length, AdaptContext ctx, ByteSink out) {
        DateTimeText.Cursor c = new DateTimeText.Cursor(data, offset, length, "time");
        long nanos = c.time();
        c.expectEnd();
        out.putLong(nanos / 1000);
    }

    @Override
    Object loadBinary(byte[] data, int offset, int length, AdaptContext ctx) {
        if (length != 8) {
            throw badBinary(length, "8");
        }
        long micros = getLong(data, offset);
        if (micros < 0 || micros >= DateTimeText.MICROS_PER_DAY) {
            throw new DataException("time value " + micros + " µs is outside 00:00:00..23:59:59.999999"
                    + " (24:00:00 has no java.time.LocalTime)");
        }
        return LocalTime.ofNanoOfDay(micros * 1000);
    }
}

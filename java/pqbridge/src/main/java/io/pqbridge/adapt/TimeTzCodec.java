package io.pqbridge.adapt;

import io.pqbridge.errors.DataException;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;

/**
 * {@code timetz} ↔ {@link OffsetTime}. Binary: int64 microseconds of the local time, then int32
 * zone offset in seconds <em>west</em> of UTC (the opposite sign of Java's).
 */
final class TimeTzCodec extends Codec {

    static final TimeTzCodec TIMETZ = new TimeTzCodec();

    private TimeTzCodec() {
        super(PgTypes.TIMETZ);
    }

    @Override
    boolean plainText() {
        return true;
    }

    private OffsetTime value(Object v) {
        if (v instanceof OffsetTime t) {
            return t;
        }
        throw cannotDump(v, "a java.time.OffsetTime");
    }

    @Override
    void text(Object v, ByteSink out) {
        OffsetTime t = value(v);
        DateTimeText.putTime(out, t.getHour(), t.getMinute(), t.getSecond(), t.getNano());
        DateTimeText.putOffset(out, t.getOffset().getTotalSeconds());
    }

    @Override
    void binary(Object v, ByteSink out) {
        OffsetTime t = value(v);
        out.putLong(t.toLocalTime().toNanoOfDay() / 1000);
        out.putInt(-t.getOffset().getTotalSeconds());
    }

    @Override
    Object loadText(byte[] data, int offset, int length, AdaptContext ctx) {
        DateTimeText.Cursor c = new DateTimeText.Cursor(data, offset, length, "timetz");
        long nanos = c.time();
        int seconds = c.offset();
        c.expectEnd();
        return OffsetTime.of(TimeCodec.ofNanos(nanos, c), zone(seconds, c));
    }

    /** Microseconds and the offset west of UTC, {@code 24:00:00} included (OffsetTime has no such time). */
    @Override
    void transcode(byte[] data, int offset, int length, AdaptContext ctx, ByteSink out) {
        DateTimeText.Cursor c = new DateTimeText.Cursor(data, offset, length, "timetz");
        long nanos = c.time();
        int seconds = c.offsetOrSession(ctx);
        c.expectEnd();
        if (Math.abs(seconds) > AdaptContext.MAX_OFFSET_SECONDS) {
            throw c.error();
        }
        out.putLong(nanos / 1000);
        out.putInt(-seconds);
    }

    private static ZoneOffset zone(int seconds, DateTimeText.Cursor c) {
        try {
            return DateTimeText.zoneOffset(seconds);
        } catch (java.time.DateTimeException e) {
            throw c.error();
        }
    }

    @Override
    Object loadBinary(byte[] data, int offset, int length, AdaptContext ctx) {
        if (length != 12) {
            throw badBinary(length, "12");
        }
        long micros = getLong(data, offset);
        int west = getInt(data, offset + 8);
        if (micros < 0 || micros >= DateTimeText.MICROS_PER_DAY) {
            throw new DataException("timetz value " + micros + " µs is outside 00:00:00..23:59:59.999999"
                    + " (24:00:00 has no java.time.OffsetTime)");
        }
        try {
            return OffsetTime.of(LocalTime.ofNanoOfDay(micros * 1000), DateTimeText.zoneOffset(-west));
        } catch (java.time.DateTimeException e) {
            throw new DataException("timetz offset out of range: " + (-west) + " s");
        }
    }
}

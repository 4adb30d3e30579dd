package io.pqbridge.adapt;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * {@code timestamptz} ↔ {@link OffsetDateTime}; dumping also takes {@link Instant} and
 * {@link ZonedDateTime}. Loaded values carry the session's offset at that instant: the text format
 * spells it, the binary format (a UTC instant) gets it from {@link AdaptContext#timeZone()}, so
 * both formats give equal values (psycopg converts to the connection's time zone the same way).
 * {@code infinity}/{@code -infinity} are {@link OffsetDateTime#MAX}/{@link OffsetDateTime#MIN}
 * (and {@link Instant#MAX}/{@link Instant#MIN} dump to them too).
 */
final class TimestampTzCodec extends Codec {

    static final TimestampTzCodec TIMESTAMPTZ = new TimestampTzCodec();

    private TimestampTzCodec() {
        super(PgTypes.TIMESTAMPTZ);
    }

    @Override
    boolean plainText() {
        return true;
    }

    /** The value as an OffsetDateTime, the infinities normalised to OffsetDateTime.MAX/MIN. */
    private OffsetDateTime value(Object v) {
        OffsetDateTime t;
        if (v instanceof OffsetDateTime o) {
            t = o;
        } else if (v instanceof Instant i) {
            if (i.equals(Instant.MAX)) {
                return OffsetDateTime.MAX;
            }
            if (i.equals(Instant.MIN)) {
                return OffsetDateTime.MIN;
            }
            t = i.atOffset(ZoneOffset.UTC);
        } else if (v instanceof ZonedDateTime z) {
            t = z.toOffsetDateTime();
        } else {
            throw cannotDump(v, "a java.time.OffsetDateTime, Instant or ZonedDateTime");
        }
        if (!t.equals(OffsetDateTime.MAX) && !t.equals(OffsetDateTime.MIN)) {
            TimestampCodec.micros(t.toEpochSecond(), 0, v);
        }
        return t;
    }

    @Override
    void text(Object v, ByteSink out) {
        if (v instanceof OffsetDateTime o && o.getYear() >= 1 && o.getYear() <= 9999) {
            // the common case, written without value()'s checks: whatever the offset, a year of
            // 1 to 9999 is inside PostgreSQL's range and is no infinity; no era suffix either
            TimestampCodec.putDateTime(out, o.toLocalDateTime());
            DateTimeText.putOffset(out, o.getOffset().getTotalSeconds());
            return;
        }
        OffsetDateTime t = value(v);
        if (t.equals(OffsetDateTime.MAX)) {
            out.putAscii("infinity");
        } else if (t.equals(OffsetDateTime.MIN)) {
            out.putAscii("-infinity");
        } else {
            TimestampCodec.putDateTime(out, t.toLocalDateTime());
            DateTimeText.putOffset(out, t.getOffset().getTotalSeconds());
            DateTimeText.putEra(out, t.getYear());
        }
    }

    @Override
    void binary(Object v, ByteSink out) {
        OffsetDateTime t = value(v);
        if (t.equals(OffsetDateTime.MAX)) {
            out.putLong(Long.MAX_VALUE);
        } else if (t.equals(OffsetDateTime.MIN)) {
            out.putLong(Long.MIN_VALUE);
        } else {
            out.putLong(TimestampCodec.micros(t.toEpochSecond(), t.getNano(), t));
        }
    }

    @Override
    Object loadText(byte[] data, int offset, int length, AdaptContext ctx) {
        if (DateTimeText.isWord(data, offset, length, "infinity")) {
            return OffsetDateTime.MAX;
        }
        if (DateTimeText.isWord(data, offset, length, "-infinity")) {
            return OffsetDateTime.MIN;
        }
        DateTimeText.requireIsoDateStyle(ctx, "timestamptz", data, offset, length);
        long fields = IsoTimestampTz.fields(data, offset, length);
        if (fields != IsoTimestampTz.NOT_SIMPLE) { // the layout the server prints, without a cursor
            return IsoTimestampTz.value(fields, data, offset, length);
        }
        DateTimeText.Cursor c = new DateTimeText.Cursor(data, offset, length, "timestamptz");
        long nanos = TimestampCodec.readDateTime(c);
        int seconds = c.offset();
        boolean bc = c.bc();
        c.expectEnd();
        try {
            return OffsetDateTime.of(TimestampCodec.dateTime(c.localDate(bc), nanos), DateTimeText.zoneOffset(seconds));
        } catch (java.time.DateTimeException e) {
            throw c.error();
        }
    }

    /**
     * Straight from the text to microseconds, without the Java value (the hot path of a
     * timestamptz column in a binary-wire load): the layout the server prints by fixed positions,
     * anything else through the general parser.
     */
    @Override
    void transcode(byte[] data, int offset, int length, AdaptContext ctx, ByteSink out) {
        if (DateTimeText.isWord(data, offset, length, "infinity")) {
            out.putLong(Long.MAX_VALUE);
            return;
        }
        if (DateTimeText.isWord(data, offset, length, "-infinity")) {
            out.putLong(Long.MIN_VALUE);
            return;
        }
        // no DateStyle check: the text is read year first, which every session reads alike
        long simple = IsoTimestampTz.micros(data, offset, length);
        if (simple != IsoTimestampTz.NOT_SIMPLE) {
            out.putLong(simple);
            return;
        }
        DateTimeText.Cursor c = new DateTimeText.Cursor(data, offset, length, "timestamptz");
        long nanos = TimestampCodec.readDateTime(c);
        int offsetSeconds = c.offsetOrSession(ctx);
        boolean bc = c.bc();
        c.expectEnd();
        long micros = nanos / 1000;
        long epochSecond = c.localDate(bc).toEpochDay() * 86_400 + micros / DateTimeText.MICROS_PER_SECOND
                - offsetSeconds;
        out.putLong(TimestampCodec.micros(epochSecond, (int) (micros % DateTimeText.MICROS_PER_SECOND) * 1000, c));
    }

    @Override
    Object loadBinary(byte[] data, int offset, int length, AdaptContext ctx) {
        if (length != 8) {
            throw badBinary(length, "8");
        }
        long micros = getLong(data, offset);
        if (micros == Long.MAX_VALUE) {
            return OffsetDateTime.MAX;
        }
        if (micros == Long.MIN_VALUE) {
            return OffsetDateTime.MIN;
        }
        long seconds = Math.floorDiv(micros, DateTimeText.MICROS_PER_SECOND) + DateTimeText.PG_EPOCH_SECOND;
        int nanos = (int) Math.floorMod(micros, DateTimeText.MICROS_PER_SECOND) * 1000;
        return OffsetDateTime.ofInstant(Instant.ofEpochSecond(seconds, nanos), ctx.timeZone());
    }
}

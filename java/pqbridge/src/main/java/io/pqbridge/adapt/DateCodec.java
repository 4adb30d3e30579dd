package io.pqbridge.adapt;

import io.pqbridge.errors.DataException;
import java.time.LocalDate;

/**
 * {@code date} ↔ {@link LocalDate}. PostgreSQL's {@code infinity} and {@code -infinity} are
 * {@link LocalDate#MAX} and {@link LocalDate#MIN}, both ways. Binary: int32 days since 2000-01-01.
 * Dates outside PostgreSQL's range (4714-11-24 BC to 5874897-12-31) are refused before sending.
 */
final class DateCodec extends Codec {

    static final DateCodec DATE = new DateCodec();

    private DateCodec() {
        super(PgTypes.DATE);
    }

    @Override
    boolean plainText() {
        return true;
    }

    private LocalDate value(Object v) {
        if (v instanceof LocalDate d) {
            if (!d.equals(LocalDate.MAX) && !d.equals(LocalDate.MIN)
                    && (d.isBefore(DateTimeText.MIN_DATE) || d.isAfter(DateTimeText.MAX_DATE))) {
                throw new DataException("date out of range for PostgreSQL (4714-11-24 BC to 5874897-12-31): " + d);
            }
            return d;
        }
        throw cannotDump(v, "a java.time.LocalDate");
    }

    @Override
    void text(Object v, ByteSink out) {
        LocalDate d = value(v);
        if (d.equals(LocalDate.MAX)) {
            out.putAscii("infinity");
        } else if (d.equals(LocalDate.MIN)) {
            out.putAscii("-infinity");
        } else {
            DateTimeText.putDate(out, d.getYear(), d.getMonthValue(), d.getDayOfMonth());
            DateTimeText.putEra(out, d.getYear());
        }
    }

    @Override
    void binary(Object v, ByteSink out) {
        LocalDate d = value(v);
        if (d.equals(LocalDate.MAX)) {
            out.putInt(Integer.MAX_VALUE);
        } else if (d.equals(LocalDate.MIN)) {
            out.putInt(Integer.MIN_VALUE);
        } else {
            out.putInt((int) (d.toEpochDay() - DateTimeText.PG_EPOCH_DAY));
        }
    }

    @Override
    Object loadText(byte[] data, int offset, int length, AdaptContext ctx) {
        return read(data, offset, length, DateTimeText.dateOrder(ctx));
    }

    /** Text a user wrote (a binary-wire load): read in the order the session reads dates. */
    @Override
    void transcode(byte[] data, int offset, int length, AdaptContext ctx, ByteSink out) {
        binary(read(data, offset, length, DateTimeText.inputOrder(ctx)), out);
    }

    private static LocalDate read(byte[] data, int offset, int length, DateTimeText.DateOrder order) {
        if (DateTimeText.isWord(data, offset, length, "infinity")) {
            return LocalDate.MAX;
        }
        if (DateTimeText.isWord(data, offset, length, "-infinity")) {
            return LocalDate.MIN;
        }
        DateTimeText.Cursor c = new DateTimeText.Cursor(data, offset, length, "date");
        c.date(order);
        boolean bc = c.bc();
        c.expectEnd();
        return c.localDate(bc);
    }

    @Override
    Object loadBinary(byte[] data, int offset, int length, AdaptContext ctx) {
        if (length != 4) {
            throw badBinary(length, "4");
        }
        int days = getInt(data, offset);
        if (days == Integer.MAX_VALUE) {
            return LocalDate.MAX;
        }
        if (days == Integer.MIN_VALUE) {
            return LocalDate.MIN;
        }
        return LocalDate.ofEpochDay(days + DateTimeText.PG_EPOCH_DAY);
    }
}

package io.pqbridge.adapt;

import java.time.OffsetDateTime;

/**
 * The one layout PostgreSQL prints a timestamptz in, in the ISO DateStyle, for years 1 to 9999
 * ({@code 2024-03-05 12:34:56.123456+00}), read by fixed positions without objects: the hot path
 * of a timestamptz column, when rows are loaded into Java values and when a binary-wire load
 * converts text. Whatever else the text is, it is left to {@link DateTimeText.Cursor}, the
 * general parser, which decides: {@link #NOT_SIMPLE} says so.
 */
final class IsoTimestampTz {

    /** Returned by {@link #micros} and {@link #fields} for text they leave to the general parser. */
    static final long NOT_SIMPLE = Long.MIN_VALUE + 1;

    // The fields of a timestamp, packed in one long (no object per value): the shift of each
    // field's lowest bit. Each field ends where the next begins; the year (up to 9999) has 14 bits.
    private static final int MICROS = 0;
    private static final int SECOND = 20;
    private static final int MINUTE = 26;
    private static final int HOUR = 32;
    private static final int DAY = 37;
    private static final int MONTH = 42;
    private static final int YEAR = 46;

    private IsoTimestampTz() {
    }

    /** The microseconds since PostgreSQL's epoch of a timestamptz in the layout {@link #fields} reads. */
    static long micros(byte[] b, int offset, int length) {
        long fields = fields(b, offset, length);
        if (fields == NOT_SIMPLE) {
            return NOT_SIMPLE;
        }
        long days = epochDay(field(fields, YEAR), field(fields, MONTH), field(fields, DAY)) - DateTimeText.PG_EPOCH_DAY;
        long seconds = days * 86_400 + field(fields, HOUR) * 3600L + field(fields, MINUTE) * 60L + field(fields, SECOND)
                - offsetSeconds(b, offset, length);
        return seconds * DateTimeText.MICROS_PER_SECOND + field(fields, MICROS);
    }

    /**
     * A timestamptz that {@link #fields} read, as the Java value: built from its fields, without
     * going through a count of days and back.
     */
    static OffsetDateTime value(long fields, byte[] b, int offset, int length) {
        return OffsetDateTime.of(field(fields, YEAR), field(fields, MONTH), field(fields, DAY), field(fields, HOUR),
                field(fields, MINUTE), field(fields, SECOND), field(fields, MICROS) * 1000,
                DateTimeText.zoneOffset(offsetSeconds(b, offset, length)));
    }

    private static int field(long fields, int shift) {
        int next = switch (shift) {
            case MICROS -> SECOND;
            case SECOND -> MINUTE;
            case MINUTE -> HOUR;
            case HOUR -> DAY;
            case DAY -> MONTH;
            case MONTH -> YEAR;
            default -> YEAR + 14;
        };
        return (int) ((fields >>> shift) & ((1L << (next - shift)) - 1));
    }

    /**
     * The local date and time of a timestamptz in the one layout PostgreSQL prints in the ISO
     * DateStyle for years 1 to 9999: {@code YYYY-MM-DD HH:MM:SS[.f{1,6}]} followed by {@code +HH}
     * or {@code +HH:MM} (or {@code -}), a {@code T} allowed for the space; {@link #offsetSeconds}
     * then reads the offset. Read by fixed positions, without objects, into the fields packed in
     * one long. Anything else (BC, five-digit years, 24:00:00, leap seconds, more than six fraction
     * digits, an offset with seconds, a bad date) gives {@link #NOT_SIMPLE}: the general parser
     * decides.
     */
    static long fields(byte[] b, int offset, int length) {
        int end = offset + length;
        if (length < 22 || b[offset + 4] != '-' || b[offset + 7] != '-' || (b[offset + 10] != ' ' && b[offset + 10] != 'T')
                || b[offset + 13] != ':' || b[offset + 16] != ':') {
            return NOT_SIMPLE;
        }
        int year = digits(b, offset, 4);
        int month = digits(b, offset + 5, 2);
        int day = digits(b, offset + 8, 2);
        int hour = digits(b, offset + 11, 2);
        int minute = digits(b, offset + 14, 2);
        int second = digits(b, offset + 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || year == 0 || month < 1 || month > 12 || day < 1
                || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
            return NOT_SIMPLE;
        }
        int p = offset + 19;
        long fraction = 0;
        if (b[p] == '.') {
            int digits = 0;
            for (p++; p < end && b[p] >= '0' && b[p] <= '9'; p++) {
                fraction = fraction * 10 + (b[p] - '0');
                digits++;
            }
            if (digits == 0 || digits > 6) {
                return NOT_SIMPLE;
            }
            for (; digits < 6; digits++) {
                fraction *= 10;
            }
        }
        if (end - p != 3 && end - p != 6) {
            return NOT_SIMPLE;
        }
        if (b[p] != '+' && b[p] != '-') {
            return NOT_SIMPLE;
        }
        int offsetHours = digits(b, p + 1, 2);
        int offsetMinutes = 0;
        if (end - p == 6) {
            offsetMinutes = b[p + 3] == ':' ? digits(b, p + 4, 2) : -1;
        }
        if (offsetHours < 0 || offsetHours > 15 || offsetMinutes < 0 || offsetMinutes > 59) {
            return NOT_SIMPLE;
        }
        return (long) year << YEAR | (long) month << MONTH | (long) day << DAY | (long) hour << HOUR
                | (long) minute << MINUTE | (long) second << SECOND | fraction;
    }

    /**
     * The UTC offset, in seconds, at the end of a timestamptz that {@link #fields}
     * accepted: {@code +HH} or {@code +HH:MM} (or {@code -}).
     */
    static int offsetSeconds(byte[] b, int offset, int length) {
        int end = offset + length;
        int sign = end - 3;
        int seconds = digits(b, end - 2, 2) * 60;
        if (b[sign] == ':') { // +HH:MM
            sign = end - 6;
            seconds += digits(b, end - 5, 2) * 3600;
        } else {
            seconds *= 60;
        }
        return b[sign] == '-' ? -seconds : seconds;
    }

    /** The value of {@code count} ASCII digits at {@code p}, or -1 when one is not a digit. */
    private static int digits(byte[] b, int p, int count) {
        int v = 0;
        for (int i = 0; i < count; i++) {
            int d = b[p + i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static int daysInMonth(int year, int month) {
        if (month == 2) {
            return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
        }
        return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date with a positive year (H. Hinnant's days_from_civil). */
    private static long epochDay(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = y / 400;
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468;
    }
}

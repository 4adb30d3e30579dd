package io.pqbridge.adapt;

import io.pqbridge.errors.DataException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The pieces shared by the date and time codecs: PostgreSQL's epoch and ranges, and the text
 * forms, written (ISO, which every DateStyle reads) and parsed (every DateStyle's date order)
 * straight on bytes.
 *
 * <p>Years: PostgreSQL writes the year before 1 AD as a positive year followed by {@code BC}
 * ({@code 0044-03-15 BC}); Java's proleptic year is {@code 1 - that} (1 BC is year 0). Years of
 * more than four digits are written in full. Fractions of a second are microseconds; Java
 * nanoseconds below a microsecond are truncated (dropped) on the way out, in both formats alike.
 */
final class DateTimeText {

    /** 2000-01-01, PostgreSQL's epoch, in days and seconds since 1970-01-01. */
    static final long PG_EPOCH_DAY = 10957;
    static final long PG_EPOCH_SECOND = 946684800L;
    static final long MICROS_PER_SECOND = 1_000_000L;
    static final long MICROS_PER_DAY = 86_400L * MICROS_PER_SECOND;

    /** PostgreSQL's range of dates (4714-11-24 BC to 5874897-12-31) and timestamps (to 294276-12-31). */
    static final LocalDate MIN_DATE = LocalDate.of(-4713, 11, 24);
    static final LocalDate MAX_DATE = LocalDate.of(5874897, 12, 31);
    static final LocalDateTime MIN_TIMESTAMP = MIN_DATE.atStartOfDay();
    static final LocalDateTime MAX_TIMESTAMP = LocalDateTime.of(294276, 12, 31, 23, 59, 59, 999_999_999);

    private DateTimeText() {
    }

    /** Writes {@code YYYY-MM-DD} for a proleptic year (the era suffix is the caller's, at the end). */
    static void putDate(ByteSink out, int year, int month, int day) {
        int shown = year <= 0 ? 1 - year : year;
        if (shown > 9999) {
            out.putDecimal(shown);
        } else {
            out.putPadded(shown, 4);
        }
        out.putSeparatedPair('-', month);
        out.putSeparatedPair('-', day);
    }

    /** Writes {@code HH:MM:SS} and {@code .ffffff} when there is a fraction. */
    static void putTime(ByteSink out, int hour, int minute, int second, int nanos) {
        out.putPair(hour);
        out.putSeparatedPair(':', minute);
        out.putSeparatedPair(':', second);
        putFraction(out, nanos);
    }

    /** Writes {@code .ffffff}, the microseconds of {@code nanos}, unless there are none. */
    static void putFraction(ByteSink out, int nanos) {
        int micros = nanos / 1000;
        if (micros != 0) {
            out.put('.');
            out.putPadded(micros, 6);
        }
    }

    /**
     * Writes a UTC offset as the server prints one: {@code +HH}, with {@code :MM} when it has
     * minutes or seconds and {@code :SS} when it has seconds (three bytes fewer per timestamp
     * than {@code +HH:MM} in a text COPY, for the same value).
     */
    static void putOffset(ByteSink out, int totalSeconds) {
        int s = Math.abs(totalSeconds);
        out.putSeparatedPair(totalSeconds < 0 ? '-' : '+', s / 3600);
        int belowHour = s % 3600;
        if (belowHour != 0) {
            out.putSeparatedPair(':', belowHour / 60);
            if (s % 60 != 0) {
                out.putSeparatedPair(':', s % 60);
            }
        }
    }

    static void putEra(ByteSink out, int year) {
        if (year <= 0) {
            out.putAscii(" BC");
        }
    }

    /** The order of a date's fields in the session's DateStyle, as PostgreSQL writes dates. */
    enum DateOrder { YMD, DMY, MDY }

    /**
     * ISO writes year-month-day; German day.month.year; SQL and Postgres day first when the
     * DateStyle says DMY, else month first (psycopg reads them the same way).
     */
    static DateOrder dateOrder(AdaptContext ctx) {
        String ds = ctx.dateStyle();
        if (ds.startsWith("ISO")) {
            return DateOrder.YMD;
        }
        if (ds.startsWith("German")) {
            return DateOrder.DMY;
        }
        return ds.endsWith("DMY") ? DateOrder.DMY : DateOrder.MDY;
    }

    /**
     * The order in which the server READS a date's fields in this session: the DateStyle's
     * second part, whatever its first ({@code SET DateStyle = 'SQL, YMD'} prints month first but
     * reads {@code 01/02/03} as 2001-02-03; {@code 'ISO, DMY'} prints year first but reads it as
     * 1 February). Text a user wrote is read in this order; text the server printed, in
     * {@link #dateOrder}'s.
     */
    static DateOrder inputOrder(AdaptContext ctx) {
        String ds = ctx.dateStyle();   // the server reports both parts, "ISO, DMY"; called per value: no allocation
        if (ds.endsWith("YMD")) {
            return DateOrder.YMD;
        }
        if (ds.endsWith("DMY")) {
            return DateOrder.DMY;
        }
        return ds.endsWith("MDY") ? DateOrder.MDY : dateOrder(ctx);
    }

    /**
     * timestamptz text is read in the ISO DateStyle only, as psycopg does (the other styles print
     * zone abbreviations); binary values do not depend on the style.
     */
    static void requireIsoDateStyle(AdaptContext ctx, String type, byte[] b, int offset, int length) {
        if (!ctx.isoDateStyle()) {
            throw new io.pqbridge.errors.NotSupportedException("can't parse " + type + " with DateStyle '" + ctx.dateStyle()
                    + "': '" + Codec.utf8(b, offset, length) + "'; pqbridge reads " + type + " text in the ISO"
                    + " DateStyle: SET DateStyle TO ISO, or read the values in binary");
        }
    }

    private static final String[] DAYS = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

    /** The UTC offsets of whole quarter hours from -18:00 to +18:00, made once (ZoneOffset's own cache is a map lookup). */
    private static final ZoneOffset[] QUARTER_HOUR_OFFSETS = new ZoneOffset[145];

    static {
        for (int i = 0; i < QUARTER_HOUR_OFFSETS.length; i++) {
            QUARTER_HOUR_OFFSETS[i] = ZoneOffset.ofTotalSeconds((i - 72) * 900);
        }
    }

    /** {@link ZoneOffset#ofTotalSeconds}, without its map lookup for the offsets time zones use. */
    static ZoneOffset zoneOffset(int totalSeconds) {
        if (totalSeconds % 900 == 0 && totalSeconds >= -64_800 && totalSeconds <= 64_800) {
            return QUARTER_HOUR_OFFSETS[totalSeconds / 900 + 72];
        }
        return ZoneOffset.ofTotalSeconds(totalSeconds);
    }

    static boolean isWord(byte[] b, int offset, int length, String word) {
        if (length != word.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (b[offset + i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads the ISO text forms left to right. Any mismatch throws a {@link DataException} that
     * quotes the whole value and names the type.
     */
    static final class Cursor {
        private final byte[] b;
        private final int start;
        private final int end;
        private final String type;
        int p;
        /** Set by {@link #date()}: the year as written (before any BC adjustment), month, day. */
        int year;
        int month;
        int day;
        /**
         * The year was written with one or two digits where the server reads such a year as one
         * of 1970-2069 (a date in DMY or MDY order, the Postgres style's year); applied by
         * {@link #localDate}, as the server applies it, unless the date is BC.
         */
        boolean shortYear;

        Cursor(byte[] b, int offset, int length, String type) {
            this.b = b;
            this.start = offset;
            this.end = offset + length;
            this.p = offset;
            this.type = type;
        }

        DataException error() {
            return new DataException("can't parse " + type + " '" + Codec.utf8(b, start, end - start) + "'");
        }

        boolean done() {
            return p == end;
        }

        byte peek() {
            return b[p];
        }

        byte byteAt(int index) {
            return b[index];
        }

        int end() {
            return end;
        }

        boolean startsWith(String word) {
            if (end - p < word.length()) {
                return false;
            }
            for (int i = 0; i < word.length(); i++) {
                if (b[p + i] != word.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        boolean at(char c) {
            return p < end && b[p] == c;
        }

        void expect(char c) {
            if (!at(c)) {
                throw error();
            }
            p++;
        }

        /** An unsigned decimal of at least {@code min} digits; at most 9 digits are taken. */
        int number(int min) {
            int v = 0;
            int n = 0;
            while (p < end && b[p] >= '0' && b[p] <= '9' && n < 9) {
                v = v * 10 + (b[p++] - '0');
                n++;
            }
            if (n < min) {
                throw error();
            }
            return v;
        }

        /**
         * A year of 4 or more digits, {@code -}, month, {@code -}, day, into the fields. A month
         * of exactly three digits is refused: the server reads three digits after the year as a
         * day of the year ({@code 2016-006} is January 6), which the day after it then
         * contradicts ({@code 2016-006-20} is invalid syntax); two digits, or four and more, are
         * the month to it as here.
         */
        void date() {
            year = number(4);
            expect('-');
            int monthStart = p;
            month = number(2);
            if (p - monthStart == 3) {
                throw error();
            }
            expect('-');
            day = number(2);
        }

        /**
         * A date in the given field order, the fields separated by one delimiter, {@code -},
         * {@code /} or {@code .}, the same twice (the server also reads some other punctuation
         * and mixtures, by rules that differ between them: <code>1&#125;2&#125;2003</code> is a date
         * to it, <code>9-2&#125;4</code> and {@code 1/2 3} are not; those are refused here). A
         * first field of three digits or more is a year in every order, as the server reads it:
         * then the date is read as {@link #date()} reads it.
         */
        void date(DateOrder order) {
            if (order == DateOrder.YMD || leadingDigits() > 2) {
                date();
                return;
            }
            int first = number(1);
            byte delimiter = p < end ? b[p] : 0;
            if (delimiter != '-' && delimiter != '/' && delimiter != '.') {
                throw error();
            }
            p++;
            int second = number(1);
            expect((char) delimiter);
            readYear();
            day = order == DateOrder.DMY ? first : second;
            month = order == DateOrder.DMY ? second : first;
        }

        /** How many digits follow the cursor (not consumed). */
        private int leadingDigits() {
            int q = p;
            while (q < end && b[q] >= '0' && b[q] <= '9') {
                q++;
            }
            return q - p;
        }

        /** One byte that is neither a letter nor a digit. */
        void separator() {
            if (p == end || Character.isLetterOrDigit(b[p])) {
                throw error();
            }
            p++;
        }

        /**
         * A three-letter English day abbreviation as the server prints it ({@code Thu}), which it
         * then ignores. Any other word is refused: the server reads only its own day names there
         * ({@code Mo} is invalid syntax to it) and some words mean something else.
         */
        void dayName() {
            threeLetterName(DAYS);
        }

        /** A three-letter English month abbreviation, into {@link #month}. */
        void monthName() {
            month = threeLetterName(MONTHS) + 1;
        }

        /** The index in {@code names} of the three-letter name at the cursor, which is consumed. */
        private int threeLetterName(String[] names) {
            for (int i = 0; i < names.length; i++) {
                if (startsWith(names[i])) {
                    p += 3;
                    return i;
                }
            }
            throw error();
        }

        /**
         * The Postgres DateStyle's timestamp: {@code Thu Jan 02 10:00:00.5 2020} (MDY) or
         * {@code Thu 02 Jan 10:00:00.5 2020} (DMY); returns the nanoseconds of the day. The
         * month is a name, so either order reads the same in every session, as the server reads it,
         * with two exceptions the server makes, both refused here: a day of three digits or more
         * (a year to the server), and a year of one or two digits when the session reads dates
         * year first ({@code YMD}: the number after the month is the year to the server then).
         */
        long postgresTimestamp(DateOrder order) {
            dayName();
            separator();
            int dayDigits;
            if (p < end && b[p] >= '0' && b[p] <= '9') {
                int dayStart = p;
                day = number(1);
                dayDigits = p - dayStart;
                separator();
                monthName();
            } else {
                monthName();
                separator();
                int dayStart = p;
                day = number(1);
                dayDigits = p - dayStart;
            }
            separator();
            long nanos = time();
            separator();
            readYear();
            if (dayDigits > 2 || shortYear && order == DateOrder.YMD) {
                throw error();
            }
            return nanos;
        }

        /** A year of any length into {@link #year}, noting whether it is a {@link #shortYear}. */
        private void readYear() {
            int yearStart = p;
            year = number(1);
            shortYear = p - yearStart <= 2;
        }

        /**
         * The date read by {@link #date()}, with a trailing {@code BC} applied when {@code bc}, and
         * a {@link #shortYear} taken as the server takes it.
         */
        java.time.LocalDate localDate(boolean bc) {
            int shown = shortYear && !bc ? year + (year < 70 ? 2000 : 1900) : year;
            if (shown == 0) {
                throw error(); // there is no year 0, AD or BC
            }
            try {
                return java.time.LocalDate.of(bc ? 1 - shown : shown, month, day);
            } catch (java.time.DateTimeException e) {
                throw error();
            }
        }

        /**
         * {@code HH:MM}, or {@code HH:MM:SS} then an optional fraction; returns nanoseconds of the
         * day. The fields are checked as the server checks them: minutes to 59, seconds to 60 (a
         * leap second runs over), hours to 24 for exactly {@code 24:00:00}. {@code MM:SS.fff} is
         * refused: the server reads a fraction after two fields as minutes and seconds.
         */
        long time() {
            int hour = number(2);
            expect(':');
            int minute = number(2);
            int second = 0;
            if (at(':')) {
                p++;
                second = number(2);
            } else if (at('.')) {
                throw error();
            }
            long nanos = ((hour * 60L + minute) * 60L + second) * 1_000_000_000L;
            if (at('.')) {
                p++;
                nanos += fraction();
            }
            if (minute > 59 || second > 60 || nanos > 86_400_000_000_000L) {
                throw error();
            }
            return nanos;
        }

        /**
         * Fraction digits after the point (the cursor just past it), as nanoseconds in whole
         * microseconds. Up to six digits are exact. More are rounded as the server rounds them:
         * {@code rint(strtod(".ddddddd...") * 1000000)}, in doubles, so that a fraction that
         * is a decimal half ({@code .2599945}) goes the way its double goes (up, here), not
         * to the even digit; Java's parsing and arithmetic of doubles are the same IEEE ones.
         */
        long fraction() {
            int start = p;
            long micros = 0;
            while (p < end && b[p] >= '0' && b[p] <= '9') {
                if (p - start < 6) {
                    micros = micros * 10 + (b[p] - '0');
                }
                p++;
            }
            int n = p - start;
            if (n == 0) {
                throw error();
            }
            if (n > 6) {
                double fraction = Double.parseDouble(new String(b, start - 1, n + 1, StandardCharsets.ISO_8859_1));
                return (long) Math.rint(fraction * 1_000_000) * 1000;
            }
            for (int i = n; i < 6; i++) {
                micros *= 10;
            }
            return micros * 1000;
        }

        /** {@code +HH}, {@code +HH:MM} or {@code +HH:MM:SS} (or {@code -}), as seconds east of UTC. */
        int offset() {
            if (!at('+') && !at('-')) {
                throw error();
            }
            boolean negative = b[p++] == '-';
            // DecodeTimezone: hours, then :MM[:SS]; digits run together (HHMM) when more than two
            int digitsStart = p;
            int hours = number(1);
            int minutes = 0;
            int secs = 0;
            if (at(':')) {
                p++;
                minutes = number(2);
                if (at(':')) {
                    p++;
                    secs = number(2);
                }
            } else if (p - digitsStart > 2) {
                minutes = hours % 100;
                hours /= 100;
            }
            if (hours > 15 || minutes > 59 || secs > 59) {
                throw error(); // "time zone displacement out of range"
            }
            int seconds = hours * 3600 + minutes * 60 + secs;
            return negative ? -seconds : seconds;
        }

        /**
         * The value's UTC offset: {@link #offset()}; zero for an abbreviation the session reads as
         * zero ({@code Z}, {@code UTC}: {@link AdaptContext#withZeroOffsetAbbreviations}); or, when
         * it gives none (nothing but an optional {@code " BC"} is left), the session's, where that
         * is one offset whatever the date ({@link AdaptContext#fixedOffsetSeconds()}): what the
         * server takes then. Another session zone is refused, naming it: the server would convert
         * by its own time zone database.
         */
        int offsetOrSession(AdaptContext ctx) {
            int era = end - p >= 3 && eraAt(end - 3) ? end - 3 : end;
            if (p != era) {
                // an abbreviation the session reads as UTC, right after the time or after one space
                int word = at(' ') ? p + 1 : p;
                int q = word;
                while (q < era && (b[q] | 0x20) >= 'a' && (b[q] | 0x20) <= 'z') {
                    q++;
                }
                if (q == era && q > word && ctx.zeroOffsetAbbreviation(b, word, q)) {
                    p = q;
                    return 0;
                }
                return offset();
            }
            int fixed = ctx.fixedOffsetSeconds();
            if (fixed == AdaptContext.NOT_FIXED) {
                throw new DataException(type + " " + this + " gives no UTC offset, so the server would read it in"
                        + " the session's TimeZone, " + ctx.timeZoneName() + ", by its own time zone database;"
                        + " pqbridge converts such values only in UTC, an Etc/ zone or a fixed offset: write the"
                        + " offset into the value or set the session's TimeZone (PGTZ=UTC, for example)");
            }
            return fixed;
        }

        /** Whether the text from {@code at} to its end is {@code " BC"}. */
        private boolean eraAt(int at) {
            return end - at == 3 && b[at] == ' ' && b[at + 1] == 'B' && b[at + 2] == 'C';
        }

        /** True and consumed when the rest is {@code " BC"}. */
        boolean bc() {
            if (eraAt(p)) {
                p = end;
                return true;
            }
            return false;
        }

        void expectEnd() {
            if (p != end) {
                throw error();
            }
        }

        /** The text being read, quoted (for messages). */
        @Override
        public String toString() {
            return "'" + Codec.utf8(b, start, end - start) + "'";
        }
    }
}

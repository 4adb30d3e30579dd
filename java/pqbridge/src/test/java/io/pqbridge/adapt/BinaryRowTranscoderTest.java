package io.pqbridge.adapt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.errors.DataException;
import io.pqbridge.errors.NotSupportedException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The text-to-binary conversion without a server: the stream's framing, the server's spellings
 * and ranges, what a Java value would lose (interval months), and the fast timestamptz path
 * against the general one. (BinaryWireTest compares whole loads with the server's own.)
 */
class BinaryRowTranscoderTest {

    private static final int SIGNATURE_LENGTH = CopyRowWriter.SIGNATURE.length;

    /** The binary form of one field of type {@code oid} given as {@code text}. */
    private static Object load(String timestamptz) {
        byte[] b = timestamptz.getBytes(StandardCharsets.US_ASCII);
        return RowLoader.loadValue(PgTypes.TIMESTAMPTZ, 0, b, 0, b.length, AdaptContext.DEFAULT);
    }

    private static byte[] convert(int oid, String text) {
        return convert(oid, text, AdaptContext.DEFAULT);
    }

    private static byte[] convert(int oid, String text, AdaptContext ctx) {
        BinaryRowTranscoder t = BinaryRowTranscoder.create(new int[] {oid}, ctx);
        t.beginRow();
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        t.field(b, 0, b.length);
        t.endRow();
        ByteBuffer out = ByteBuffer.wrap(t.array(), 0, t.size());
        out.position(SIGNATURE_LENGTH);
        assertEquals(1, out.getShort());
        byte[] value = new byte[out.getInt()];
        out.get(value);
        assertFalse(out.hasRemaining());
        return value;
    }

    private static long asLong(byte[] b) {
        return ByteBuffer.wrap(b).getLong();
    }

    @Test
    void aStreamIsHeaderRowsTrailer() {
        BinaryRowTranscoder t = BinaryRowTranscoder.create(new int[] {PgTypes.INT4, PgTypes.TEXT}, AdaptContext.DEFAULT);
        t.finish();
        byte[] empty = Arrays.copyOf(t.array(), t.size());
        assertArrayEquals(CopyRowWriter.SIGNATURE, Arrays.copyOf(empty, SIGNATURE_LENGTH));
        assertEquals(SIGNATURE_LENGTH + 2, empty.length);

        t = BinaryRowTranscoder.create(new int[] {PgTypes.INT4, PgTypes.TEXT}, AdaptContext.DEFAULT);
        t.beginRow();
        t.field("7".getBytes(StandardCharsets.US_ASCII), 0, 1);
        t.nullField();
        t.endRow();
        t.finish();
        ByteBuffer out = ByteBuffer.wrap(t.array(), 0, t.size()).position(SIGNATURE_LENGTH);
        assertEquals(2, out.getShort());
        assertEquals(4, out.getInt());
        assertEquals(7, out.getInt());
        assertEquals(-1, out.getInt());
        assertEquals(-1, out.getShort());
        assertFalse(out.hasRemaining());
    }

    @Test
    void fieldCountsAreTheServers() {
        BinaryRowTranscoder t = BinaryRowTranscoder.create(new int[] {PgTypes.INT4}, AdaptContext.DEFAULT);
        t.beginRow();
        t.nullField();
        DataException extra = assertThrows(DataException.class, t::nullField);
        assertEquals("extra data after last expected column", extra.getMessage());
        BinaryRowTranscoder u = BinaryRowTranscoder.create(new int[] {PgTypes.INT4, PgTypes.INT4}, AdaptContext.DEFAULT);
        u.beginRow();
        u.nullField();
        DataException missing = assertThrows(DataException.class, u::endRow);
        assertEquals("missing data for column 2", missing.getMessage());
        assertEquals(1, u.column());
    }

    @Test
    void typesWithoutConversionAreRefusedUpFront() {
        int inet = 869;
        assertFalse(BinaryRowTranscoder.supports(inet));
        assertTrue(BinaryRowTranscoder.supports(PgTypes.arrayOid(PgTypes.INTERVAL)));
        NotSupportedException e = assertThrows(NotSupportedException.class,
                () -> BinaryRowTranscoder.create(new int[] {PgTypes.INT4, inet}, AdaptContext.DEFAULT));
        assertTrue(e.getMessage().contains("column 2 has type inet"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "21|-32768|8000", "21|32767|7fff", "23|' 42 '|0000002a", "23|+5|00000005",
        "20|-9223372036854775808|8000000000000000", "16|yes|01", "16|OFF|00", "16|t|01", "16|0|00", "16|TRUE|01",
        "16|'  on '|01", "701|1e3|408f400000000000", "701|-0|8000000000000000", "701|inf|7ff0000000000000",
        "701|-Infinity|fff0000000000000", "701|nan|7ff8000000000000", "701|'  2.5 '|4004000000000000",
        "700|1.5|3fc00000", "3802|{\"a\": 1}|017b2261223a20317d", "25|x\ty|7809 79", "1082|2016-06-20|0000177f",
        "1082|2016-0006-20|0000177f", "1082|2016-06-020|0000177f"})
    void serverSpellings(int oid, String text, String hex) {
        assertEquals(hex.replace(" ", ""), java.util.HexFormat.of().formatHex(convert(oid, text)));
    }

    /**
     * Dates in the order the session READS them, the DateStyle's second part whatever its first
     * (checked against PostgreSQL 15): a year of one or two digits is one of 1970-2069 unless BC; a
     * first field of four digits or more is the year in every order; three digits first are a year
     * to the server too, refused here, as are separators other than one of {@code - / .} twice.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SQL, DMY|20/06/16|2016-06-20", "SQL, DMY|20/06/6|2006-06-20", "SQL, DMY|20/06/70|1970-06-20",
        "SQL, DMY|20/06/69|2069-06-20", "SQL, DMY|20/06/00|2000-06-20", "SQL, DMY|20/06/016|0016-06-20",
        "SQL, DMY|20/006/2016|2016-06-20", "SQL, DMY|20/06/16 BC|-0015-06-20", "SQL, MDY|06/20/16|2016-06-20",
        "SQL, DMY|006/06/2016|", "SQL, DMY|20/06/0000|", "SQL, MDY|006/20/2016|", "ISO, DMY|01/02/03|2003-02-01",
        "ISO, DMY|20/06/16|2016-06-20", "ISO, MDY|01/02/03|2003-01-02", "ISO, MDY|13/01/2024|",
        "German, MDY|01/02/03|2003-01-02", "German, DMY|02.01.2024|2024-01-02", "SQL, DMY|2024-01-02|2024-01-02",
        "Postgres, MDY|2024-01-02|2024-01-02", "SQL, YMD|01/02/03|", "Postgres, YMD|2024-01-02|2024-01-02",
        "SQL, MDY|1.2.3|2003-01-02", "SQL, MDY|1-2-3|2003-01-02", "SQL, MDY|9-2}4|", "SQL, MDY|1-2/3|", "SQL, MDY|1/2 3|"})
    void datesInDayOrMonthFirstOrder(String dateStyle, String text, String expected) {
        AdaptContext ctx = AdaptContext.of("UTC", dateStyle, "postgres", "on");
        if (expected == null) {
            assertThrows(DataException.class, () -> convert(PgTypes.DATE, text, ctx));
            return;
        }
        long days = java.time.LocalDate.parse(expected).toEpochDay() - java.time.LocalDate.of(2000, 1, 1).toEpochDay();
        assertEquals(String.format("%08x", (int) days), java.util.HexFormat.of().formatHex(convert(PgTypes.DATE, text, ctx)));
    }

    @Test
    void thePostgresStylesYearOfTwoDigitsIsOneOf1970To2069() {
        AdaptContext postgres = AdaptContext.of("UTC", "Postgres, MDY", "postgres", "on");
        assertArrayEquals(convert(PgTypes.TIMESTAMP, "2020-01-02 10:00:00.5"),
                convert(PgTypes.TIMESTAMP, "Thu Jan 02 10:00:00.5 20", postgres));
        assertArrayEquals(convert(PgTypes.TIMESTAMP, "0020-01-02 10:00:00.5"),
                convert(PgTypes.TIMESTAMP, "Thu Jan 02 10:00:00.5 020", postgres));
    }

    /**
     * The Postgres DateStyle's timestamp layout reads in any session, either order (the month is
     * a name), and the year-first layouts in every DateStyle; timestamptz text too, although the
     * query path reads timestamptz results in the ISO style only.
     */
    @Test
    void timestampsReadInEverySessionAsTheServerReadsThem() {
        byte[] expected = convert(PgTypes.TIMESTAMP, "2020-01-02 10:00:00.5");
        for (String style : new String[] {"ISO, MDY", "SQL, DMY", "Postgres, YMD", "German, MDY"}) {
            AdaptContext ctx = AdaptContext.of("UTC", style, "postgres", "on");
            assertArrayEquals(expected, convert(PgTypes.TIMESTAMP, "Thu Jan 02 10:00:00.5 2020", ctx), style);
            assertArrayEquals(expected, convert(PgTypes.TIMESTAMP, "Thu 02 Jan 10:00:00.5 2020", ctx), style);
            assertArrayEquals(expected, convert(PgTypes.TIMESTAMP, "2020-01-02T10:00:00.5", ctx), style);
            assertArrayEquals(convert(PgTypes.TIMESTAMPTZ, "2020-01-02 10:00:00.5+02"),
                    convert(PgTypes.TIMESTAMPTZ, "2020-01-02 10:00:00.5+02", ctx), style);
        }
        AdaptContext dmy = AdaptContext.of("UTC", "German, DMY", "postgres", "on");
        assertArrayEquals(expected, convert(PgTypes.TIMESTAMP, "02.01.2020 10:00:00.5", dmy));
    }

    /**
     * Intervals read alike in the IntervalStyles postgres, postgres_verbose and iso_8601 (checked
     * against PostgreSQL 15); under sql_standard a leading minus may negate every field, so such
     * text is refused there and the rest reads as in the others.
     */
    @Test
    void intervalsReadAsTheSessionsIntervalStyleReadsThem() {
        for (String text : new String[] {"-1 days 02:03:04", "1 day -01:00:00", "-1 years -2 mons +3 days -04:05:06",
            "1 mon 2 days", "12:00:00"}) {
            byte[] postgres = convert(PgTypes.INTERVAL, text);
            for (String style : new String[] {"postgres_verbose", "iso_8601"}) {
                assertArrayEquals(postgres, convert(PgTypes.INTERVAL, text, AdaptContext.of("UTC", "ISO, MDY", style, "on")),
                        text + " in " + style);
            }
        }
        AdaptContext sql = AdaptContext.of("UTC", "ISO, MDY", "sql_standard", "on");
        assertArrayEquals(convert(PgTypes.INTERVAL, "1 day 02:03:04"), convert(PgTypes.INTERVAL, "1 day 02:03:04", sql));
        assertArrayEquals(convert(PgTypes.INTERVAL, "1 year -3 days"), convert(PgTypes.INTERVAL, "1 year -3 days", sql));
        for (String text : new String[] {"-1 days 02:03:04", "@ -1 day", "-1 years -2 mons +3 days", "- 1 day"}) {
            DataException e = assertThrows(DataException.class, () -> convert(PgTypes.INTERVAL, text, sql), text);
            assertTrue(e.getMessage().contains("sql_standard"), e.getMessage());
        }
    }

    /**
     * A timestamptz or timetz without a UTC offset is read in the session's TimeZone, as the
     * server reads it, where that zone has one offset at every date; the expected values are the
     * same instants written with the offset.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "UTC|2024-07-01 10:00:00|2024-07-01 10:00:00+00", "Etc/UTC|2024-07-01 10:00:00|2024-07-01 10:00:00+00",
        "GMT|1900-01-01 00:00:00 BC|1900-01-01 00:00:00+00 BC", "Etc/GMT+5|2024-07-01 10:00:00|2024-07-01 10:00:00-05",
        "Etc/GMT-14|2024-01-01 00:00|2024-01-01 00:00+14", "<+03>-03|2024-07-01 10:00:00.5|2024-07-01 10:00:00.5+03",
        "UTC+3|2024-07-01 10:00:00|2024-07-01 10:00:00-03", "<+05:30>-05:30|2024-02-29 23:59:59|2024-02-29 23:59:59+05:30",
        "UTC|2024-07-01 10:00:00+02|2024-07-01 10:00:00+02"})
    void anOffsetLeftOutIsTheSessionsWhenItIsFixed(String zone, String text, String withOffset) {
        AdaptContext ctx = AdaptContext.of(zone, "ISO, MDY", "postgres", "on");
        assertArrayEquals(convert(PgTypes.TIMESTAMPTZ, withOffset), convert(PgTypes.TIMESTAMPTZ, text, ctx), text);
        String time = text.substring(11).replace(" BC", "");
        String timeWithOffset = withOffset.substring(11).replace(" BC", "");
        assertArrayEquals(convert(PgTypes.TIMETZ, timeWithOffset), convert(PgTypes.TIMETZ, time, ctx), time);
    }

    /** An abbreviation the session reads as UTC (asked of the server by the caller) is offset zero, in any case. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"2024-07-01T10:00:00Z|2024-07-01 10:00:00+00",
        "2024-07-01 10:00:00 z|2024-07-01 10:00:00+00", "2024-07-01 10:00 UTC|2024-07-01 10:00:00+00",
        "0044-03-15 12:00:00 utc BC|0044-03-15 12:00:00+00 BC"})
    void anAbbreviationTheSessionReadsAsUtcIsOffsetZero(String text, String withOffset) {
        AdaptContext ctx = AdaptContext.of("Europe/Paris", "ISO, MDY", "postgres", "on")
                .withZeroOffsetAbbreviations(java.util.List.of("Z", "UTC"));
        assertArrayEquals(convert(PgTypes.TIMESTAMPTZ, withOffset), convert(PgTypes.TIMESTAMPTZ, text, ctx), text);
        assertArrayEquals(convert(PgTypes.TIMETZ, "10:00:00+00"), convert(PgTypes.TIMETZ, "10:00:00 Utc", ctx), "timetz");
        for (String other : new String[] {"2024-07-01 10:00:00 GMT", "2024-07-01 10:00:00 UTCX", "2024-07-01 10:00:00  Z"}) {
            DataException e = assertThrows(DataException.class, () -> convert(PgTypes.TIMESTAMPTZ, other, ctx));
            assertTrue(e.getMessage().startsWith("can't parse timestamptz"), e.getMessage());
        }
        DataException unasked = assertThrows(DataException.class, () -> convert(PgTypes.TIMESTAMPTZ, text));
        assertTrue(unasked.getMessage().startsWith("can't parse timestamptz"), "not asked, not taken: " + unasked.getMessage());
    }

    /** In a zone whose offset depends on the date, or that Java may know differently, the value is refused, naming the zone. */
    @ParameterizedTest
    @CsvSource({"Europe/Paris", "America/New_York", "EST", "Asia/Kolkata", "Factory", "EST5EDT", "UTC+20", "nonsense"})
    void anOffsetLeftOutIsRefusedInAnyOtherZone(String zone) {
        AdaptContext ctx = AdaptContext.of(zone, "ISO, MDY", "postgres", "on");
        for (int oid : new int[] {PgTypes.TIMESTAMPTZ, PgTypes.TIMETZ}) {
            String text = oid == PgTypes.TIMETZ ? "10:00:00" : "2024-07-01 10:00:00";
            DataException e = assertThrows(DataException.class, () -> convert(oid, text, ctx));
            assertTrue(e.getMessage().contains("gives no UTC offset") && e.getMessage().contains("TimeZone, " + zone + ","),
                    e.getMessage());
        }
        assertEquals(asLong(convert(PgTypes.TIMESTAMPTZ, "2024-07-01 10:00:00+02")),
                asLong(convert(PgTypes.TIMESTAMPTZ, "2024-07-01 10:00:00+02", ctx)), "a value with its offset still converts");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "21|32768|out of range", "23|2147483648|out of range", "20|9223372036854775808|out of range",
        "23|1.5|invalid input syntax", "23||invalid input syntax", "16|maybe|invalid input syntax",
        "16|o|invalid input syntax", "701|1e400|out of range", "701|1e-400|out of range", "700|1e39|out of range",
        "701|0x10|invalid input syntax", "701|1d|invalid input syntax", "1083|24:00:01|can't parse",
        "1083|10:60:00|can't parse", "1082|2023-02-29|can't parse", "1266|10:00:00+16:00|can't parse",
        "1082|2016-006-20|can't parse", "1114|2016-006-20 10:00|can't parse", "1184|2016-006-20 10:00+02|can't parse",
        "1114|2016-006-20 10:00:00|can't parse", "1184|2016-006-20 10:00:00+00|can't parse"})
    void valuesTheServerRefusesAreRefused(int oid, String text, String message) {
        DataException e = assertThrows(DataException.class, () -> convert(oid, text == null ? "" : text));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void intervalsKeepMonthsAndDays() {
        ByteBuffer b = ByteBuffer.wrap(convert(PgTypes.INTERVAL, "1 year 2 mons -3 days +04:05:06.789"));
        assertEquals(((4 * 60 + 5) * 60 + 6) * 1_000_000L + 789_000, b.getLong());
        assertEquals(-3, b.getInt());
        assertEquals(14, b.getInt());

        ByteBuffer array = ByteBuffer.wrap(convert(PgTypes.arrayOid(PgTypes.INTERVAL), "{\"1 mon\",NULL}"));
        assertEquals(1, array.getInt());   // dimensions
        assertEquals(1, array.getInt());   // has nulls
        assertEquals(PgTypes.INTERVAL, array.getInt());
        assertEquals(2, array.getInt());
        assertEquals(1, array.getInt());
        assertEquals(16, array.getInt());
        assertEquals(0, array.getLong());
        assertEquals(0, array.getInt());
        assertEquals(1, array.getInt());   // the month, not 30 days
        assertEquals(-1, array.getInt());
    }

    @Test
    void timeKeepsTwentyFourHundredAndFractionsRoundHalfToEven() {
        assertEquals(86_400_000_000L, asLong(convert(PgTypes.TIME, "24:00:00")));
        assertEquals(0L, asLong(convert(PgTypes.TIME, "00:00:00.0000005")));     // half: to the even 0
        assertEquals(2L, asLong(convert(PgTypes.TIME, "00:00:00.0000015")));
        assertEquals(1L, asLong(convert(PgTypes.TIME, "00:00:00.00000051")));
    }

    /** Both fast paths (to binary, and loading the Java value) against the general parser. */
    @Test
    void timestamptzFastPathsAgreeWithTheGeneralOne() {
        Random random = new Random(7);
        DateTimeFormatter iso = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
        for (int i = 0; i < 20_000; i++) {
            long seconds = random.nextLong(-62_135_596_800L + 86_400, 253_402_300_799L - 86_400);
            int micros = random.nextInt(1_000_000);
            int offsetMinutes = (random.nextInt(29) - 14) * 60 + (random.nextBoolean() ? 0 : 30);
            ZoneOffset zone = ZoneOffset.ofTotalSeconds(offsetMinutes * 60);
            OffsetDateTime t = OffsetDateTime.ofInstant(java.time.Instant.ofEpochSecond(seconds, micros * 1000L), zone);
            String fraction = micros == 0 ? "" : String.format(".%06d", micros).replaceAll("0+$", "");
            String offset = String.format("%s%02d", offsetMinutes < 0 ? "-" : "+", Math.abs(offsetMinutes) / 60)
                    + (offsetMinutes % 60 == 0 ? "" : ":30");
            String text = t.format(iso) + fraction + offset;
            long expected = (seconds - DateTimeText.PG_EPOCH_SECOND) * 1_000_000L + micros;
            byte[] b = text.getBytes(StandardCharsets.US_ASCII);
            assertEquals(expected, IsoTimestampTz.micros(b, 0, b.length), text);
            assertEquals(expected, asLong(convert(PgTypes.TIMESTAMPTZ, text)), text);
            // the general parser, reached through a layout the fast path leaves to it ('T', seconds offset)
            String general = text.replace(' ', 'T') + (offsetMinutes % 60 == 0 ? ":00:00" : ":00");
            assertEquals(expected, asLong(convert(PgTypes.TIMESTAMPTZ, general)), general);
            assertEquals(t, load(text), text);
            assertEquals(t, load(general), general);
        }
    }
}

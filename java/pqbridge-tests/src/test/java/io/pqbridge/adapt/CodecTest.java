package io.pqbridge.adapt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.errors.DataException;
import io.pqbridge.errors.ProgrammingException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Codec details that need no server: exact binary forms, limits, refusals, element typing. */
class CodecTest {

    private static final AdaptContext CTX = AdaptContext.DEFAULT;

    private static byte[] binary(Codec c, Object v) {
        ByteSink s = new ByteSink(16);
        c.dumpBinary(v, s);
        return s.toByteArray(0);
    }

    private static String text(Codec c, Object v) {
        ByteSink s = new ByteSink(16);
        c.dumpText(v, s);
        return new String(s.toByteArray(0), StandardCharsets.UTF_8);
    }

    private static Object loadText(Codec c, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return c.loadText(b, 0, b.length, CTX);
    }

    private static short[] numericWords(BigDecimal d) {
        byte[] b = binary(NumericCodec.NUMERIC, d);
        short[] w = new short[b.length / 2];
        for (int i = 0; i < w.length; i++) {
            w[i] = (short) Codec.getShort(b, 2 * i);
        }
        return w;
    }

    @Test
    void everyTypeCaseRoundTripsWithoutAServer() {
        for (TypeCases.Case c : TypeCases.all()) {
            Codec codec = Codecs.forOidOrUnknown(PgTypes.oid(c.type()));
            // the server normalises jsonb; without it the text comes back as sent
            Object expected = c.type().equals("jsonb") ? c.value() : c.loaded();
            byte[] b = binary(codec, c.value());
            assertTrue(Values.same(expected, codec.loadBinary(b, 0, b.length, CTX)), c + " binary");
            byte[] t = text(codec, c.value()).getBytes(StandardCharsets.UTF_8);
            Object fromText = codec.loadText(t, 0, t.length, CTX);
            // our text keeps 1E+3's exponent and a timestamptz's own offset; only the server
            // normalises them (to 1000, to the session's offset)
            boolean same = expected instanceof BigDecimal d ? d.compareTo((BigDecimal) fromText) == 0
                    : expected instanceof OffsetDateTime o ? o.isEqual((OffsetDateTime) fromText)
                    : Values.same(expected, fromText);
            assertTrue(same, c + " text");
            if (c.type().startsWith("float")) {
                // float text is the server's own (FloatOut)
                assertEquals(c.serverText(), text(codec, c.value()), c + " text");
            }
            // what the server prints loads too (it can differ from what we write: numeric's 1E+3 / 1000)
            byte[] server = c.serverText().getBytes(StandardCharsets.UTF_8);
            if (!c.type().equals("bool")) {
                assertTrue(Values.same(c.loaded(), codec.loadText(server, 0, server.length, CTX)), c + " server text");
            }
        }
    }

    @Test
    void numericBinaryLayoutMatchesPostgres() {
        // ndigits, weight, sign, dscale, digits (values from PostgreSQL's numeric_send)
        assertArrayEquals(new short[] {0, 0, 0, 0}, numericWords(new BigDecimal("0")));
        assertArrayEquals(new short[] {0, 0, 0, 3}, numericWords(new BigDecimal("0.000")));
        assertArrayEquals(new short[] {2, 0, 0, 2, 1, 5000}, numericWords(new BigDecimal("1.50")));
        assertArrayEquals(new short[] {1, 1, 0x4000, 0, 1}, numericWords(new BigDecimal("-10000")));
        assertArrayEquals(new short[] {2, -1, 0, 8, 1, 2345}, numericWords(new BigDecimal("0.00012345")));
        assertArrayEquals(new short[] {1, -5, 0, 20, 1}, numericWords(new BigDecimal("1E-20")));
        assertArrayEquals(new short[] {1, 0, 0, 0, 1000}, numericWords(new BigDecimal("1E+3")));
        byte[] nan = binary(NumericCodec.NUMERIC, Double.NaN);
        assertEquals(0xC000, Codec.getShort(nan, 4) & 0xFFFF);
        assertEquals(0xD000, Codec.getShort(binary(NumericCodec.NUMERIC, Float.POSITIVE_INFINITY), 4) & 0xFFFF);
        assertEquals(0xF000, Codec.getShort(binary(NumericCodec.NUMERIC, Double.NEGATIVE_INFINITY), 4) & 0xFFFF);
    }

    @Test
    void numericRandomValuesRoundTripBothFormatsBothPaths() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            int digits = 1 + random.nextInt(i % 3 == 0 ? 60 : 18);
            BigInteger unscaled = new BigInteger(digits * 4, random);
            if (random.nextBoolean()) {
                unscaled = unscaled.negate();
            }
            int scale = random.nextInt(40) - 8;
            BigDecimal d = new BigDecimal(unscaled, scale);
            BigDecimal expected = scale < 0 ? d.setScale(0) : d;
            byte[] b = binary(NumericCodec.NUMERIC, d);
            assertEquals(expected, NumericCodec.NUMERIC.loadBinary(b, 0, b.length, CTX), d.toString());
            assertEquals(0, expected.compareTo((BigDecimal) loadText(NumericCodec.NUMERIC, expected.toPlainString())));
            assertEquals(expected, loadText(NumericCodec.NUMERIC, expected.toPlainString()));
        }
    }

    @Test
    void floatTextParsingAgreesWithTheJdk() {
        Random random = new Random(7);
        for (int i = 0; i < 40_000; i++) {
            double d = switch (i % 4) {
                case 0 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
                case 1 -> Math.round(random.nextDouble() * 1e6) / Math.pow(10, random.nextInt(8));
                case 2 -> Double.longBitsToDouble(random.nextLong());
                default -> (random.nextInt(2_000_001) - 1_000_000) / 100.0;
            };
            float f = (float) d;
            for (String s : new String[] {Double.toString(d), String.format(java.util.Locale.ROOT, "%.17g", d), String.format(java.util.Locale.ROOT, "%.6e", d)}) {
                assertEquals(Double.valueOf(s), loadText(FloatCodec.FLOAT8, s), s);
            }
            for (String s : new String[] {Float.toString(f), String.format(java.util.Locale.ROOT, "%.9g", f), String.format(java.util.Locale.ROOT, "%.3f", f)}) {
                assertEquals(Float.valueOf(s), loadText(FloatCodec.FLOAT4, s), s);
            }
        }
        assertEquals(-0.0, loadText(FloatCodec.FLOAT8, "-0"));
        assertEquals(1e22, loadText(FloatCodec.FLOAT8, "1e+22"));
        assertEquals(1.7976931348623157e308, loadText(FloatCodec.FLOAT8, "1.7976931348623157e+308"));
        assertEquals(Double.NaN, loadText(FloatCodec.FLOAT8, "NaN"));
        assertEquals(Float.NEGATIVE_INFINITY, loadText(FloatCodec.FLOAT4, "-Infinity"));
        assertThrows(DataException.class, () -> loadText(FloatCodec.FLOAT8, "1.5x"));
        assertThrows(DataException.class, () -> loadText(FloatCodec.FLOAT8, ""));
    }

    @Test
    void integersRefuseWhatDoesNotFit() {
        assertEquals("value 32768 is out of range for int2",
                assertThrows(DataException.class, () -> binary(IntegerCodec.INT2, 32768)).getMessage());
        assertThrows(DataException.class, () -> binary(IntegerCodec.INT4, 1L << 31));
        assertThrows(DataException.class, () -> binary(IntegerCodec.INT8, BigInteger.ONE.shiftLeft(63)));
        assertThrows(DataException.class, () -> binary(IntegerCodec.INT4, 1.5));
        assertThrows(DataException.class, () -> binary(IntegerCodec.INT4, new BigDecimal("2.5")));
        assertThrows(DataException.class, () -> binary(IntegerCodec.OID, -1));
        assertArrayEquals(new byte[] {0, 0, 0, 3}, binary(IntegerCodec.INT4, new BigDecimal("3.00")));
        assertArrayEquals(new byte[] {0, 0, 0, 3}, binary(IntegerCodec.INT4, 3.0));
        assertArrayEquals(new byte[] {-1, -1, -1, -1}, binary(IntegerCodec.OID, 0xFFFFFFFFL));
        assertEquals(0xFFFFFFFFL, IntegerCodec.OID.loadBinary(new byte[] {-1, -1, -1, -1}, 0, 4, CTX));
        assertEquals(Long.MIN_VALUE, loadText(IntegerCodec.INT8, "-9223372036854775808"));
        assertThrows(DataException.class, () -> loadText(IntegerCodec.INT8, "9223372036854775808"));
        assertThrows(DataException.class, () -> loadText(IntegerCodec.INT4, "12a"));
        assertThrows(DataException.class, () -> loadText(IntegerCodec.INT4, "-"));
        assertThrows(ProgrammingException.class, () -> binary(IntegerCodec.INT4, "1"));
    }

    @Test
    void datesAndTimestampsOutsidePostgresRangeAreRefused() {
        assertThrows(DataException.class, () -> binary(DateCodec.DATE, LocalDate.of(-4713, 11, 23)));
        assertThrows(DataException.class, () -> text(DateCodec.DATE, LocalDate.of(5874898, 1, 1)));
        assertThrows(DataException.class, () -> binary(TimestampCodec.TIMESTAMP, LocalDateTime.of(294277, 1, 1, 0, 0)));
        assertThrows(DataException.class, () -> binary(TimestampTzCodec.TIMESTAMPTZ,
                OffsetDateTime.of(294276, 12, 31, 23, 0, 0, 0, ZoneOffset.ofHours(-2))));
        assertThrows(DataException.class, () -> binary(IntervalCodec.INTERVAL, Duration.ofDays(365L * 300_000)));
        assertArrayEquals(new byte[] {0x7F, -1, -1, -1}, binary(DateCodec.DATE, LocalDate.MAX));
        assertArrayEquals(new byte[] {0, 0, 0, 0}, binary(DateCodec.DATE, LocalDate.of(2000, 1, 1)));
        assertArrayEquals(new byte[] {-1, -1, -1, -1}, binary(DateCodec.DATE, LocalDate.of(1999, 12, 31)));
    }

    @Test
    void textParsersRefuseGarbage() {
        assertThrows(DataException.class, () -> loadText(DateCodec.DATE, "2020-13-01"));
        assertThrows(DataException.class, () -> loadText(DateCodec.DATE, "20-01-01"));
        assertThrows(DataException.class, () -> loadText(TimestampCodec.TIMESTAMP, "2020-01-01"));
        assertThrows(DataException.class, () -> loadText(TimestampTzCodec.TIMESTAMPTZ, "2020-01-01 10:00:00"));
        assertThrows(DataException.class, () -> loadText(IntervalCodec.INTERVAL, "3 fortnights"));
        assertThrows(DataException.class, () -> loadText(BoolCodec.BOOL, "true"));
        assertThrows(DataException.class, () -> loadText(UuidCodec.UUID_TYPE, "not-a-uuid"));
        assertThrows(DataException.class, () -> loadText(NumericCodec.NUMERIC, "1.2.3"));
        assertThrows(DataException.class, () -> loadText(ByteaCodec.BYTEA, "\\x0"));
        assertThrows(DataException.class, () -> loadText(ArrayCodec.of(IntegerCodec.INT4), "{1,2"));
        assertThrows(DataException.class, () -> loadText(ArrayCodec.of(IntegerCodec.INT4), "1,2}"));
        assertThrows(DataException.class, () -> loadText(ArrayCodec.of(TextCodec.TEXT_TYPE), "{\"a}"));
    }

    @Test
    void byteaReadsTheEscapeOutputFormatToo() {
        assertArrayEquals(new byte[] {'a', '\\', 0, (byte) 0xFF}, (byte[]) loadText(ByteaCodec.BYTEA, "a\\\\\\000\\377"));
    }

    @Test
    void arrayElementTypes() {
        assertEquals(IntegerCodec.INT8, ((ArrayCodec) Codecs.forValue(Arrays.asList(1, 2L, (short) 3))).element);
        assertEquals(IntegerCodec.INT4, ((ArrayCodec) Codecs.forValue(new Integer[] {null, 1})).element);
        assertEquals(TextCodec.STRING, ((ArrayCodec) Codecs.forValue(Arrays.asList(null, null))).element);
        assertEquals(ByteaCodec.BYTEA, ((ArrayCodec) Codecs.forValue(new byte[][] {{1}})).element);
        assertEquals(FloatCodec.FLOAT8, ((ArrayCodec) Codecs.forValue(new double[][] {{1}})).element);
        DataException e = assertThrows(DataException.class, () -> Codecs.forValue(List.of(1, "a", 2.5)));
        assertEquals("cannot dump lists of mixed types; got: Double, Integer, String", e.getMessage());
        assertEquals("{1,2,3}", text(Codecs.forValue(new LinkedList<>(List.of(1, 2, 3))), new LinkedList<>(List.of(1, 2, 3))));
    }

    @Test
    void binaryArraysMustBeRectangular() {
        Codec ints = ArrayCodec.of(IntegerCodec.INT4);
        assertEquals("nested lists have inconsistent lengths", assertThrows(DataException.class,
                () -> binary(ints, List.of(List.of(1, 2), List.of(3)))).getMessage());
        assertEquals("nested lists have inconsistent depths", assertThrows(DataException.class,
                () -> binary(ints, List.of(List.of(1, 2), 3))).getMessage());
        assertEquals("nested lists have inconsistent depths", assertThrows(DataException.class,
                () -> binary(ints, List.of(1, List.of(2)))).getMessage());
        assertEquals("lists cannot contain empty lists", assertThrows(DataException.class,
                () -> binary(ints, List.of(List.of()))).getMessage());
        List<Object> deep = List.of(List.of(List.of(List.of(List.of(List.of(List.of(1)))))));
        assertThrows(DataException.class, () -> binary(ints, deep));
        assertThrows(DataException.class, () -> text(ints, deep));
        byte[] b = binary(ints, Arrays.asList(1, null));
        assertArrayEquals(new byte[] {0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 23, 0, 0, 0, 2, 0, 0, 0, 1,
            0, 0, 0, 4, 0, 0, 0, 1, -1, -1, -1, -1}, b);
        assertEquals(Arrays.asList(1, null), ints.loadBinary(b, 0, b.length, CTX));
    }

    @Test
    void utf8EncodingMatchesTheJdk() {
        String s = "aé☃𝄞\uD800x";   // an unpaired surrogate becomes '?', as the JDK encoder does
        ByteSink sink = new ByteSink(1);
        sink.putUtf8(s, true);
        assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), sink.toByteArray(0));
        assertEquals("PostgreSQL text fields cannot contain NUL (0x00) bytes",
                assertThrows(DataException.class, () -> sink.putUtf8("é\0", true)).getMessage());
        assertEquals("PostgreSQL text fields cannot contain NUL (0x00) bytes",
                assertThrows(DataException.class, () -> text(TextCodec.STRING, "a\0")).getMessage());
    }

    @Test
    void sessionTimeZones() {
        assertEquals(ZoneOffset.ofHours(-3), AdaptContext.of("UTC+3", null, null, null).timeZone());
        assertEquals(ZoneOffset.ofHours(3), AdaptContext.of("<+03>-03", null, null, null).timeZone());
        assertEquals(ZoneOffset.ofHoursMinutes(-5, -30), AdaptContext.of("<-0530>+05:30", null, null, null).timeZone());
        assertEquals(ZoneId.of("Etc/GMT+3"), AdaptContext.of("Etc/GMT+3", null, null, null).timeZone());
        assertEquals(ZoneId.of("Europe/Paris"), AdaptContext.of("Europe/Paris", null, null, null).timeZone());
        assertEquals(ZoneOffset.UTC, AdaptContext.of("No/Such_Zone", null, null, null).timeZone());
        AdaptContext a = AdaptContext.of("Europe/Paris", "ISO, DMY", "postgres", "on");
        assertTrue(a == AdaptContext.of("Europe/Paris", "ISO, DMY", "postgres", "on"));
    }

    @Test
    void typeNames() {
        assertEquals(23, PgTypes.oid("int4"));
        assertEquals(23, PgTypes.oid("integer"));
        assertEquals(23, PgTypes.oid(" INT "));
        assertEquals(1007, PgTypes.oid("int4[]"));
        assertEquals(1007, PgTypes.oid("_int4"));
        assertEquals(1007, PgTypes.oid("integer[]"));
        assertEquals(1185, PgTypes.oid("timestamp with time zone[]"));
        assertEquals(3802, PgTypes.oid("jsonb"));
        assertEquals(18, PgTypes.oid("\"char\""));
        assertEquals(1042, PgTypes.oid("char"));
        assertEquals(1043, PgTypes.oid("character varying"));
        assertEquals("int4[]", PgTypes.name(1007));
        assertEquals("timestamptz", PgTypes.name(1184));
        assertEquals(1007, PgTypes.arrayOid(23));
        assertEquals(23, PgTypes.elementOid(1007));
        assertEquals(0, PgTypes.elementOid(23));
        ProgrammingException e = assertThrows(ProgrammingException.class, () -> PgTypes.oid("nosuchtype"));
        assertTrue(e.getMessage().startsWith("unknown type name 'nosuchtype': "), e.getMessage());
        assertThrows(ProgrammingException.class, () -> PgTypes.oid("_int4[]"));
        assertThrows(ProgrammingException.class, () -> PgTypes.oid("unknown[]"));
        assertArrayEquals(new int[] {23, 25}, PgTypes.oids("int4", "text"));
    }
    @Test
    void aTextIntegerOutsideItsTypeIsRefusedNotWrapped() {
        byte[] big = "5000000000".getBytes(StandardCharsets.US_ASCII);
        DataException e = assertThrows(DataException.class, () -> IntegerCodec.INT4.loadText(big, 0, big.length, null));
        assertEquals("value \"5000000000\" is out of range for type integer", e.getMessage());
        byte[] small = "-32769".getBytes(StandardCharsets.US_ASCII);
        assertThrows(DataException.class, () -> IntegerCodec.INT2.loadText(small, 0, small.length, null));
        assertEquals(5_000_000_000L, IntegerCodec.INT8.loadText(big, 0, big.length, null));
    }

    @Test
    void timestampsOfTwentyFourOClockAreTheNextMidnight() {
        byte[] rounded = "2020-01-01 23:59:59.9999999".getBytes(StandardCharsets.US_ASCII);
        assertEquals(LocalDateTime.of(2020, 1, 2, 0, 0), TimestampCodec.TIMESTAMP.loadText(rounded, 0, rounded.length,
                AdaptContext.of("UTC", "ISO, MDY", "postgres", "on")));
    }
}

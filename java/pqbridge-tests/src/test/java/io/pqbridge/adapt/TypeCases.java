package io.pqbridge.adapt;

import io.pqbridge.types.Json;
import io.pqbridge.types.Jsonb;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Values of every supported type with what the server prints for them (a session with TimeZone
 * UTC, DateStyle ISO, IntervalStyle postgres) and what pqbridge loads back.
 */
final class TypeCases {

    /**
     * @param type the PostgreSQL type the value is sent as (cast to)
     * @param value the Java value sent
     * @param serverText {@code value::text} as the server prints it
     * @param loaded what loading the value back gives
     */
    record Case(String type, Object value, String serverText, Object loaded) {
        @Override
        public String toString() {
            return type + " " + Values.show(value);
        }
    }

    private TypeCases() {
    }

    private static final List<Case> ALL = new ArrayList<>();

    private static void add(String type, Object value, String text) {
        ALL.add(new Case(type, value, text, value));
    }

    private static void add(String type, Object value, String text, Object loaded) {
        ALL.add(new Case(type, value, text, loaded));
    }

    static {
        add("bool", true, "true");
        add("bool", false, "false");

        add("int2", (short) 0, "0");
        add("int2", Short.MIN_VALUE, "-32768");
        add("int2", Short.MAX_VALUE, "32767");
        add("int4", Integer.MIN_VALUE, "-2147483648");
        add("int4", Integer.MAX_VALUE, "2147483647");
        add("int4", 42, "42");
        add("int8", Long.MIN_VALUE, "-9223372036854775808");
        add("int8", Long.MAX_VALUE, "9223372036854775807");
        add("int8", -1L, "-1");

        add("float4", 1.5f, "1.5");
        add("float4", -0.1f, "-0.1");
        add("float4", Float.MAX_VALUE, "3.4028235e+38");
        add("float4", Float.MIN_VALUE, "1e-45");
        add("float4", Float.NaN, "NaN");
        add("float4", Float.POSITIVE_INFINITY, "Infinity");
        add("float4", Float.NEGATIVE_INFINITY, "-Infinity");
        add("float8", 0.1, "0.1");
        add("float8", -0.0, "-0");
        add("float8", 1e300, "1e+300");
        add("float8", Double.MAX_VALUE, "1.7976931348623157e+308");
        add("float8", Double.MIN_VALUE, "5e-324");
        add("float8", Double.NaN, "NaN");
        add("float8", Double.POSITIVE_INFINITY, "Infinity");
        add("float8", Double.NEGATIVE_INFINITY, "-Infinity");

        add("numeric", new BigDecimal("0"), "0");
        add("numeric", new BigDecimal("1.50"), "1.50");
        add("numeric", new BigDecimal("-1.50"), "-1.50");
        add("numeric", new BigDecimal("0.0001"), "0.0001");
        add("numeric", new BigDecimal("0.00012345"), "0.00012345");
        add("numeric", new BigDecimal("9999.9999"), "9999.9999");
        add("numeric", new BigDecimal("10000"), "10000");
        add("numeric", new BigDecimal("123456789012345678"), "123456789012345678");
        add("numeric", new BigDecimal("1E-20"), "0.00000000000000000001");
        add("numeric", new BigDecimal("1E+3"), "1000", new BigDecimal("1000"));
        add("numeric", new BigDecimal("-123456789012345678901234567890.123456789"),
                "-123456789012345678901234567890.123456789");
        add("numeric", new BigDecimal("0.000"), "0.000");
        add("numeric", new BigDecimal("1e100").add(BigDecimal.ONE), "1" + "0".repeat(99) + "1");
        add("numeric", new BigInteger("-98765432109876543210"), "-98765432109876543210",
                new BigDecimal("-98765432109876543210"));
        add("numeric", 12345678L, "12345678", new BigDecimal("12345678"));

        add("text", "", "");
        add("text", "hello", "hello");
        add("text", "it's \"quoted\"", "it's \"quoted\"");
        add("text", "tab\there\nnew line\rcr\bbs\fff\u000Bvt", "tab\there\nnew line\rcr\bbs\fff\u000Bvt");
        add("text", "back\\slash", "back\\slash");
        add("text", "\\N", "\\N");
        add("text", "NULL", "NULL");
        add("text", "é ☃ 𝄞 日本", "é ☃ 𝄞 日本");
        add("text", "\u0001\u001f\u007f", "\u0001\u001f\u007f");
        add("varchar", "varchar value", "varchar value");
        add("bpchar", 'x', "x", "x");

        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        add("bytea", new byte[0], "\\x");
        add("bytea", new byte[] {0, 1, (byte) 0xFF, '\\', '\''}, "\\x0001ff5c27");
        StringBuilder hex = new StringBuilder("\\x");
        for (int i = 0; i < 256; i++) {
            hex.append(String.format("%02x", i));
        }
        add("bytea", all, hex.toString());

        add("uuid", new UUID(0, 0), "00000000-0000-0000-0000-000000000000");
        add("uuid", UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");

        add("date", LocalDate.of(2020, 2, 29), "2020-02-29");
        add("date", LocalDate.of(2000, 1, 1), "2000-01-01");
        add("date", LocalDate.of(1, 1, 1), "0001-01-01");
        add("date", LocalDate.of(-43, 3, 15), "0044-03-15 BC");
        add("date", LocalDate.of(0, 12, 31), "0001-12-31 BC");
        add("date", LocalDate.of(10000, 1, 1), "10000-01-01");
        add("date", LocalDate.of(-4713, 11, 24), "4714-11-24 BC");
        add("date", LocalDate.of(5874897, 12, 31), "5874897-12-31");
        add("date", LocalDate.MAX, "infinity");
        add("date", LocalDate.MIN, "-infinity");

        add("time", LocalTime.MIDNIGHT, "00:00:00");
        add("time", LocalTime.of(23, 59, 59, 999_999_000), "23:59:59.999999");
        add("time", LocalTime.of(12, 34, 56, 789_000_000), "12:34:56.789");
        add("time", LocalTime.of(1, 2, 3, 4_567), "01:02:03.000004", LocalTime.of(1, 2, 3, 4_000));
        add("timetz", OffsetTime.of(10, 20, 30, 0, ZoneOffset.ofHoursMinutes(5, 30)), "10:20:30+05:30");
        add("timetz", OffsetTime.of(23, 59, 59, 999_999_000, ZoneOffset.ofHours(-8)), "23:59:59.999999-08");
        add("timetz", OffsetTime.of(0, 0, 0, 0, ZoneOffset.UTC), "00:00:00+00");

        add("timestamp", LocalDateTime.of(2020, 2, 29, 12, 0), "2020-02-29 12:00:00");
        add("timestamp", LocalDateTime.of(1999, 12, 31, 23, 59, 59, 999_999_000), "1999-12-31 23:59:59.999999");
        add("timestamp", LocalDateTime.of(-43, 3, 15, 10, 0, 0, 500_000_000), "0044-03-15 10:00:00.5 BC");
        add("timestamp", LocalDateTime.of(-4713, 11, 24, 0, 0), "4714-11-24 00:00:00 BC");
        add("timestamp", LocalDateTime.of(294276, 12, 31, 23, 59, 59, 999_999_000), "294276-12-31 23:59:59.999999");
        add("timestamp", LocalDateTime.MAX, "infinity");
        add("timestamp", LocalDateTime.MIN, "-infinity");

        OffsetDateTime utc = OffsetDateTime.of(2020, 1, 2, 3, 4, 5, 123_456_000, ZoneOffset.UTC);
        add("timestamptz", utc, "2020-01-02 03:04:05.123456+00");
        add("timestamptz", OffsetDateTime.of(2020, 1, 2, 5, 4, 5, 0, ZoneOffset.ofHours(2)), "2020-01-02 03:04:05+00",
                OffsetDateTime.of(2020, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC));
        add("timestamptz", Instant.parse("1969-07-20T20:17:40Z"), "1969-07-20 20:17:40+00",
                OffsetDateTime.of(1969, 7, 20, 20, 17, 40, 0, ZoneOffset.UTC));
        add("timestamptz", ZonedDateTime.of(2021, 6, 1, 12, 0, 0, 0, ZoneId.of("Europe/Paris")),
                "2021-06-01 10:00:00+00", OffsetDateTime.of(2021, 6, 1, 10, 0, 0, 0, ZoneOffset.UTC));
        add("timestamptz", OffsetDateTime.of(-43, 3, 15, 10, 0, 0, 0, ZoneOffset.UTC), "0044-03-15 10:00:00+00 BC");
        add("timestamptz", OffsetDateTime.MAX, "infinity");
        add("timestamptz", Instant.MIN, "-infinity", OffsetDateTime.MIN);

        add("interval", Duration.ZERO, "00:00:00");
        add("interval", Duration.ofDays(1), "24:00:00");
        add("interval", Duration.ofSeconds(-1), "-00:00:01");
        add("interval", Duration.ofMillis(1500), "00:00:01.5");
        add("interval", Duration.ofHours(1_000_000).plusNanos(1_000), "1000000:00:00.000001");
        add("interval", Duration.ofHours(-25).minusMillis(500), "-25:00:00.5");
        add("interval", Duration.ofNanos(-1_500), "-00:00:00.000001", Duration.ofNanos(-1_000));

        add("json", new Json("{\"b\": 1, \"a\": [1, 2.5, null, \"x\\\"y\"]}"),
                "{\"b\": 1, \"a\": [1, 2.5, null, \"x\\\"y\"]}");
        add("jsonb", new Jsonb("{\"b\":1,\"a\":\"é\\\\\"}"), "{\"a\": \"é\\\\\", \"b\": 1}",
                new Jsonb("{\"a\": \"é\\\\\", \"b\": 1}"));
        add("jsonb", new Jsonb("[]"), "[]");

        add("int4[]", Arrays.asList(1, null, 3), "{1,NULL,3}");
        add("int4[]", new int[] {1, 2, 3}, "{1,2,3}", List.of(1, 2, 3));
        add("int4[]", List.of(List.of(1, 2), List.of(3, 4)), "{{1,2},{3,4}}");
        add("int8[]", new long[][] {{1, 2}, {3, 4}}, "{{1,2},{3,4}}", List.of(List.of(1L, 2L), List.of(3L, 4L)));
        add("int4[]", List.of(), "{}");
        add("text[]", Arrays.asList("a", "", "NULL", "null", null, "b c", "x,y", "{}", "q\"uote", "back\\slash",
                "tab\t", "é"), "{a,\"\",\"NULL\",\"null\",NULL,\"b c\",\"x,y\",\"{}\",\"q\\\"uote\",\"back\\\\slash\","
                + "\"tab\t\",é}");
        add("text[]", new String[][] {{"a", "b"}, {"c", null}}, "{{a,b},{c,NULL}}",
                List.of(List.of("a", "b"), Arrays.asList("c", null)));
        add("bool[]", new boolean[] {true, false}, "{t,f}", List.of(true, false));
        add("float8[]", List.of(1.5, Double.NaN, Double.NEGATIVE_INFINITY), "{1.5,NaN,-Infinity}");
        add("numeric[]", List.of(new BigDecimal("1.10"), new BigDecimal("-2")), "{1.10,-2}");
        add("bytea[]", Arrays.asList(new byte[] {1, 2}, null), "{\"\\\\x0102\",NULL}");
        add("date[]", List.of(LocalDate.of(2020, 1, 1), LocalDate.MAX), "{2020-01-01,infinity}");
        add("timestamp[]", List.of(LocalDateTime.of(2020, 1, 1, 10, 0)), "{\"2020-01-01 10:00:00\"}");
        add("timestamptz[]", List.of(utc), "{\"2020-01-02 03:04:05.123456+00\"}");
        add("uuid[]", List.of(new UUID(1, 2)), "{00000000-0000-0001-0000-000000000002}");
        add("interval[]", List.of(Duration.ofMinutes(90)), "{01:30:00}");
        add("jsonb[]", List.of(new Jsonb("{\"a\": 1}")), "{\"{\\\"a\\\": 1}\"}");
        add("int2[]", List.of((short) 1, (short) -1), "{1,-1}");
    }

    static List<Case> all() {
        return ALL;
    }
}

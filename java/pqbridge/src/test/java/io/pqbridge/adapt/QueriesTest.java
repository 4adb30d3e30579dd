package io.pqbridge.adapt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pqbridge.types.Json;
import io.pqbridge.types.Jsonb;
import io.pqbridge.errors.ProgrammingException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Placeholder conversion and literal quoting, case by case from psycopg's tests/test_query.py. */
class QueriesTest {

    private static final AdaptContext CTX = AdaptContext.DEFAULT;

    private static BoundQuery bind(String sql, Object... params) {
        return Queries.bind(sql, Arrays.asList(params), CTX);
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void noParametersLeavesTheQueryUntouched() {
        assertEquals("select 10 %% 3, '%s'", Queries.bind("select 10 %% 3, '%s'", (List<?>) null, CTX).sql());
        assertEquals(0, Queries.bind("x %d", (List<?>) null, CTX).parameterCount());
        assertEquals("x %(", Queries.bind("x %(", (Map<String, ?>) null, CTX).sql());
        assertEquals("copy t to stdout -- %d", Queries.merge("copy t to stdout -- %d", (List<?>) null, CTX));
        assertEquals("%s", Queries.merge("%s", (Map<String, ?>) null, CTX));
    }

    @Test
    void emptyParametersStillConvert() {
        assertEquals("", bind("").sql());
        assertEquals("%", bind("%%").sql());
        assertEquals("hello %", Queries.bind("hello %%", Map.of("a", 1), CTX).sql());
        assertEquals(0, Queries.bind("hello %%", Map.of("a", 1), CTX).parameterCount());
    }

    @Test
    void positionalPlaceholdersBecomeDollarNumbers() {
        BoundQuery q = bind("select %t", 1);
        assertEquals("select $1", q.sql());
        assertArrayEquals(new int[] {0}, q.paramFormats());
        assertEquals("1", text(q.paramValues()[0]));
        assertArrayEquals(new int[] {PgTypes.INT4}, q.paramTypes());

        q = bind("%t %% %t", "a", 2);
        assertEquals("$1 % $2", q.sql());
        assertEquals("a", text(q.paramValues()[0]));
        assertEquals("2", text(q.paramValues()[1]));
        assertArrayEquals(new int[] {0, PgTypes.INT4}, q.paramTypes());

        q = bind("foo %s%b bar %s baz %%%s", 1, 2L, null, "x");
        assertEquals("foo $1$2 bar $3 baz %$4", q.sql());
        assertArrayEquals(new int[] {1, 1, 0, 0}, q.paramFormats());
        assertArrayEquals(new int[] {PgTypes.INT4, PgTypes.INT8, 0, 0}, q.paramTypes());
        assertArrayEquals(new byte[] {0, 0, 0, 1}, q.paramValues()[0]);
        assertNull(q.paramValues()[2]);
    }

    @Test
    void namedPlaceholdersShareANumberPerName() {
        Map<String, Object> params = new HashMap<>();
        params.put("hi", (short) 0);
        params.put("there", "a");
        params.put("unused", 1);
        BoundQuery q = Queries.bind("select %(hi)s %(there)s %(hi)s", params, CTX);
        assertEquals("select $1 $2 $1", q.sql());
        assertArrayEquals(new int[] {1, 0}, q.paramFormats());
        assertArrayEquals(new byte[] {0, 0}, q.paramValues()[0]);
        assertEquals("a", text(q.paramValues()[1]));
        assertEquals("select $1", Queries.bind("select %(hello)t", Map.of("hello", 1, "world", 2), CTX).sql());
    }

    @Test
    void psycopgsAutoFormatsAndTypes() {
        BoundQuery q = bind("%s %s %s %s %s %s %s %s %s %s", "s", new byte[] {1}, 1.5, true, new BigDecimal("1.50"),
                LocalDate.of(2020, 1, 2), List.of(1, 2), List.of("a", "b"), new Jsonb("{}"), UUID.randomUUID());
        assertArrayEquals(new int[] {0, 1, 1, 1, 0, 1, 0, 0, 0, 1}, q.paramFormats());
        assertArrayEquals(new int[] {0, PgTypes.BYTEA, PgTypes.FLOAT8, PgTypes.BOOL, PgTypes.NUMERIC, PgTypes.DATE,
            1007, 0, PgTypes.JSONB, PgTypes.UUID}, q.paramTypes());
        assertEquals("1.50", text(q.paramValues()[4]));
        assertEquals("{1,2}", text(q.paramValues()[6]));
        assertEquals("{a,b}", text(q.paramValues()[7]));
        BoundQuery b = bind("%b %b", "s", List.of("a"));
        assertArrayEquals(new int[] {PgTypes.TEXT, PgTypes.TEXT_ARRAY}, b.paramTypes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo %d bar", "foo % bar", "foo %%% bar", "foo %(foo)d bar", "foo %(foo)s bar %s baz",
        "foo %(foo) bar", "foo %(foo bar", "3%2"})
    void badPlaceholdersAreProgrammingErrors(String sql) {
        assertThrows(ProgrammingException.class, () -> bind(sql, 1, 2));
        assertThrows(ProgrammingException.class, () -> Queries.merge(sql, List.of(1, 2), CTX));
    }

    @Test
    void errorMessagesArePsycopgs() {
        assertEquals("the query has 1 placeholders but 2 parameters were passed",
                assertThrows(ProgrammingException.class, () -> bind("select %s", 1, 2)).getMessage());
        assertEquals("the query has 0 placeholders but 1 parameters were passed",
                assertThrows(ProgrammingException.class, () -> bind("", 1)).getMessage());
        assertEquals("the query has 1 placeholders but 0 parameters were passed",
                assertThrows(ProgrammingException.class, () -> bind("%s")).getMessage());
        assertEquals("only '%s', '%b', '%t' are allowed as placeholders, got '%d'",
                assertThrows(ProgrammingException.class, () -> bind("select %d", 1)).getMessage());
        assertEquals("only '%s', '%b', '%t' are allowed as placeholders, got '%(a)d'",
                assertThrows(ProgrammingException.class, () -> Queries.bind("select %(a)d", Map.of("a", 1), CTX))
                        .getMessage());
        assertEquals("positional and named placeholders cannot be mixed",
                assertThrows(ProgrammingException.class, () -> bind("select %s %(hi)s", 1)).getMessage());
        assertEquals("incomplete placeholder: '%(a'",
                assertThrows(ProgrammingException.class, () -> Queries.bind("select %(a", Map.of("a", 1), CTX))
                        .getMessage());
        assertEquals("incomplete placeholder: '%('",
                assertThrows(ProgrammingException.class, () -> Queries.bind("select %(", Map.of("a", 1), CTX))
                        .getMessage());
        assertEquals("incomplete placeholder: '%'; if you want to use '%' as an operator you can double it up,"
                + " i.e. use '%%'", assertThrows(ProgrammingException.class, () -> bind("10 % 3")).getMessage());
        assertEquals("query parameter missing: a, b", assertThrows(ProgrammingException.class,
                () -> Queries.bind("%(b)s %(a)s %(c)s", Map.of("c", 1), CTX)).getMessage());
        assertEquals("placeholder 'hi' cannot have different formats", assertThrows(ProgrammingException.class,
                () -> Queries.bind("select %(hi)s %(hi)b", Map.of("hi", 1), CTX)).getMessage());
        assertEquals("named placeholders require a mapping of parameters",
                assertThrows(ProgrammingException.class, () -> bind("select %(name)s", 1)).getMessage());
        assertEquals("positional placeholders (%s) require a sequence of parameters",
                assertThrows(ProgrammingException.class, () -> Queries.bind("select %s", Map.of("a", 1), CTX))
                        .getMessage());
        assertThrows(ProgrammingException.class, () -> bind("$1", 1));
        assertThrows(ProgrammingException.class, () -> bind("%%", 1));
    }

    @Test
    void aPercentBeforeANewlineOrAtTheEndIsKept() {
        assertEquals("select 1 %\n", bind("select 1 %\n").sql());
        assertEquals("select $1 %", bind("select %s %", 1).sql());
    }

    @Test
    void unadaptableValuesAreRefused() {
        ProgrammingException e = assertThrows(ProgrammingException.class, () -> bind("%s", new Object()));
        assertEquals(true, e.getMessage().startsWith("cannot adapt type 'java.lang.Object'"), e.getMessage());
    }

    @Test
    void mergeWritesLiteralsLikePsycopg() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("a", "it's");
        params.put("b", null);
        assertEquals("copy (select 'it''s'::text, NULL::int, 'it''s') to stdout",
                Queries.merge("copy (select %(a)s::text, %(b)s::int, %(a)s) to stdout", params, CTX));
        assertEquals("select 1, -- %\n 'x'", Queries.merge("select %s, -- %%\n %s", List.of(1, "x"), CTX));
        assertEquals("select  -5 - 3", Queries.merge("select %s - %s", List.of(-5, 3), CTX));
        assertEquals("select 1- -5", Queries.merge("select 1-%s", List.of(-5), CTX));
    }

    @Test
    void literals() {
        assertEquals("NULL", Queries.literal(null, CTX));
        assertEquals("true", Queries.literal(true, CTX));
        assertEquals("false", Queries.literal(false, CTX));
        assertEquals("42", Queries.literal(42, CTX));
        assertEquals(" -42", Queries.literal(-42L, CTX));
        assertEquals("32767", Queries.literal((short) 32767, CTX));
        assertEquals("1.5", Queries.literal(1.5, CTX));
        assertEquals(" -1.5", Queries.literal(-1.5, CTX));
        assertEquals("'NaN'::float8", Queries.literal(Double.NaN, CTX));
        assertEquals("'Infinity'::float8", Queries.literal(Double.POSITIVE_INFINITY, CTX));
        assertEquals("'-Infinity'::float8", Queries.literal(Float.NEGATIVE_INFINITY, CTX));
        assertEquals("1.50", Queries.literal(new BigDecimal("1.50"), CTX));
        assertEquals(" -1E+3", Queries.literal(new BigDecimal("-1E+3"), CTX));
        assertEquals("123456789012345678901234567890", Queries.literal(new BigInteger("123456789012345678901234567890"), CTX));
        assertEquals("'it''s'", Queries.literal("it's", CTX));
        assertEquals("''", Queries.literal("", CTX));
        assertEquals(" E'a\\\\b'", Queries.literal("a\\b", CTX));
        assertEquals(" E'it''s \\\\N'", Queries.literal("it's \\N", CTX));
        assertEquals("'héllo ☃'", Queries.literal("héllo ☃", CTX));
        assertEquals("'\\x00ff41'::bytea", Queries.literal(new byte[] {0, (byte) 0xFF, 'A'}, CTX));
        assertEquals(" E'\\\\x00ff41'::bytea", Queries.literal(new byte[] {0, (byte) 0xFF, 'A'},
                AdaptContext.of(null, null, null, "off")));
        assertEquals("'2020-01-02'::date", Queries.literal(LocalDate.of(2020, 1, 2), CTX));
        assertEquals("'0044-03-15 BC'::date", Queries.literal(LocalDate.of(-43, 3, 15), CTX));
        assertEquals("'infinity'::date", Queries.literal(LocalDate.MAX, CTX));
        assertEquals("'10:20:30.000001'::time", Queries.literal(LocalTime.of(10, 20, 30, 1000), CTX));
        assertEquals("'10:20:30+05:30'::timetz",
                Queries.literal(OffsetTime.of(10, 20, 30, 0, ZoneOffset.ofHoursMinutes(5, 30)), CTX));
        assertEquals("'2020-01-02 03:04:05.5'::timestamp".replace(".5", ".500000"),
                Queries.literal(LocalDateTime.of(2020, 1, 2, 3, 4, 5, 500_000_000), CTX));
        assertEquals("'10:20:30-05:30:15'::timetz",
                Queries.literal(OffsetTime.of(10, 20, 30, 0, ZoneOffset.ofHoursMinutesSeconds(-5, -30, -15)), CTX));
        assertEquals("'10:20:30+01:00:30'::timetz",
                Queries.literal(OffsetTime.of(10, 20, 30, 0, ZoneOffset.ofHoursMinutesSeconds(1, 0, 30)), CTX));
        assertEquals("'2020-01-02 03:04:05-02'::timestamptz",
                Queries.literal(OffsetDateTime.of(2020, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(-2)), CTX));
        assertEquals("'1970-01-01 00:00:00+00'::timestamptz", Queries.literal(Instant.EPOCH, CTX));
        assertEquals("'-25:00:00.500000'::interval", Queries.literal(Duration.ofHours(-25).minusMillis(500), CTX));
        assertEquals("'{\"a\": 1}'::json", Queries.literal(new Json("{\"a\": 1}"), CTX));
        assertEquals(" E'{\"a\": \"\\\\\\\\\"}'::jsonb", Queries.literal(new Jsonb("{\"a\": \"\\\\\"}"), CTX));
        assertEquals("'{1,NULL,3}'::int4[]", Queries.literal(Arrays.asList(1, null, 3), CTX));
        assertEquals("'{a,\"b c\",\"\"}'", Queries.literal(List.of("a", "b c", ""), CTX));
        assertEquals(" E'{\"a\\\\\\\\b\",\"x\\\\\"y\"}'", Queries.literal(List.of("a\\b", "x\"y"), CTX));
        assertEquals("'{{1,2},{3,4}}'::int8[]", Queries.literal(new long[][] {{1, 2}, {3, 4}}, CTX));
        assertEquals("'{}'", Queries.literal(List.of(), CTX));
        assertEquals("'00000000-0000-0001-0000-000000000002'::uuid", Queries.literal(new UUID(1, 2), CTX));
    }
}

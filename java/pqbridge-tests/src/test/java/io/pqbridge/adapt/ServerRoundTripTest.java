package io.pqbridge.adapt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.errors.DataException;
import io.pqbridge.errors.NotSupportedException;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgResult;
import io.pqbridge.test.Spi;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every value of {@link TypeCases} sent to a real server as a parameter in text and in binary,
 * checked as the server sees it ({@code ::text}) and loaded back from text and binary results.
 */
class ServerRoundTripTest {

    private static final String BACKENDS = "io.pqbridge.test.Backends#all";

    static PgConn session(PgBackend backend, String timeZone) {
        PgConn conn = Spi.connect(backend);
        Spi.ok(conn, "SET TimeZone TO '" + timeZone + "'");
        Spi.ok(conn, "SET DateStyle TO ISO");
        Spi.ok(conn, "SET IntervalStyle TO postgres");
        Spi.ok(conn, "SET client_encoding TO UTF8");
        return conn;
    }

    /** Runs a bound query with the given result format, returning its single result. */
    static PgResult run(PgConn conn, BoundQuery q, int resultFormat) {
        assertTrue(conn.sendQueryParams(q.sql(), q.paramTypes(), q.paramValues(), q.paramFormats(), resultFormat),
                conn::errorMessage);
        List<PgResult> results = Spi.drain(conn);
        assertEquals(1, results.size(), results::toString);
        PgResult r = results.get(0);
        assertEquals(PgExecStatus.TUPLES_OK, r.status(), () -> q + ": " + r.errorMessage());
        return r;
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void everyTypeRoundTripsAsAParameter(PgBackend backend) {
        List<String> failures = new ArrayList<>();
        try (PgConn conn = session(backend, "UTC")) {
            AdaptContext ctx = AdaptContext.of(conn);
            for (TypeCases.Case c : TypeCases.all()) {
                for (String placeholder : new String[] {"%t", "%b"}) {
                    String sql = "SELECT " + placeholder + "::" + c.type() + ", (" + placeholder + "::" + c.type()
                            + ")::text";
                    BoundQuery q = Queries.bind(sql, java.util.Arrays.asList(c.value(), c.value()), ctx);
                    for (int resultFormat = 0; resultFormat <= 1; resultFormat++) {
                        PgResult r;
                        try {
                            r = run(conn, q, resultFormat);
                        } catch (AssertionError e) {
                            failures.add(c + " " + placeholder + " result format " + resultFormat + ": " + e.getMessage());
                            continue;
                        }
                        RowLoader loader = RowLoader.of(r, ctx);
                        Object loaded = loader.load(r, 0, 0);
                        if (!Values.same(c.loaded(), loaded)) {
                            failures.add(c + " " + placeholder + " result format " + resultFormat + ": loaded "
                                    + Values.show(loaded) + ", expected " + Values.show(c.loaded()));
                        }
                        Object text = loader.load(r, 0, 1);
                        if (!c.serverText().equals(text)) {
                            failures.add(c + " " + placeholder + ": server read it as '" + text + "', expected '"
                                    + c.serverText() + "'");
                        }
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), () -> failures.size() + " failures:\n" + String.join("\n", failures));
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void serverOnlyValuesLoadInBothFormats(PgBackend backend) throws Exception {
        try (PgConn conn = session(backend, "UTC")) {
            AdaptContext ctx = AdaptContext.of(conn);
            for (int format = 0; format <= 1; format++) {
                BoundQuery q = Queries.bind("SELECT 'NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric,"
                        + " interval '1 year 2 mons 3 days 04:05:06.789', interval '-1 days +02:03:00',"
                        + " interval '-1 years -2 mons', 1234::oid, 'x'::name, 'y'::\"char\", 'abc'::bpchar(5),"
                        + " '192.168.0.1'::inet, '{a,b}'::varchar[], '[1:2]={7,8}'::int4[], '{}'::int4[]",
                        List.of(), ctx);
                PgResult r = run(conn, q, format);
                Object[] row = RowLoader.of(r, ctx).loadRow(r, 0);
                String f = "format " + format;
                assertEquals(Double.NaN, row[0], f);
                assertEquals(Double.POSITIVE_INFINITY, row[1], f);
                assertEquals(Double.NEGATIVE_INFINITY, row[2], f);
                assertEquals(Duration.ofDays(365 + 60 + 3).plusHours(4).plusMinutes(5).plusMillis(6789), row[3], f);
                assertEquals(Duration.ofDays(-1).plusHours(2).plusMinutes(3), row[4], f);
                assertEquals(Duration.ofDays(-365 - 60), row[5], f);
                assertEquals(1234L, row[6], f);
                assertEquals("x", row[7], f);
                assertEquals("y", row[8], f);
                assertEquals("abc  ", row[9], f);
                assertEquals(java.net.InetAddress.getByAddress(new byte[] {(byte) 192, (byte) 168, 0, 1}), row[10], f);
                assertEquals(List.of("a", "b"), row[11], f);
                assertEquals(List.of(7, 8), row[12], f);
                assertEquals(List.of(), row[13], f);
            }
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void timestamptzCarriesTheSessionOffsetInBothFormats(PgBackend backend) {
        for (String zone : new String[] {"America/New_York", "Asia/Kolkata", "Europe/Paris"}) {
            try (PgConn conn = session(backend, zone)) {
                AdaptContext ctx = AdaptContext.of(conn);
                assertEquals(ZoneId.of(zone), ctx.timeZone());
                OffsetDateTime[] values = {
                    OffsetDateTime.of(2021, 1, 15, 12, 0, 0, 0, ZoneOffset.UTC),
                    OffsetDateTime.of(2021, 7, 15, 12, 0, 0, 250_000_000, ZoneOffset.UTC),
                    OffsetDateTime.of(1850, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),  // local mean time offsets
                };
                for (OffsetDateTime v : values) {
                    OffsetDateTime[] loaded = new OffsetDateTime[2];
                    for (int format = 0; format <= 1; format++) {
                        PgResult r = run(conn, Queries.bind("SELECT %s", List.of(v), ctx), format);
                        loaded[format] = (OffsetDateTime) RowLoader.of(r, ctx).load(r, 0, 0);
                        assertTrue(loaded[format].isEqual(v), zone + " " + loaded[format]);
                        assertEquals(ZoneId.of(zone).getRules().getOffset(v.toInstant()), loaded[format].getOffset());
                    }
                    assertEquals(loaded[0], loaded[1], zone);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void datesAndTimestampsLoadInEveryDateStyle(PgBackend backend) {
        LocalDate[] dates = {LocalDate.of(2020, 1, 2), LocalDate.of(2020, 12, 31), LocalDate.of(-43, 3, 15),
            LocalDate.of(12345, 6, 7), LocalDate.MAX};
        java.time.LocalDateTime[] stamps = {java.time.LocalDateTime.of(2020, 1, 2, 3, 4, 5),
            java.time.LocalDateTime.of(1999, 12, 31, 23, 59, 59, 123_456_000),
            java.time.LocalDateTime.of(-43, 3, 15, 10, 0), java.time.LocalDateTime.MIN};
        try (PgConn conn = session(backend, "UTC")) {
            for (String style : new String[] {"ISO, DMY", "SQL, DMY", "SQL, MDY", "German", "Postgres, DMY",
                "Postgres, MDY", "Postgres, YMD"}) {
                Spi.ok(conn, "SET DateStyle TO '" + style + "'");
                AdaptContext ctx = AdaptContext.of(conn);
                for (Object v : dates) {
                    PgResult r = run(conn, Queries.bind("SELECT %b, %b::text", List.of(v, v), ctx), 0);
                    assertEquals(v, RowLoader.of(r, ctx).load(r, 0, 0), style + " " + r.text(0, 1));
                }
                for (Object v : stamps) {
                    PgResult r = run(conn, Queries.bind("SELECT %b, %b::text", List.of(v, v), ctx), 0);
                    assertEquals(v, RowLoader.of(r, ctx).load(r, 0, 0), style + " " + r.text(0, 1));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void textLoadingNamesTheUnsupportedSessionStyles(PgBackend backend) {
        try (PgConn conn = session(backend, "UTC")) {
            Spi.ok(conn, "SET DateStyle TO 'SQL, DMY'");
            Spi.ok(conn, "SET IntervalStyle TO iso_8601");
            AdaptContext ctx = AdaptContext.of(conn);
            OffsetDateTime at = OffsetDateTime.of(2020, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);
            BoundQuery q = Queries.bind("SELECT %s, %s", List.of(at, Duration.ofHours(1)), ctx);
            PgResult text = run(conn, q, 0);
            RowLoader loader = RowLoader.of(text, ctx);
            NotSupportedException e = assertThrows(NotSupportedException.class, () -> loader.load(text, 0, 0));
            assertEquals("can't parse timestamptz with DateStyle 'SQL, DMY': '02/01/2020 03:04:05 UTC'; pqbridge"
                    + " reads timestamptz text in the ISO DateStyle: SET DateStyle TO ISO, or read the values in"
                    + " binary", e.getMessage());
            e = assertThrows(NotSupportedException.class, () -> loader.load(text, 0, 1));
            assertTrue(e.getMessage().startsWith("can't parse interval with IntervalStyle iso_8601: 'PT1H'"),
                    e.getMessage());
            PgResult binary = run(conn, q, 1);
            Object[] row = RowLoader.of(binary, ctx).loadRow(binary, 0);
            assertEquals(at, row[0]);
            assertEquals(Duration.ofHours(1), row[1]);
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void twentyFourHundredHoursIsRefusedForLocalTime(PgBackend backend) {
        try (PgConn conn = session(backend, "UTC")) {
            AdaptContext ctx = AdaptContext.of(conn);
            for (int format = 0; format <= 1; format++) {
                PgResult r = run(conn, Queries.bind("SELECT '24:00:00'::time", List.of(), ctx), format);
                DataException e = assertThrows(DataException.class, () -> RowLoader.of(r, ctx).load(r, 0, 0));
                assertTrue(e.getMessage().contains("24:00:00"), e.getMessage());
            }
        }
    }
}

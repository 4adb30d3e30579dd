package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.errors.UndefinedObject;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.ServerDifferences;
import io.pqbridge.types.Multirange;
import io.pqbridge.types.Range;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The built-in range types as {@link Range} (psycopg's {@code Range}): each type in text and
 * binary, bounds included or not, unbounded sides, the empty range, infinite dates, quoting, NULL,
 * arrays and COPY, each checked against the server's own output ({@code format('%s')}).
 */
@Tag("server-matrix")
class RangeTypesTest {

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void everyRangeTypeRoundTripsAsTheServerNormalisesIt(PgBackend backend) {
        LocalDateTime t1 = LocalDateTime.of(2020, 1, 1, 0, 0);
        OffsetDateTime z1 = OffsetDateTime.of(2020, 1, 1, 12, 30, 0, 0, ZoneOffset.UTC);
        Object[][] cases = {
            // sent, the type, the server's text, what loads back
            {new Range<>(1, 10), "int4range", "[1,10)", new Range<>(1, 10)},
            {new Range<>(1, 10, "[]"), "int4range", "[1,11)", new Range<>(1, 11)},
            {new Range<>(1, 10, "(]"), "int4range", "[2,11)", new Range<>(2, 11)},
            {new Range<>(null, 5), "int4range", "(,5)", new Range<>(null, 5)},
            {new Range<Integer>(3, null, "[]"), "int4range", "[3,)", new Range<Integer>(3, null)},
            {new Range<Integer>(null, null), "int4range", "(,)", new Range<Integer>(null, null)},
            {Range.empty(), "int4range", "empty", Range.empty()},
            {new Range<>(5, 5), "int4range", "empty", Range.empty()},
            {new Range<>(1L << 40, (1L << 40) + 1), "int8range", "[1099511627776,1099511627777)",
                new Range<>(1L << 40, (1L << 40) + 1)},
            {new Range<>(new BigDecimal("1.5"), new BigDecimal("2.50"), "(]"), "numrange", "(1.5,2.50]",
                new Range<>(new BigDecimal("1.5"), new BigDecimal("2.50"), "(]")},
            {new Range<>(LocalDate.of(2020, 1, 1), LocalDate.of(2020, 1, 31), "[]"), "daterange",
                "[2020-01-01,2020-02-01)", new Range<>(LocalDate.of(2020, 1, 1), LocalDate.of(2020, 2, 1))},
            {new Range<>(LocalDate.of(2020, 1, 1), LocalDate.MAX), "daterange", "[2020-01-01,infinity)",
                new Range<>(LocalDate.of(2020, 1, 1), LocalDate.MAX)},
            {new Range<>(t1, t1.plusDays(1)), "tsrange", "[\"2020-01-01 00:00:00\",\"2020-01-02 00:00:00\")",
                new Range<>(t1, t1.plusDays(1))},
            {new Range<>(z1, null, "(]"), "tstzrange", "(\"2020-01-01 12:30:00+00\",)", new Range<>(z1, null, "()")},
        };
        try (Connection conn = Db.connect(backend)) {
            conn.execute("SET TimeZone TO 'UTC'");
            assertRoundTrips(conn, cases);
            assertNull(conn.execute("SELECT NULL::int4range").fetchOne().get(0));
            assertEquals(new Range<>(1, 3), conn.execute("SELECT %s", new Range<>(1, 3)).fetchOne().get(0),
                    "an unpinned range goes as its type");
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void multirangesOnPostgresql14AndLater(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            if (ServerDifferences.major() < 14) {
                UndefinedObject e = assertThrows(UndefinedObject.class, () -> conn.execute("SELECT '{}'::int4multirange"));
                assertTrue(e.getMessage().contains("int4multirange"), e.getMessage());
                return;
            }
            LocalDateTime t = LocalDateTime.of(2024, 2, 29, 8, 0);
            Object[][] cases = {
                {Multirange.of(new Range<>(1, 3), new Range<>(5, 7)), "int4multirange", "{[1,3),[5,7)}",
                    Multirange.of(new Range<>(1, 3), new Range<>(5, 7))},
                {Multirange.of(new Range<>(5, 7), new Range<>(1, 6)), "int4multirange", "{[1,7)}",
                    Multirange.of(new Range<>(1, 7))},
                {Multirange.<Integer>of(), "int4multirange", "{}", Multirange.of()},
                {Multirange.of(new Range<Long>(null, 0L), new Range<Long>(10L, null)), "int8multirange", "{(,0),[10,)}",
                    Multirange.of(new Range<Long>(null, 0L), new Range<Long>(10L, null))},
                {Multirange.of(new Range<>(t, t.plusHours(1))), "tsmultirange",
                    "{[\"2024-02-29 08:00:00\",\"2024-02-29 09:00:00\")}", Multirange.of(new Range<>(t, t.plusHours(1)))},
            };
            assertRoundTrips(conn, cases);
        }
    }

    /**
     * Each case {sent, type, the server's text, what loads back}, in text and binary results,
     * alone and in an array.
     */
    private static void assertRoundTrips(Connection conn, Object[][] cases) {
        for (Object[] c : cases) {
            for (boolean binary : new boolean[] {false, true}) {
                String what = c[0] + " as " + c[1] + (binary ? " (binary)" : " (text)");
                Row row = conn.cursor(binary).execute("SELECT format('%%s', %s::" + c[1] + "), %s::" + c[1]
                        + ", %s::" + c[1] + "[]", c[0], c[0], Arrays.asList(c[0], null)).fetchOne();
                assertEquals(c[2], row.get(0), what + ": what the server read");
                assertEquals(c[3], row.get(1), what + ": what loaded back");
                assertEquals(Arrays.asList(c[3], null), row.get(2), what + ": in an array");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void copyWithPinnedRangeTypes(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            conn.execute("CREATE TEMP TABLE ranges (r int4range, ds daterange[], n numrange)");
            Object[] row = {new Range<>(1, 5), List.of(new Range<>(LocalDate.of(2021, 3, 1), LocalDate.of(2021, 4, 1)),
                Range.empty()), new Range<>(null, new BigDecimal("9.99"), "(]")};
            for (String format : new String[] {"", " (FORMAT binary)"}) {
                conn.execute("TRUNCATE ranges");
                conn.cursor().copy("COPY ranges FROM STDIN" + format, copy -> {
                    copy.setTypes("int4range", "daterange[]", "numrange");
                    copy.writeRow(row);
                    copy.writeRow(null, null, null);
                });
                List<Object[]> back = new ArrayList<>();
                conn.cursor().copy("COPY ranges TO STDOUT" + format, copy -> {
                    copy.setTypes("int4range", "daterange[]", "numrange");
                    for (Object[] r; (r = copy.readRow()) != null;) {
                        back.add(r);
                    }
                });
                assertArrayEquals(row, back.get(0), "COPY" + format);
                assertArrayEquals(new Object[3], back.get(1));
            }
        }
    }
}

package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pqbridge.pq.PgBackend;
import io.pqbridge.types.Format;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A session setting or a registration changed between two statements is what the next statement
 * reads and writes with. The facade keeps the settings it read last and, where the backend counts
 * the server's ParameterStatus reports, reads them again only after a report; each case runs the
 * same statement before and after the change, so a kept value that should have been dropped
 * shows as a wrong value or a parse failure.
 */
class SessionSettingsTest {

    private static final LocalDate DAY = LocalDate.of(2020, 1, 2);

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aDateStyleSetBetweenStatementsReadsTheNextOnesDates(PgBackend backend) {
        try (Connection conn = Db.autocommit(backend)) {
            Cursor cur = conn.cursor();
            for (String style : new String[] {"ISO, MDY", "German", "SQL, DMY", "Postgres, MDY", "ISO, DMY"}) {
                cur.execute("SET DateStyle TO '" + style + "'");
                for (int i = 0; i < 3; i++) { // the third run is prepared: the kept settings are used most
                    Row row = cur.execute("SELECT '2020-01-02'::date, %s::date, %s::date::text", DAY, DAY).fetchOne();
                    assertEquals(DAY, row.get(0), style + ", shown as " + row.get(2));
                    assertEquals(DAY, row.get(1), style);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aTimeZoneSetBetweenStatementsGivesTheNextOnesOffsets(PgBackend backend) {
        try (Connection conn = Db.autocommit(backend)) {
            for (boolean binary : new boolean[] {false, true}) {
                Cursor cur = conn.cursor(binary);
                for (String zone : new String[] {"UTC", "Asia/Tokyo", "America/New_York", "UTC"}) {
                    cur.execute("SET TimeZone TO '" + zone + "'");
                    ZoneOffset offset = java.time.ZoneId.of(zone).getRules().getOffset(DAY.atStartOfDay());
                    for (int i = 0; i < 3; i++) {
                        OffsetDateTime at = cur.execute("SELECT '2020-01-02 03:04:05+00'::timestamptz").fetchOne()
                                .get(0, OffsetDateTime.class);
                        assertEquals(offset, at.getOffset(), zone + (binary ? ", binary" : ", text"));
                        assertEquals(OffsetDateTime.of(2020, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC).toInstant(),
                                at.toInstant());
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aSettingChangedByAFunctionIsSeenToo(PgBackend backend) {
        try (Connection conn = Db.autocommit(backend)) {
            Cursor cur = conn.cursor();
            assertEquals(DAY, cur.execute("SELECT '2020-01-02'::date").fetchOne().get(0));
            cur.execute("SELECT set_config('DateStyle', 'German', false)");
            assertEquals("02.01.2020", cur.execute("SELECT '2020-01-02'::date::text").fetchOne().get(0));
            assertEquals(DAY, cur.execute("SELECT '2020-01-02'::date").fetchOne().get(0));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aLoaderRegisteredBetweenStatementsServesTheNext(PgBackend backend) {
        try (Connection conn = Db.autocommit(backend)) {
            Cursor cur = conn.cursor();
            for (int i = 0; i < 6; i++) {
                assertEquals(1, cur.execute("SELECT 1").fetchOne().get(0));
            }
            conn.adapters().registerLoader(23, Format.TEXT, data -> "int4:" + new String(data, StandardCharsets.UTF_8));
            assertEquals("int4:1", cur.execute("SELECT 1").fetchOne().get(0));
        }
    }
}

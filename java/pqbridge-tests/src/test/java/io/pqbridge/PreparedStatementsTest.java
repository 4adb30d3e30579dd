package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.errors.DivisionByZero;
import io.pqbridge.errors.FeatureNotSupported;
import io.pqbridge.errors.SyntaxError;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Automatic preparation (psycopg's {@code prepare_threshold} / {@code prepared_max}) and the
 * cache rules pqbridge decides: what is sent (recorded at the SPI), what the server holds
 * ({@code pg_prepared_statements}), and that results never change because a statement was prepared.
 */
@Tag("server-matrix")
class PreparedStatementsTest {

    private static Connection recorded(Recording rec, boolean autocommit) {
        Connection conn = Connection.connect(rec, TestDatabase.conninfo());
        conn.setAutocommit(autocommit);
        return conn;
    }

    /** The names the server holds for this session, sorted; asked with prepare=false so the question is not counted. */
    private static List<String> serverNames(Connection conn) {
        List<String> names = new ArrayList<>();
        for (Row r : conn.execute("SELECT name FROM pg_prepared_statements ORDER BY name", new Object[0], false)) {
            names.add((String) r.get(0));
        }
        return names;
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void theSixthRunPreparesAndLaterRunsOnlyExecute(PgBackend backend) {
        Recording rec = new Recording(backend);
        try (Connection conn = recorded(rec, true)) {
            assertEquals(5, conn.prepareThreshold());
            assertEquals(100, conn.preparedMax());
            for (int i = 0; i < 7; i++) {
                assertEquals(i + 1, conn.execute("SELECT %s::int + 1", i).fetchOne().get(0));
            }
            List<String> sent = rec.take();
            assertEquals(List.of("SELECT $1::int + 1", "SELECT $1::int + 1", "SELECT $1::int + 1", "SELECT $1::int + 1",
                    "SELECT $1::int + 1", "prepare _pg3_0: SELECT $1::int + 1", "execute _pg3_0", "execute _pg3_0"),
                    sent);
            assertEquals(List.of("_pg3_0"), serverNames(conn));
            assertEquals("SELECT 1", conn.execute("SELECT %s::int + 1", 1).statusMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void thresholdZeroNullAndThePerCallChoice(PgBackend backend) {
        Recording rec = new Recording(backend);
        try (Connection conn = recorded(rec, true)) {
            conn.setPrepareThreshold(null);
            for (int i = 0; i < 8; i++) {
                conn.execute("SELECT 1");
            }
            conn.execute("SELECT 2", new Object[0], true);
            assertTrue(rec.take().stream().noneMatch(s -> s.startsWith("prepare")),
                    "null never prepares, even when a call asks (psycopg)");

            conn.setPrepareThreshold(0);
            conn.execute("SELECT 3");
            conn.execute("SELECT 3", new Object[0], false);
            assertEquals(List.of("prepare _pg3_0: SELECT 3", "execute _pg3_0", "SELECT 3"), rec.take());
            conn.setPrepareThreshold(5);
            conn.execute("SELECT 9", new Object[0], true);
            assertEquals(List.of("prepare _pg3_1: SELECT 9", "execute _pg3_1"), rec.take(), "a call may ask");
            assertThrows(IllegalArgumentException.class, () -> conn.setPrepareThreshold(-1));
            assertThrows(IllegalArgumentException.class, () -> conn.setPreparedMax(-1));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void beyondPreparedMaxTheLeastRecentlyUsedIsClosedOnTheServer(PgBackend backend) {
        Recording rec = new Recording(backend);
        try (Connection conn = recorded(rec, true)) {
            conn.setPrepareThreshold(0);
            conn.setPreparedMax(2);
            conn.execute("SELECT 'a'");
            conn.execute("SELECT 'b'");
            conn.execute("SELECT 'a'"); // 'a' is now the most recently used
            conn.execute("SELECT 'c'");
            List<String> sent = rec.take();
            assertEquals("close _pg3_1", sent.get(sent.size() - 1), String.valueOf(sent));
            assertEquals(List.of("_pg3_0", "_pg3_2"), serverNames(conn));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void droppingAlteringOrRollingBackClearsTheCacheAndTheServer(PgBackend backend) {
        Recording rec = new Recording(backend);
        try (Connection conn = recorded(rec, false)) {
            conn.setPrepareThreshold(0);
            conn.execute("CREATE TEMP TABLE pc (x int)");
            conn.execute("SELECT count(*) FROM pc");
            assertEquals(2, serverNames(conn).size());
            conn.execute("ALTER TABLE pc ADD COLUMN y int");
            assertEquals(List.of(), serverNames(conn), "ALTER clears: DEALLOCATE ALL");
            conn.execute("SELECT count(*) FROM pc");
            conn.rollback();
            assertEquals(List.of(), serverNames(conn), "rollback clears");
            rec.take();
            conn.execute("SELECT 4");
            assertEquals("prepare _pg3_4: SELECT 4", rec.take().get(0), "names keep counting after a clear");
            conn.transaction(tx -> {
                conn.execute("SELECT 5");
                throw new Rollback();
            });
            assertEquals(List.of(), serverNames(conn), "a transaction block's rollback clears");
        }
    }

    /** Another session changes a table: the cached plan's result type changes under it. */
    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aChangedResultTypeIsRepreparedOnceWhereThatIsInvisible(PgBackend backend) {
        String t = Db.table("pc_plan");
        Db.run(backend, "CREATE TABLE " + t + " (a int)");
        Db.run(backend, "INSERT INTO " + t + " VALUES (1)");
        Recording rec = new Recording(backend);
        try (Connection conn = recorded(rec, true)) {
            conn.setPrepareThreshold(0);
            assertEquals(1, conn.execute("SELECT * FROM " + t).description().size());
            Db.run(backend, "ALTER TABLE " + t + " ADD COLUMN b int");
            rec.take();
            assertEquals(2, conn.execute("SELECT * FROM " + t).description().size(), "autocommit: re-run at once");
            assertEquals(List.of("execute _pg3_0", "prepare _pg3_1: SELECT * FROM " + t, "execute _pg3_1"),
                    rec.take().subList(0, 3));

            conn.setAutocommit(false);
            Db.run(backend, "ALTER TABLE " + t + " ADD COLUMN c int");
            assertEquals(3, conn.execute("SELECT * FROM " + t).description().size(),
                    "first in the transaction this call opened: rolled back and re-run");
            conn.commit(); // releases the table, so the other session can alter it; keeps the cache (a rollback clears it)

            Db.run(backend, "ALTER TABLE " + t + " ADD COLUMN d int");
            conn.execute("SELECT 1");
            FeatureNotSupported e = assertThrows(FeatureNotSupported.class, () -> conn.execute("SELECT * FROM " + t),
                    "inside a transaction that already did work the server's abort cannot be hidden");
            assertEquals("cached plan must not change result type", e.diag().messagePrimary());
            conn.rollback();
            assertEquals(4, conn.execute("SELECT * FROM " + t).description().size(), "prepared afresh afterwards");
            conn.rollback();
        } finally {
            Db.run(backend, "DROP TABLE " + t);
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aStatementDroppedBehindTheCachesBackIsPreparedAgain(PgBackend backend) {
        Recording rec = new Recording(backend);
        try (Connection conn = recorded(rec, true)) {
            conn.setPrepareThreshold(0);
            conn.execute("SELECT 6");
            assertEquals(io.pqbridge.pq.PgExecStatus.COMMAND_OK, rec.raw.closePrepared("_pg3_0").status());
            assertEquals(6, conn.execute("SELECT 6").fetchOne().get(0));
            assertEquals(List.of("_pg3_1"), serverNames(conn));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void severalStatementsInOneStringAreNeverPrepared(PgBackend backend) {
        Recording rec = new Recording(backend);
        try (Connection conn = recorded(rec, false)) {
            for (int i = 0; i < 8; i++) {
                Cursor cur = conn.execute("SELECT 1; SELECT 2");
                assertTrue(cur.nextSet());
                assertEquals(2, cur.fetchOne().get(0));
            }
            assertTrue(rec.take().stream().noneMatch(s -> s.startsWith("prepare")));
            conn.rollback();

            conn.setPrepareThreshold(0);
            Cursor cur = conn.execute("SELECT 3; SELECT 4");
            assertTrue(cur.nextSet(), "refused by the server, then run unprepared");
            assertEquals(4, cur.fetchOne().get(0));
            conn.execute("SELECT 3; SELECT 4", new Object[0], true);
            List<String> sent = rec.take();
            assertEquals(1, sent.stream().filter(s -> s.startsWith("prepare")).count(), String.valueOf(sent));
            conn.execute("SELECT 1");
            assertThrows(SyntaxError.class, () -> conn.execute("SELECT 7; SELECT 8"),
                    "inside a transaction that did work the refusal cannot be hidden");
            conn.rollback();
        }
    }

    /** A binary cursor asks for binary results on every path: simple text, parameters, prepared. */
    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aBinaryCursorAsksForBinaryResultsPreparedOrNot(PgBackend backend) {
        Recording rec = new Recording(backend);
        try (Connection conn = recorded(rec, true)) {
            conn.setPrepareThreshold(1);
            Cursor binary = conn.cursor(true);
            for (int i = 0; i < 3; i++) {
                assertEquals(5L, binary.execute("SELECT 5::int8").fetchOne().get(0));
                assertEquals("é", binary.execute("SELECT %s::text", "é").fetchOne().get(0));
            }
            assertEquals(List.of("SELECT 5::int8", "SELECT $1::text", "prepare _pg3_0: SELECT 5::int8", "execute _pg3_0",
                    "prepare _pg3_1: SELECT $1::text", "execute _pg3_1", "execute _pg3_0", "execute _pg3_1"), rec.take());
            assertEquals(List.of(1, 1, 1, 1, 1, 1), rec.resultFormats);
            rec.resultFormats.clear();
            conn.execute("SELECT 5::int8");
            assertEquals(List.of(0), rec.resultFormats, "a text cursor, prepared statement shared");
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aStatementWhoseFirstPreparedRunFailsIsNotLeftOnTheServer(PgBackend backend) {
        Recording rec = new Recording(backend);
        try (Connection conn = recorded(rec, true)) {
            assertThrows(DivisionByZero.class, () -> conn.execute("SELECT 1 / %s", new Object[] {0}, true));
            assertEquals(List.of(), serverNames(conn), "closed before the next statement's own work");
            assertEquals(List.of(), serverNames(conn));
            List<String> sent = rec.take();
            assertTrue(sent.contains("close _pg3_0"), String.valueOf(sent));
            assertNull(conn.execute("SELECT NULL").fetchOne().get(0));
        }
    }
}

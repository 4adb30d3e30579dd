package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.errors.DivisionByZero;
import io.pqbridge.errors.InterfaceException;
import io.pqbridge.errors.NotSupportedException;
import io.pqbridge.errors.PipelineAborted;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.errors.SyntaxError;
import io.pqbridge.errors.UniqueViolation;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.PgPipelineStatus;
import io.pqbridge.test.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Connection#pipeline()} and {@link Cursor#executeMany}: results read when asked for or at
 * the sync, an error raised by its own statement and {@code PipelineAborted} by the skipped ones,
 * transactions inside a pipeline, nesting, refusals, and executemany's counts, kept results,
 * failures and automatic preparation.
 */
@Tag("server-matrix")
class PipelineTest {

    private static Connection connect(PgBackend backend, boolean autocommit) {
        Connection conn = Connection.connect(backend, TestDatabase.conninfo());
        conn.setAutocommit(autocommit);
        return conn;
    }

    private static long count(Connection conn, String table) {
        return ((Number) conn.execute("SELECT count(*) FROM " + table).fetchOne().get(0)).longValue();
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void resultsAreReadWhenAskedForOrAtTheEnd(PgBackend backend) {
        try (Connection conn = connect(backend, true)) {
            Cursor first = conn.cursor();
            Cursor second = conn.cursor();
            Cursor third = conn.cursor();
            try (Pipeline p = conn.pipeline()) {
                assertEquals(PgPipelineStatus.ON, p.status());
                first.execute("SELECT %s::int", 1);
                second.execute("SELECT g FROM generate_series(1, %s) g", 3);
                third.execute("SELECT 'three'");
                assertEquals(1, first.fetchOne().get(0), "read through a flush request, before any sync");
                assertEquals("SELECT 3", second.statusMessage());
                p.sync();
                assertEquals(TransactionStatus.IDLE, Db.status(conn));
            }
            assertEquals(PgPipelineStatus.OFF, conn.pgconn.pipelineStatus());
            assertEquals(List.of(1, 2, 3), second.fetchAll().stream().map(r -> r.get(0)).toList());
            assertEquals("three", third.fetchOne().get(0));
            assertEquals(3, second.rowCount());
            assertEquals(1, conn.execute("SELECT 1").fetchOne().get(0), "an ordinary connection again");
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void theFailedStatementRaisesItsErrorAndTheSkippedOnesPipelineAborted(PgBackend backend) {
        try (Connection conn = connect(backend, true)) {
            conn.execute("CREATE TEMP TABLE pt (x int)");
            Cursor insert = conn.cursor();
            Cursor divide = conn.cursor();
            Cursor skipped = conn.cursor();
            conn.pipeline(p -> {
                insert.execute("INSERT INTO pt VALUES (1)");
                divide.execute("SELECT 1 / %s", 0);
                skipped.execute("INSERT INTO pt VALUES (2)");
                assertThrows(DivisionByZero.class, divide::fetchOne);
                assertThrows(PipelineAborted.class, skipped::fetchOne);
                assertEquals(-1, skipped.rowCount());
                assertEquals(PgPipelineStatus.ABORTED, p.status());
            });
            assertThrows(PipelineAborted.class, skipped::fetchOne);
            assertEquals(1, insert.rowCount(), "the insert ran...");
            assertEquals(0, count(conn, "pt"), "...and was rolled back with the implicit transaction");
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void anErrorNobodyFetchedIsRaisedWhenTheBlockEnds(PgBackend backend) {
        try (Connection conn = connect(backend, true)) {
            Cursor cur = conn.cursor();
            DivisionByZero e = assertThrows(DivisionByZero.class, () -> conn.pipeline(p -> {
                cur.execute("SELECT 1 / 0");
                conn.execute("SELECT 'skipped'");
            }));
            assertTrue(e.getMessage().contains("division by zero"), e.getMessage());
            assertEquals(PgPipelineStatus.OFF, conn.pgconn.pipelineStatus());
            assertEquals(2, conn.execute("SELECT 2").fetchOne().get(0));
            assertThrows(DivisionByZero.class, cur::fetchOne, "the cursor keeps its error");

            Pipeline p = conn.pipeline();
            conn.execute("SELECT 1 / 0");
            assertThrows(DivisionByZero.class, p::sync, "sync raises it too");
            p.close();
            assertThrows(InterfaceException.class, p::sync);
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void transactionsInsideAPipeline(PgBackend backend) {
        try (Connection conn = connect(backend, false)) {
            conn.execute("CREATE TABLE IF NOT EXISTS pipeline_tx (x int)");
            conn.execute("TRUNCATE pipeline_tx");
            conn.commit();
            conn.pipeline(p -> {
                conn.execute("INSERT INTO pipeline_tx VALUES (1)");
                assertEquals(TransactionStatus.ACTIVE, Db.status(conn));
                conn.commit();
                assertEquals(TransactionStatus.IDLE, Db.status(conn), "commit syncs");
                conn.transaction(tx -> conn.execute("INSERT INTO pipeline_tx VALUES (2)"));
                conn.transaction(tx -> {
                    conn.execute("INSERT INTO pipeline_tx VALUES (3)");
                    throw new Rollback();
                });
                assertThrows(DivisionByZero.class, () -> conn.transaction(tx -> {
                    conn.execute("INSERT INTO pipeline_tx VALUES (4)");
                    conn.execute("SELECT 1 / 0");
                }));
            });
            assertEquals(List.of(1, 2), conn.execute("SELECT x FROM pipeline_tx ORDER BY x").fetchAll().stream()
                    .map(r -> r.get(0)).toList());
            conn.pipeline(p -> {
                conn.execute("INSERT INTO pipeline_tx VALUES (5)");
                conn.execute("SELECT 1 / 0");
                conn.rollback(); // ends the aborted batch without raising it, then rolls back
            });
            assertEquals(TransactionStatus.IDLE, Db.status(conn));
            conn.execute("DROP TABLE pipeline_tx");
            conn.commit();
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void blocksNestAndSyncAtEachEnd(PgBackend backend) {
        try (Connection conn = connect(backend, true)) {
            Cursor outer = conn.cursor();
            Cursor inner = conn.cursor();
            try (Pipeline p = conn.pipeline()) {
                outer.execute("SELECT 'outer'");
                try (Pipeline nested = conn.pipeline()) {
                    assertTrue(p == nested, "the same pipeline, one level deeper");
                    inner.execute("SELECT 1 / 0");
                }
                assertTrue(false, "the inner block's end raises the error");
            } catch (DivisionByZero expected) {
                assertEquals(PgPipelineStatus.OFF, conn.pgconn.pipelineStatus());
            }
            assertEquals("outer", outer.fetchOne().get(0));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void copyStreamAndServerCursorsAreRefusedBeforeAnythingIsSent(PgBackend backend) {
        try (Connection conn = connect(backend, true)) {
            conn.pipeline(p -> {
                Cursor cur = conn.cursor();
                assertEquals("COPY cannot be used in pipeline mode", assertThrows(NotSupportedException.class,
                        () -> cur.copy("COPY (SELECT 1) TO STDOUT", copy -> { })).getMessage());
                assertThrows(ProgrammingException.class, () -> cur.execute("COPY (SELECT 1) TO STDOUT"));
                assertEquals("stream() cannot be used in pipeline mode",
                        assertThrows(ProgrammingException.class, () -> cur.stream("SELECT 1")).getMessage());
                assertThrows(NotSupportedException.class, () -> conn.cursor("named").execute("SELECT 1"));
                cur.execute("SELECT 'still fine'");
                assertEquals("still fine", cur.fetchOne().get(0));
            });
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void executeManyCountsPreparesOnceAndStaysBounded(PgBackend backend) {
        try (Connection conn = connect(backend, false)) {
            conn.execute("CREATE TEMP TABLE many (id int8 PRIMARY KEY, name text, at timestamptz)");
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                rows.add(new Object[] {(long) i, "n" + i, java.time.OffsetDateTime.parse("2026-01-01T00:00:00Z")});
            }
            Cursor cur = conn.cursor();
            cur.executeMany("INSERT INTO many VALUES (%s, %s, %s)", rows);
            assertEquals(10_000, cur.rowCount());
            assertEquals(TransactionStatus.INTRANS, Db.status(conn));
            assertEquals(10_000, count(conn, "many"));
            assertEquals(1L, conn.execute("SELECT count(*) FROM pg_prepared_statements").fetchOne().get(0),
                    "prepared once, then only bound and executed");
            assertThrows(ProgrammingException.class, cur::fetchOne, "the results are not kept");
            conn.commit();
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void executeManyReturningKeepsEachRunsResult(PgBackend backend) {
        try (Connection conn = connect(backend, true)) {
            conn.execute("CREATE TEMP TABLE ret (id serial, name text)");
            Cursor cur = conn.cursor();
            cur.executeMany("INSERT INTO ret (name) VALUES (%(name)s) RETURNING id, name",
                    List.of(Map.of("name", "a"), Map.of("name", "b"), Map.of("name", "c")), true);
            List<String> seen = new ArrayList<>();
            do {
                Row row = cur.fetchOne();
                seen.add(row.get(0) + "=" + row.get(1));
                assertNull(cur.fetchOne());
            } while (cur.nextSet());
            assertEquals(List.of("1=a", "2=b", "3=c"), seen);
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aFailingRowFailsTheCall(PgBackend backend) {
        for (boolean autocommit : new boolean[] {false, true}) {
            try (Connection conn = connect(backend, autocommit)) {
                conn.execute("CREATE TEMP TABLE uniq (id int PRIMARY KEY)");
                if (!autocommit) {
                    conn.commit();
                }
                Cursor cur = conn.cursor();
                assertThrows(UniqueViolation.class, () -> cur.executeMany("INSERT INTO uniq VALUES (%s)",
                        List.of(new Object[] {1}, new Object[] {2}, new Object[] {1}, new Object[] {3})));
                assertEquals(-1, cur.rowCount());
                assertEquals(PgPipelineStatus.OFF, conn.pgconn.pipelineStatus());
                if (autocommit) {
                    assertEquals(TransactionStatus.IDLE, Db.status(conn));
                    assertEquals(0, count(conn, "uniq"), "the batch was one implicit transaction");
                } else {
                    assertEquals(TransactionStatus.INERROR, Db.status(conn));
                    conn.rollback();
                }
                assertThrows(SyntaxError.class, () -> cur.executeMany("INSERT INTO uniq VALUES (%s) garbage",
                        List.of(new Object[] {1}, new Object[] {2})));
                assertFalse(conn.isClosed());
                if (!autocommit) {
                    conn.rollback();
                }
                assertEquals(0, count(conn, "uniq"));
            }
        }
    }
}

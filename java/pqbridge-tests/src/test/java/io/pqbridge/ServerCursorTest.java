package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.errors.InterfaceException;
import io.pqbridge.errors.NoActiveSqlTransaction;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Server-side cursors (psycopg's {@code ServerCursor}): DECLARE, FETCH in batches, hold, close. */
class ServerCursorTest {

    private static Connection recorded(Recording rec, boolean autocommit) {
        Connection conn = Connection.connect(rec, TestDatabase.conninfo());
        conn.setAutocommit(autocommit);
        return conn;
    }

    private static long openCursors(Connection conn) {
        return (Long) conn.execute("SELECT count(*) FROM pg_cursors", new Object[0], false).fetchOne().get(0);
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void iterationFetchesItersizeRowsAtATime(PgBackend backend) {
        Recording rec = new Recording(backend);
        try (Connection conn = recorded(rec, false); ServerCursor cur = conn.cursor("big \"one\"")) {
            cur.setItersize(3);
            cur.execute("SELECT g, %s || g FROM generate_series(1, %s) g", "r", 10);
            assertEquals(List.of("g", "?column?"), cur.description().stream().map(Column::name).toList());
            List<Integer> seen = new ArrayList<>();
            for (Row row : cur) {
                seen.add((Integer) row.get(0));
            }
            assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), seen);
            assertEquals(10, cur.rowNumber());
            List<String> sent = rec.take();
            assertEquals("DECLARE \"big \"\"one\"\"\" CURSOR FOR SELECT g, $1 || g FROM generate_series(1, $2) g",
                    sent.get(1));
            assertEquals(4, sent.stream().filter(s -> s.equals("FETCH FORWARD 3 FROM \"big \"\"one\"\"\"")).count(),
                    String.valueOf(sent));
            assertThrows(IllegalArgumentException.class, () -> cur.setItersize(0));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void fetchOneManyAllAndClose(PgBackend backend) {
        Recording rec = new Recording(backend);
        try (Connection conn = recorded(rec, false)) {
            ServerCursor cur = conn.cursor("c1");
            assertThrows(Exception.class, cur::fetchOne, "nothing declared yet");
            cur.execute("SELECT g FROM generate_series(1, %(n)s) g", Map.of("n", 6));
            assertEquals(1, cur.fetchOne().get(0));
            assertEquals(2, cur.fetchMany(2).size());
            assertEquals(3, cur.fetchAll().size());
            assertNull(cur.fetchOne());
            assertEquals(1, openCursors(conn));
            cur.execute("SELECT 'again'");
            assertEquals("again", cur.fetchOne().get(0), "a second execute closes the first cursor");
            assertEquals(1, openCursors(conn));
            cur.close();
            assertEquals(0, openCursors(conn));
            assertTrue(cur.isClosed());
            InterfaceException e = assertThrows(InterfaceException.class, cur::fetchOne);
            assertEquals("the cursor is closed", e.getMessage());
            cur.close();
            conn.commit();
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void withoutHoldItNeedsATransactionWithHoldItOutlivesTheCommit(PgBackend backend) {
        Recording rec = new Recording(backend);
        try (Connection conn = recorded(rec, true)) {
            ServerCursor plain = conn.cursor("plain");
            NoActiveSqlTransaction e = assertThrows(NoActiveSqlTransaction.class, () -> plain.execute("SELECT 1"));
            assertEquals("DECLARE CURSOR can only be used in transaction blocks", e.diag().messagePrimary());
            plain.close();

            try (ServerCursor held = conn.cursor("held", true, true, true)) {
                held.execute("SELECT g::int8 FROM generate_series(1, 5) g");
                assertTrue(held.withhold());
                assertEquals(Boolean.TRUE, held.scrollable());
                rec.resultFormats.clear();
                assertEquals(1L, held.fetchOne().get(0), "binary rows load as in text");
                assertEquals(List.of(1), rec.resultFormats, "the FETCH asked for binary rows");
                assertEquals(TransactionStatus.IDLE, Db.status(conn), "autocommit: the DECLARE committed");
                assertEquals(4, held.fetchAll().size());
            }
            assertEquals(0, openCursors(conn));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aCursorWithoutHoldIsNotClosedAgainAfterItsTransactionEnded(PgBackend backend) {
        Recording rec = new Recording(backend);
        try (Connection conn = recorded(rec, false)) {
            ServerCursor cur = conn.cursor("gone");
            cur.execute("SELECT 1");
            conn.commit();
            rec.take();
            cur.close();
            assertFalse(rec.take().stream().anyMatch(s -> s.startsWith("CLOSE")), "nothing left to close");

            ServerCursor failed = conn.cursor("failed");
            failed.execute("SELECT 1");
            assertThrows(Exception.class, () -> conn.execute("SELECT 1/0"));
            rec.take();
            failed.close();
            assertEquals(List.of(), rec.take(), "a failed transaction is not touched");
            conn.rollback();
        }
    }
}

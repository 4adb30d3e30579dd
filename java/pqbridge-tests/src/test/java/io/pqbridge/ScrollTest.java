package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code scroll(value, mode)} on client and server cursors (psycopg's {@code scroll()}), with the
 * check psycopg leaves out for server cursors: a target outside the result is refused with its
 * position and the bounds, and leaves the cursor where it was when it can.
 */
class ScrollTest {

    private static Connection connect(PgBackend backend) {
        return Connection.connect(backend, TestDatabase.conninfo());
    }

    private static int next(Cursor cur) {
        return (Integer) cur.fetchOne().get(0);
    }

    private static int next(ServerCursor cur) {
        return (Integer) cur.fetchOne().get(0);
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aClientCursorMovesWithinItsRows(PgBackend backend) {
        try (Connection conn = connect(backend)) {
            Cursor cur = conn.execute("SELECT g FROM generate_series(1, 5) g");
            cur.scroll(2);
            assertEquals(3, next(cur));
            cur.scroll(-2);
            assertEquals(2, next(cur));
            cur.scroll(4, "absolute");
            assertEquals(5, next(cur));
            cur.scroll(0, "absolute");
            ProgrammingException e = assertThrows(ProgrammingException.class, () -> cur.scroll(5));
            assertTrue(e.getMessage().contains("position 5") && e.getMessage().contains("0 to 4"), e.getMessage());
            assertThrows(ProgrammingException.class, () -> cur.scroll(-1, "absolute"));
            assertEquals(1, next(cur), "a refused scroll leaves the position");
            assertThrows(IllegalArgumentException.class, () -> cur.scroll(1, "sideways"));
            Cursor command = conn.execute("CREATE TEMP TABLE s (a int)");
            assertThrows(ProgrammingException.class, () -> command.scroll(0), "no rows to scroll in");
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aServerCursorMovesOnTheServerAndRefusesPositionsOutsideItsResult(PgBackend backend) {
        try (Connection conn = connect(backend)) {
            try (ServerCursor cur = conn.cursor("scrolled", false, true, false)) {
                cur.execute("SELECT g FROM generate_series(1, 10) g");
                cur.scroll(3);
                assertEquals(3, cur.rowNumber());
                assertEquals(4, next(cur));
                cur.scroll(-3);
                assertEquals(2, next(cur));
                cur.scroll(7, "absolute");
                assertEquals(8, next(cur));
                assertEquals(2, cur.fetchAll().size(), "9 and 10 left");
                cur.scroll(-10);
                assertEquals(1, next(cur), "back to the start after reading past the end");
                ProgrammingException past = assertThrows(ProgrammingException.class, () -> cur.scroll(20));
                assertTrue(past.getMessage().contains("position 21") && past.getMessage().contains("10 rows"),
                        past.getMessage());
                assertEquals(1, cur.rowNumber());
                assertEquals(2, next(cur), "a scrollable cursor stays where it was");
                assertThrows(ProgrammingException.class, () -> cur.scroll(-5), "before the first row");
                cur.scroll(10, "absolute");
                assertEquals(0, cur.fetchMany(5).size(), "the end is a position");
            }
            try (ServerCursor forward = conn.cursor("forward", false, false, false)) {
                forward.execute("SELECT g FROM generate_series(1, 10) g");
                forward.scroll(2);
                assertEquals(3, next(forward));
                ProgrammingException back = assertThrows(ProgrammingException.class, () -> forward.scroll(-1));
                assertTrue(back.getMessage().contains("scrollable=false"), back.getMessage());
                ProgrammingException past = assertThrows(ProgrammingException.class, () -> forward.scroll(50));
                assertTrue(past.getMessage().contains("now at its end, 10"), past.getMessage());
                assertEquals(10, forward.rowNumber());
                assertEquals(TransactionStatus.INTRANS, Db.status(conn), "nothing failed on the server");
            }
            conn.rollback();
        }
    }
}

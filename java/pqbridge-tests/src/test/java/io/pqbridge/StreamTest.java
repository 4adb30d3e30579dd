package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.errors.DivisionByZero;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Cursor#stream}: rows one at a time, the connection held until the end, early exits that
 * cancel and leave a deterministic state, errors in the middle, refusals before anything is sent.
 */
class StreamTest {

    private static Connection connect(PgBackend backend, boolean autocommit) {
        Connection conn = Connection.connect(backend, TestDatabase.conninfo());
        conn.setAutocommit(autocommit);
        return conn;
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void rowsArriveOneByOneAndTheCursorTellsTheOutcome(PgBackend backend) {
        try (Connection conn = connect(backend, false)) {
            Cursor cur = conn.cursor();
            List<Integer> seen = new ArrayList<>();
            try (RowStream rows = cur.stream("SELECT g, %s || g FROM generate_series(1, %s) g", "r", 5)) {
                for (Row row : rows) {
                    seen.add((Integer) row.get(0));
                    assertEquals("r" + row.get(0), row.get(1));
                }
                assertTrue(rows.isEnded());
            }
            assertEquals(List.of(1, 2, 3, 4, 5), seen);
            assertEquals("SELECT 5", cur.statusMessage());
            assertEquals(5, cur.rowCount());
            assertEquals(TransactionStatus.INTRANS, Db.status(conn));
            assertEquals(1, conn.execute("SELECT 1").fetchOne().get(0), "the connection is free again");
            try (RowStream none = cur.stream("SELECT 1 WHERE false")) {
                assertFalse(none.iterator().hasNext());
            }
            conn.commit();
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void leavingEarlyCancelsAndLeavesTheTransactionUsable(PgBackend backend) {
        for (boolean autocommit : new boolean[] {false, true}) {
            try (Connection conn = connect(backend, autocommit)) {
                int read = 0;
                try (RowStream rows = conn.cursor().stream("SELECT g FROM generate_series(1, 100000000) g")) {
                    for (Row ignored : rows) {
                        if (++read == 3) {
                            break;
                        }
                    }
                }
                assertEquals(autocommit ? TransactionStatus.IDLE : TransactionStatus.INTRANS, Db.status(conn),
                        "autocommit " + autocommit);
                assertEquals(2, conn.execute("SELECT 2").fetchOne().get(0));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void anExceptionInTheLoopClosesTheStream(PgBackend backend) {
        try (Connection conn = connect(backend, false)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                try (RowStream rows = conn.cursor().stream("SELECT g FROM generate_series(1, 1000000) g")) {
                    for (Row row : rows) {
                        throw new IllegalStateException("stop at " + row.get(0));
                    }
                }
            });
            assertEquals("stop at 1", e.getMessage());
            assertEquals(TransactionStatus.INTRANS, Db.status(conn));
            conn.rollback();
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aServerErrorInTheMiddleIsRaisedAfterTheRowsBeforeIt(PgBackend backend) {
        try (Connection conn = connect(backend, false)) {
            List<Object> seen = new ArrayList<>();
            assertThrows(DivisionByZero.class, () -> {
                try (RowStream rows = conn.cursor().stream("SELECT 6 / (3 - g) FROM generate_series(1, 5) g")) {
                    for (Row row : rows) {
                        seen.add(row.get(0));
                    }
                }
            });
            assertEquals(List.of(3, 6), seen);
            assertEquals(TransactionStatus.INERROR, Db.status(conn), "a failed statement fails the transaction");
            conn.rollback();
            assertEquals(1, conn.execute("SELECT 1").fetchOne().get(0));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void theConnectionIsHeldUntilTheStreamEnds(PgBackend backend) throws Exception {
        try (Connection conn = connect(backend, true)) {
            try (RowStream rows = conn.cursor().stream("SELECT g FROM generate_series(1, 10) g")) {
                ProgrammingException same = assertThrows(ProgrammingException.class, () -> conn.execute("SELECT 1"));
                assertTrue(same.getMessage().startsWith("the connection is held by the open stream of \"SELECT g FROM"),
                        same.getMessage());
                CompletableFuture<Object> other = CompletableFuture.supplyAsync(
                        () -> conn.execute("SELECT 7").fetchOne().get(0));
                Thread.sleep(200);
                assertFalse(other.isDone(), "another thread waits for the stream");
                int count = 0;
                for (Row ignored : rows) {
                    count++;
                }
                assertEquals(10, count);
                assertEquals(7, other.get(10, TimeUnit.SECONDS));
            }
        }
    }

    /** Closed by another thread between two rows: the stream ends, and the lock is free for every caller's answer. */
    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aConnectionClosedMidStreamReleasesTheConnection(PgBackend backend) throws Exception {
        Connection conn = connect(backend, false);
        RowStream rows = conn.cursor().stream("SELECT g FROM generate_series(1, 10) g");
        java.util.Iterator<Row> it = rows.iterator();
        assertEquals(1, it.next().get(0));
        CompletableFuture.runAsync(conn::close).get(10, TimeUnit.SECONDS);
        assertThrows(io.pqbridge.errors.InterfaceException.class, it::hasNext);
        rows.close();
        CompletableFuture<Void> commit = CompletableFuture.runAsync(conn::commit);
        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> commit.get(10, TimeUnit.SECONDS), "another thread's call fails at once, it does not wait");
        assertEquals("the connection is closed", e.getCause().getMessage());
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void copyIsRefusedBeforeAnythingIsSent(PgBackend backend) {
        try (Connection conn = connect(backend, false)) {
            Cursor cur = conn.cursor();
            ProgrammingException e = assertThrows(ProgrammingException.class,
                    () -> cur.stream(" /* x /* nested */ */ -- c\n copy (SELECT 1) TO STDOUT"));
            assertEquals("COPY cannot be used with this method; use copy() instead", e.getMessage());
            assertEquals(TransactionStatus.IDLE, Db.status(conn), "nothing was sent, not even BEGIN");
            try (RowStream rows = cur.stream("SELECT 1 AS copy_of")) {
                assertEquals(1, rows.iterator().next().get(0), "a column named copy... is no COPY");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void chunkedStreamsGiveTheSameRowsAndOutcome(PgBackend backend) {
        try (Connection conn = connect(backend, false)) {
            Cursor cur = conn.cursor();
            for (int[] sizes : new int[][] {{1000, 64}, {128, 64}, {5, 1}, {0, 10}}) {
                long sum = 0;
                int count = 0;
                try (RowStream rows = cur.stream("SELECT g FROM generate_series(1, %s) g", new Object[] {sizes[0]},
                        sizes[1])) {
                    for (Row row : rows) {
                        count++;
                        assertEquals(count, row.get(0), "in order");
                        sum += (Integer) row.get(0);
                    }
                }
                assertEquals(sizes[0], count);
                assertEquals((long) sizes[0] * (sizes[0] + 1) / 2, sum);
                assertEquals(sizes[0], cur.rowCount(), "the tag's count, wherever the chunks put it");
                assertEquals("SELECT " + sizes[0], cur.statusMessage());
            }
            try (RowStream rows = cur.stream("SELECT g FROM generate_series(1, 1000000) g", (Object[]) null, 100)) {
                rows.iterator().next();
            }
            assertEquals(TransactionStatus.INTRANS, Db.status(conn), "closed early: cancelled, the transaction usable");
            List<Integer> before = new ArrayList<>();
            assertThrows(DivisionByZero.class, () -> {
                try (RowStream rows = cur.stream("SELECT 6 / (300 - g) FROM generate_series(1, 400) g", (Object[]) null, 100)) {
                    for (Row row : rows) {
                        before.add((Integer) row.get(0));
                    }
                }
            });
            assertEquals(200, before.size(), "the two whole chunks before the error; the short one is dropped");
            conn.rollback();
            assertThrows(ProgrammingException.class, () -> cur.stream("SELECT 1", (Object[]) null, 0));
            assertEquals(TransactionStatus.IDLE, Db.status(conn), "refused before anything was sent");
        }
    }
}

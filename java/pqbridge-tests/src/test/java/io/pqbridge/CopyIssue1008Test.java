package io.pqbridge;

import static io.pqbridge.CopyOutcomeTest.BIG_OUT;
import static io.pqbridge.CopyOutcomeTest.BUSY;
import static io.pqbridge.CopyOutcomeTest.assertBusy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.errors.OperationalException;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.TestDatabase;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * psycopg issue #1008: a COPY TO STDOUT block left before the end of the data. The three
 * situations, and what the connection does after each.
 */
@Tag("server-matrix")
class CopyIssue1008Test {

    private static final int ROWS = 1_000_000;

    /** Situation 1: partial read, normal exit. Busy, with the explanation, until read to the end. */
    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void partialReadNormalExitIsBusyUntilReadToTheEnd(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            conn.execute("CREATE TEMP TABLE earlier (n int)");
            conn.execute("INSERT INTO earlier VALUES (1)");
            Cursor cur = conn.cursor();
            AtomicReference<Copy> left = new AtomicReference<>();
            cur.copy(BIG_OUT, copy -> {
                left.set(copy);
                for (int i = 0; i < 10; i++) {
                    copy.read();
                }
            });
            assertBusy(conn);
            OperationalException commit = assertThrows(OperationalException.class, conn::commit);
            assertTrue(commit.getMessage().startsWith(BUSY), commit.getMessage());
            assertTrue(commit.getMessage().endsWith("or call copy.cancel()"), commit.getMessage());
            OperationalException params = assertThrows(OperationalException.class,
                    () -> conn.execute("SELECT %s", 1));
            assertTrue(params.getMessage().startsWith(
                    "sending query and params failed: another command is already in progress"), params.getMessage());
            assertTrue(params.getMessage().contains("\nthe COPY TO STDOUT started by"), params.getMessage());
            assertThrows(OperationalException.class, () -> conn.transaction(tx -> {
                throw new AssertionError("the block must not run");
            }));
            assertThrows(OperationalException.class, () -> conn.cursor().copy("COPY earlier TO STDOUT", copy -> {
            }));
            assertEquals(-1, cur.rowCount());

            int rest = 0;
            Copy copy = left.get();
            while (copy.read().length > 0) {
                rest++;
            }
            assertEquals(ROWS - 10, rest);
            assertEquals(0, copy.read().length);
            assertEquals(ROWS, cur.rowCount());
            assertEquals(TransactionStatus.INTRANS, Db.status(conn), "recovered without losing the transaction");
            assertTrue(Db.selectOneWorks(conn));
            assertEquals(1, conn.execute("SELECT count(*) FROM earlier").fetchOne().getLong(0));
            conn.commit();
        }
    }

    /** Situation 1 with the way out the new message names last: copy.cancel() after the block. */
    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void partialReadNormalExitRecoveredByCancel(PgBackend backend) {
        for (boolean autocommit : new boolean[] {false, true}) {
            try (Connection conn = Db.connect(backend)) {
                conn.setAutocommit(autocommit);
                AtomicReference<Copy> left = new AtomicReference<>();
                conn.cursor().copy(BIG_OUT, copy -> {
                    left.set(copy);
                    copy.read();
                });
                assertBusy(conn);
                left.get().cancel();
                left.get().cancel(); // nothing left to cancel
                if (autocommit) {
                    assertEquals(TransactionStatus.IDLE, Db.status(conn));
                } else {
                    assertEquals(TransactionStatus.INERROR, Db.status(conn));
                    conn.rollback();
                }
                assertTrue(Db.selectOneWorks(conn));
            }
        }
    }

    /** Situation 1 inside {@code Connection.connect(conninfo, body)}: the exit's commit fails, the connection stays open. */
    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void partialReadInsideScopedConnectLeavesTheConnectionOpen(PgBackend backend) {
        AtomicReference<Connection> seen = new AtomicReference<>();
        AtomicReference<Copy> left = new AtomicReference<>();
        OperationalException e = assertThrows(OperationalException.class,
                () -> Connection.connect(backend, TestDatabase.conninfo(), conn -> {
                    seen.set(conn);
                    conn.cursor().copy(BIG_OUT, copy -> {
                        left.set(copy);
                        copy.read();
                    });
                }));
        assertTrue(e.getMessage().startsWith(BUSY + "\n"), e.getMessage());
        Connection conn = seen.get();
        try {
            assertFalse(conn.isClosed(), "psycopg's rule: a failed commit skips the close");
            while (left.get().read().length > 0) {
                // the way out: read the rest
            }
            assertTrue(Db.selectOneWorks(conn));
        } finally {
            conn.close();
        }
    }

    /** Situation 2: partial read, exception exit. Cancelled and drained: usable. */
    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void partialReadExceptionExitIsUsable(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            conn.execute("CREATE TEMP TABLE t_1008 (n int)");
            conn.commit();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> conn.cursor().copy(BIG_OUT, copy -> {
                        copy.read();
                        throw new IllegalArgumentException("found what I wanted");
                    }));
            assertEquals("found what I wanted", e.getMessage());
            assertEquals(TransactionStatus.INERROR, Db.status(conn));
            conn.rollback();
            assertTrue(Db.selectOneWorks(conn));
            conn.execute("INSERT INTO t_1008 VALUES (1)");
            conn.commit();
        }
    }

    /** Situation 3: partial read in a transaction block left with {@code throw new Rollback()}. */
    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void partialReadRollbackInATransactionBlock(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            conn.execute("CREATE TEMP TABLE kept (n int)");
            conn.commit();
            conn.transaction(tx -> {
                conn.execute("INSERT INTO kept VALUES (1)");
                conn.cursor().copy(BIG_OUT, copy -> {
                    copy.read();
                    throw new Rollback();
                });
            });
            assertEquals(TransactionStatus.IDLE, Db.status(conn), "no exception escaped, the block rolled back");
            assertTrue(Db.selectOneWorks(conn));
            assertEquals(0, conn.execute("SELECT count(*) FROM kept").fetchOne().getLong(0));

            // inside an already open transaction, the earlier work survives the Rollback
            conn.execute("INSERT INTO kept VALUES (2)");
            conn.transaction(tx -> conn.cursor().copy(BIG_OUT, copy -> {
                copy.read();
                throw new Rollback(tx);
            }));
            assertEquals(TransactionStatus.INTRANS, Db.status(conn));
            conn.commit();
            assertEquals(2, conn.execute("SELECT n FROM kept").fetchOne().getInt(0));
        }
    }
}

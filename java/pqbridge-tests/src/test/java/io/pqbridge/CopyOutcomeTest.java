package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.errors.DataException;
import io.pqbridge.errors.DatabaseException;
import io.pqbridge.errors.Errors;
import io.pqbridge.errors.IntegrityException;
import io.pqbridge.errors.OperationalException;
import io.pqbridge.pq.PgBackend;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of the COPY/transaction outcome table (psycopg's COPY exit rules): what the caller
 * sees, the transaction status afterwards, and whether {@code SELECT 1} then works.
 */
@Tag("server-matrix")
class CopyOutcomeTest {

    /** Far more than the socket buffers hold: the server is still sending when the block ends. */
    static final String BIG_OUT = "COPY (SELECT g, 'row number ' || g FROM generate_series(1, 1000000) g) TO STDOUT";

    static final String BUSY = "sending query failed: another command is already in progress";

    /** The connection refuses commands because of an unfinished COPY, with the explanatory second line. */
    static void assertBusy(Connection conn) {
        OperationalException e = assertThrows(OperationalException.class, () -> conn.execute("SELECT 1"));
        String[] lines = e.getMessage().split("\n");
        assertEquals(BUSY, lines[0], e.getMessage());
        assertEquals(2, lines.length, e.getMessage());
        assertTrue(lines[1].startsWith("the COPY TO STDOUT started by \"COPY (SELECT g"), lines[1]);
        assertTrue(lines[1].contains("read it to the end"), lines[1]);
        assertTrue(lines[1].contains("throw new Rollback()"), lines[1]);
        assertTrue(lines[1].contains("copy.cancel()"), lines[1]);
        assertNull(e.sqlstate());
        assertEquals(TransactionStatus.ACTIVE, Db.status(conn));
    }

    private static Connection connect(PgBackend backend, boolean autocommit) {
        Connection conn = Db.connect(backend);
        conn.setAutocommit(autocommit);
        return conn;
    }

    // ---- COPY TO STDOUT ----

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void outPartialReadNormalExit(PgBackend backend) {
        for (boolean autocommit : new boolean[] {false, true}) {
            try (Connection conn = connect(backend, autocommit)) {
                conn.cursor().copy(BIG_OUT, copy -> {
                    assertEquals(2, copy.readRow().length);
                    copy.read();
                });
                assertEquals(TransactionStatus.ACTIVE, Db.status(conn));
                assertBusy(conn);
                assertFalse(Db.selectOneWorks(conn));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void outAllRowsReadButNotTheEnd(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            conn.cursor().copy("COPY (SELECT g FROM generate_series(1, 3) g) TO STDOUT", copy -> {
                for (int i = 1; i <= 3; i++) {
                    assertEquals(i + "\n", new String(copy.read()));
                }
            });
            assertEquals(TransactionStatus.ACTIVE, Db.status(conn), "the final result is still unread");
            assertFalse(Db.selectOneWorks(conn));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void outReadToTheEnd(PgBackend backend) {
        for (boolean autocommit : new boolean[] {false, true}) {
            try (Connection conn = connect(backend, autocommit)) {
                Cursor cur = conn.cursor();
                cur.copy("COPY (SELECT g FROM generate_series(1, 3) g) TO STDOUT", copy -> {
                    int n = 0;
                    while (copy.read().length > 0) {
                        n++;
                    }
                    assertEquals(3, n);
                    assertEquals(0, copy.read().length, "empty forever after");
                });
                assertEquals(autocommit ? TransactionStatus.IDLE : TransactionStatus.INTRANS, Db.status(conn));
                assertEquals(3, cur.rowCount());
                assertNull(cur.statusMessage());
                assertEquals("column_1", cur.description().get(0).name());
                assertTrue(Db.selectOneWorks(conn));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void outPartialReadException(PgBackend backend) {
        for (boolean autocommit : new boolean[] {false, true}) {
            try (Connection conn = connect(backend, autocommit)) {
                Cursor cur = conn.cursor();
                IllegalStateException thrown = new IllegalStateException("enough");
                IllegalStateException caught = assertThrows(IllegalStateException.class, () -> cur.copy(BIG_OUT,
                        copy -> {
                            copy.read();
                            throw thrown;
                        }));
                assertSame(thrown, caught, "the body's exception propagates unchanged");
                assertEquals(-1, cur.rowCount());
                if (autocommit) {
                    assertEquals(TransactionStatus.IDLE, Db.status(conn));
                } else {
                    assertEquals(TransactionStatus.INERROR, Db.status(conn), "cancelled in the server");
                    assertFalse(Db.selectOneWorks(conn));
                    conn.rollback();
                }
                assertTrue(Db.selectOneWorks(conn));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void outServerAlreadyDoneException(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            Cursor cur = conn.cursor();
            assertThrows(IllegalStateException.class, () -> cur.copy("COPY (VALUES (1), (2)) TO STDOUT", copy -> {
                copy.read();
                Thread.sleep(200); // the server has sent everything and is idle: the cancel is ignored
                throw new IllegalStateException("after the server finished");
            }));
            assertEquals(TransactionStatus.INTRANS, Db.status(conn));
            assertTrue(Db.selectOneWorks(conn));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void outServerErrorMidStream(PgBackend backend) {
        for (boolean autocommit : new boolean[] {false, true}) {
            try (Connection conn = connect(backend, autocommit)) {
                Cursor cur = conn.cursor();
                AtomicReference<Integer> rowsBefore = new AtomicReference<>(0);
                DatabaseException e = assertThrows(DatabaseException.class, () -> cur.copy(
                        "COPY (SELECT 1 / (5000 - g) FROM generate_series(1, 10000) g) TO STDOUT", copy -> {
                            for (Object[] row : copy.rows()) {
                                rowsBefore.set(rowsBefore.get() + 1);
                            }
                        }));
                assertInstanceOf(Errors.lookup("22012"), e);
                assertInstanceOf(DataException.class, e);
                assertEquals("division by zero", e.getMessage());
                assertTrue(rowsBefore.get() > 0 && rowsBefore.get() < 5000, "rows before the error: " + rowsBefore);
                assertEquals(autocommit ? TransactionStatus.IDLE : TransactionStatus.INERROR, Db.status(conn));
                if (!autocommit) {
                    conn.rollback();
                }
                assertTrue(Db.selectOneWorks(conn));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void transactionOutPartialReadRollback(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            conn.transaction(tx -> conn.cursor().copy(BIG_OUT, copy -> {
                copy.read();
                throw new Rollback();
            }));
            assertEquals(TransactionStatus.IDLE, Db.status(conn));
            assertTrue(Db.selectOneWorks(conn));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void transactionOutPartialReadRollbackInsideAnOpenTransaction(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            conn.execute("CREATE TEMP TABLE earlier (n int)");
            conn.execute("INSERT INTO earlier VALUES (7)");
            AtomicReference<Transaction> seen = new AtomicReference<>();
            conn.transaction(tx -> {
                seen.set(tx);
                conn.cursor().copy(BIG_OUT, copy -> {
                    copy.read();
                    throw new Rollback();
                });
            });
            assertEquals("_pg3_1", seen.get().savepointName());
            assertEquals(Transaction.Status.ROLLED_BACK_EXPLICITLY, seen.get().status());
            assertEquals(TransactionStatus.INTRANS, Db.status(conn));
            assertEquals(7, conn.execute("SELECT n FROM earlier").fetchOne().getInt(0), "earlier work survives");
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void transactionOutPartialReadNormalExit(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            AtomicReference<Transaction> seen = new AtomicReference<>();
            OperationalException e = assertThrows(OperationalException.class, () -> conn.transaction(tx -> {
                seen.set(tx);
                conn.cursor().copy(BIG_OUT, copy -> copy.read());
            }));
            assertTrue(e.getMessage().startsWith(BUSY + "\nthe COPY TO STDOUT started by"), e.getMessage());
            assertEquals(Transaction.Status.FAILED, seen.get().status());
            assertEquals(TransactionStatus.ACTIVE, Db.status(conn));
            assertFalse(Db.selectOneWorks(conn));
        }
    }

    // ---- COPY FROM STDIN ----

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void inNormalExit(PgBackend backend) {
        for (boolean autocommit : new boolean[] {false, true}) {
            String t = Db.table("in_ok");
            Db.run(backend, "CREATE TABLE " + t + " (n int, s text)");
            try (Connection conn = connect(backend, autocommit)) {
                Cursor cur = conn.cursor();
                cur.copy("COPY " + t + " FROM STDIN", copy -> {
                    copy.writeRow(1, "a");
                    copy.writeRow(2, "b");
                });
                assertEquals(2, cur.rowCount());
                assertEquals("COPY 2", cur.statusMessage());
                assertEquals(autocommit ? TransactionStatus.IDLE : TransactionStatus.INTRANS, Db.status(conn));
                assertEquals(autocommit ? "2" : "0", String.valueOf(Db.scalar(backend, "SELECT count(*) FROM " + t)),
                        "visible to others only once committed");
                assertTrue(Db.selectOneWorks(conn));
                conn.commit();
                assertEquals("2", String.valueOf(Db.scalar(backend, "SELECT count(*) FROM " + t)));
            } finally {
                Db.run(backend, "DROP TABLE " + t);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void inException(PgBackend backend) {
        for (boolean autocommit : new boolean[] {false, true}) {
            try (Connection conn = connect(backend, autocommit)) {
                conn.execute("CREATE TEMP TABLE t_in_exc (n int)");
                conn.commit();
                Cursor cur = conn.cursor();
                ArithmeticException thrown = new ArithmeticException("/ by zero");
                ArithmeticException caught = assertThrows(ArithmeticException.class,
                        () -> cur.copy("COPY t_in_exc FROM STDIN", copy -> {
                            copy.writeRow(1);
                            copy.write("2\n");
                            throw thrown;
                        }));
                assertSame(thrown, caught, "the body's exception propagates unchanged, not QueryCanceled");
                assertEquals(-1, cur.rowCount());
                if (autocommit) {
                    assertEquals(TransactionStatus.IDLE, Db.status(conn));
                } else {
                    assertEquals(TransactionStatus.INERROR, Db.status(conn));
                    assertFalse(Db.selectOneWorks(conn));
                    conn.rollback();
                }
                assertEquals(0, conn.execute("SELECT count(*) FROM t_in_exc").fetchOne().getLong(0), "nothing stored");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void inBadDataSurfacesAtTheEndWithFullDiagnostics(PgBackend backend) {
        for (boolean autocommit : new boolean[] {false, true}) {
            try (Connection conn = connect(backend, autocommit)) {
                conn.execute("CREATE TEMP TABLE t_bad (n int)");
                conn.commit();
                Cursor cur = conn.cursor();
                AtomicReference<Integer> written = new AtomicReference<>(0);
                DatabaseException e = assertThrows(DatabaseException.class, () -> cur.copy("COPY t_bad FROM STDIN",
                        copy -> {
                            copy.write("1\n");
                            copy.write("abc\n");
                            for (int i = 0; i < 20000; i++) {
                                copy.writeRow(i); // the server already failed: writes keep succeeding
                                written.set(i + 1);
                            }
                        }));
                assertEquals(20000, written.get());
                assertInstanceOf(Errors.lookup("invalid_text_representation"), e);
                assertEquals("22P02", e.sqlstate());
                assertEquals("invalid input syntax for type integer: \"abc\"\nCONTEXT:  COPY t_bad, line 2, column n:"
                        + " \"abc\"", e.getMessage());
                assertEquals("COPY t_bad, line 2, column n: \"abc\"", e.diag().context());
                assertEquals("ERROR", e.diag().severity());
                assertEquals(-1, cur.rowCount());
                assertEquals(autocommit ? TransactionStatus.IDLE : TransactionStatus.INERROR, Db.status(conn));
                if (!autocommit) {
                    conn.rollback();
                }
                assertEquals(0, conn.execute("SELECT count(*) FROM t_bad").fetchOne().getLong(0));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void inConstraintViolationSurfacesAtTheEndWithFullDiagnostics(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            conn.execute("CREATE TEMP TABLE t_unique (id int PRIMARY KEY, s text)");
            DatabaseException e = assertThrows(DatabaseException.class, () -> conn.cursor().copy(
                    "COPY t_unique FROM STDIN", copy -> {
                        copy.writeRow(40008, "a");
                        copy.writeRow(40010, "b");
                        copy.writeRow(40010, "c");
                    }));
            assertInstanceOf(Errors.lookup("unique_violation"), e);
            assertInstanceOf(IntegrityException.class, e);
            assertEquals("23505", e.sqlstate());
            assertEquals("duplicate key value violates unique constraint \"t_unique_pkey\"", e.diag().messagePrimary());
            assertEquals("Key (id)=(40010) already exists.", e.diag().messageDetail());
            assertEquals("COPY t_unique, line 3", e.diag().context());
            assertEquals("t_unique", e.diag().tableName());
            assertEquals("t_unique_pkey", e.diag().constraintName());
            assertTrue(e.diag().schemaName().startsWith("pg_temp"), e.diag().schemaName());
            assertEquals("duplicate key value violates unique constraint \"t_unique_pkey\"\nDETAIL:  Key (id)=(40010)"
                    + " already exists.\nCONTEXT:  COPY t_unique, line 3", e.getMessage());
            assertEquals(TransactionStatus.INERROR, Db.status(conn));
            conn.rollback();
            assertTrue(Db.selectOneWorks(conn));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void transactionInRollback(PgBackend backend) {
        String t = Db.table("tx_in_rb");
        Db.run(backend, "CREATE TABLE " + t + " (n int)");
        try (Connection conn = Db.connect(backend)) {
            conn.transaction(tx -> conn.cursor().copy("COPY " + t + " FROM STDIN", copy -> {
                copy.writeRow(1);
                throw new Rollback();
            }));
            assertEquals(TransactionStatus.IDLE, Db.status(conn));
            assertTrue(Db.selectOneWorks(conn));
            assertEquals("0", String.valueOf(Db.scalar(backend, "SELECT count(*) FROM " + t)));
        } finally {
            Db.run(backend, "DROP TABLE " + t);
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void transactionInException(PgBackend backend) {
        String t = Db.table("tx_in_exc");
        Db.run(backend, "CREATE TABLE " + t + " (n int)");
        try (Connection conn = Db.connect(backend)) {
            assertThrows(ArithmeticException.class, () -> conn.transaction(
                    tx -> conn.cursor().copy("COPY " + t + " FROM STDIN", copy -> {
                        copy.writeRow(1);
                        copy.writeRow(1 / (copy.hashCode() - copy.hashCode()));
                    })));
            assertEquals(TransactionStatus.IDLE, Db.status(conn));
            assertTrue(Db.selectOneWorks(conn));
            assertEquals("0", String.valueOf(Db.scalar(backend, "SELECT count(*) FROM " + t)));
        } finally {
            Db.run(backend, "DROP TABLE " + t);
        }
    }
}

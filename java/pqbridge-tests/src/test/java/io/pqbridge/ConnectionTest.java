package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.errors.DataException;
import io.pqbridge.errors.InterfaceException;
import io.pqbridge.errors.OperationalException;
import io.pqbridge.errors.PqException;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.TestDatabase;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Connection lifecycle, autocommit and the implicit BEGIN, commit/rollback, info, misuse after close. */
@Tag("server-matrix")
class ConnectionTest {

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void connectsAndReportsInfo(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            assertEquals(backend.name(), conn.backend());
            assertFalse(conn.isClosed());
            assertFalse(conn.isBroken());
            assertFalse(conn.isAutocommit());
            ConnectionInfo info = conn.info();
            assertEquals(TransactionStatus.IDLE, info.transactionStatus());
            assertTrue(info.backendPid() > 0);
            assertTrue(info.serverVersion() >= 100000, () -> "server version " + info.serverVersion());
            assertEquals("UTF8", info.parameterStatus("client_encoding"));
            assertNull(info.parameterStatus("no_such_parameter"));
            assertEquals(String.valueOf(info.backendPid()),
                    String.valueOf(conn.execute("SELECT pg_backend_pid()").fetchOne().get(0)));
            String dsn = info.dsn();
            assertTrue(dsn.contains("dbname="), dsn);
            assertFalse(dsn.contains("password"), dsn);
            assertFalse(dsn.contains("sslmode=prefer"), "compiled defaults are left out: " + dsn);
            assertFalse(dsn.contains("target_session_attrs"), "compiled defaults are left out: " + dsn);
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void malformedConnectionStringsAreProgrammingErrorsWithLibpqsText(PgBackend backend) {
        ProgrammingException bad = assertThrows(ProgrammingException.class,
                () -> Connection.connect(backend, "nosuchoption=1"));
        assertEquals("invalid connection option \"nosuchoption\"", bad.getMessage());
        assertNull(bad.sqlstate());
        ProgrammingException quote = assertThrows(ProgrammingException.class,
                () -> Connection.connect(backend, "host='unterminated"));
        assertEquals("unterminated quoted string in connection info string", quote.getMessage());
        ProgrammingException uri = assertThrows(ProgrammingException.class,
                () -> Connection.connect(backend, "postgresql://h/db?foo=bar"));
        assertEquals("invalid URI query parameter: \"foo\"", uri.getMessage());
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aMalformedConnectionStringIsNeverEchoedWithItsPassword(PgBackend backend) {
        // libpq repeats a malformed URI whole in its message; the password must not travel with it
        ProgrammingException uri = assertThrows(ProgrammingException.class,
                () -> Connection.connect(backend, "postgresql://alice:Tr0ub4dor@[::1/db"));
        assertEquals("end of string reached when looking for matching \"]\" in IPv6 host address in URI: "
                + "\"postgresql://alice:********@[::1/db\"", uri.getMessage());
        ProgrammingException query = assertThrows(ProgrammingException.class,
                () -> Connection.connect(backend, "postgresql://h/db?password=Tr0ub4dor=x"));
        assertFalse(query.getMessage().contains("Tr0ub4dor"), query.getMessage());
        ProgrammingException keyValue = assertThrows(ProgrammingException.class,
                () -> Connection.connect(backend, "password='Tr0ub4dor' host='unterminated"));
        assertFalse(keyValue.getMessage().contains("Tr0ub4dor"), keyValue.getMessage());
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aNonUtf8ClientEncodingIsSwitchedToUtf8(PgBackend backend) {
        try (Connection conn = Connection.connect(backend, TestDatabase.conninfo() + " client_encoding=LATIN1")) {
            assertEquals("UTF8", conn.info().parameterStatus("client_encoding"));
            assertEquals(TransactionStatus.IDLE, conn.info().transactionStatus());
            assertEquals("żółw €", conn.execute("SELECT %s::text", "żółw €").fetchOne().getString(0));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void dsnNeverShowsThePassword(PgBackend backend) {
        String conninfo = TestDatabase.conninfo() + " password=s3cret-value";
        try (Connection conn = Connection.connect(backend, conninfo)) {
            assertFalse(conn.info().dsn().contains("s3cret-value"), conn.info().dsn());
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void connectionFailureIsOperational(PgBackend backend) {
        OperationalException e = assertThrows(OperationalException.class,
                () -> Connection.connect(backend, TestDatabase.conninfo() + " dbname=pqbridge_no_such_db"));
        assertTrue(e.getMessage().startsWith("connection failed: "), e.getMessage());
        assertTrue(e.getMessage().contains("database \"pqbridge_no_such_db\" does not exist"), e.getMessage());
        assertNull(e.sqlstate());
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void firstStatementOpensAnImplicitTransaction(PgBackend backend) {
        String t = Db.table("implicit");
        try (Connection conn = Db.connect(backend)) {
            conn.execute("CREATE TABLE " + t + " (n int)");
            assertEquals(TransactionStatus.INTRANS, Db.status(conn));
            conn.execute("INSERT INTO " + t + " VALUES (1)");
            assertEquals("0", String.valueOf(Db.scalar(backend, "SELECT count(*) FROM pg_tables WHERE tablename = '"
                    + t + "'")), "not visible before commit");
            conn.commit();
            assertEquals(TransactionStatus.IDLE, Db.status(conn));
            assertEquals("1", String.valueOf(Db.scalar(backend, "SELECT count(*) FROM " + t)));
            conn.execute("INSERT INTO " + t + " VALUES (2)");
            conn.rollback();
            assertEquals(TransactionStatus.IDLE, Db.status(conn));
            assertEquals("1", String.valueOf(Db.scalar(backend, "SELECT count(*) FROM " + t)));
            conn.commit(); // no-op when IDLE
            conn.rollback();
            conn.execute("DROP TABLE " + t);
            conn.commit();
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void autocommitSendsNoBegin(PgBackend backend) {
        String t = Db.table("autocommit");
        try (Connection conn = Db.connect(backend)) {
            conn.setAutocommit(true);
            assertTrue(conn.isAutocommit());
            conn.execute("CREATE TABLE " + t + " (n int)");
            assertEquals(TransactionStatus.IDLE, Db.status(conn));
            conn.execute("INSERT INTO " + t + " VALUES (1)");
            assertEquals(TransactionStatus.IDLE, Db.status(conn));
            assertEquals("1", String.valueOf(Db.scalar(backend, "SELECT count(*) FROM " + t)), "committed at once");
            conn.execute("DROP TABLE " + t);
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void autocommitCannotChangeInsideATransaction(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            conn.execute("SELECT 1");
            ProgrammingException e = assertThrows(ProgrammingException.class, () -> conn.setAutocommit(true));
            assertEquals("can't change 'autocommit' now: connection in transaction status INTRANS", e.getMessage());
            conn.rollback();
            conn.setAutocommit(true);
            conn.setAutocommit(false);
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void commitOfAFailedTransactionRollsBack(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            assertThrows(DataException.class, () -> conn.execute("SELECT 1/0"));
            assertEquals(TransactionStatus.INERROR, Db.status(conn));
            conn.commit();
            assertEquals(TransactionStatus.IDLE, Db.status(conn));
            assertTrue(Db.selectOneWorks(conn));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void scopedConnectCommitsAndCloses(PgBackend backend) {
        String t = Db.table("scoped");
        AtomicReference<Connection> seen = new AtomicReference<>();
        Connection.connect(backend, TestDatabase.conninfo(), conn -> {
            seen.set(conn);
            conn.execute("CREATE TABLE " + t + " (n int)");
            conn.execute("INSERT INTO " + t + " VALUES (1)");
        });
        assertTrue(seen.get().isClosed());
        assertFalse(seen.get().isBroken());
        assertEquals("1", String.valueOf(Db.scalar(backend, "SELECT count(*) FROM " + t)));
        Db.run(backend, "DROP TABLE " + t);
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void scopedConnectRollsBackClosesAndRethrowsCheckedExceptions(PgBackend backend) {
        String t = Db.table("scoped_rb");
        AtomicReference<Connection> seen = new AtomicReference<>();
        Db.run(backend, "CREATE TABLE " + t + " (n int)");
        IOException thrown = new IOException("disk on fire");
        IOException caught = assertThrows(IOException.class, () -> Connection.connect(backend, TestDatabase.conninfo(),
                conn -> {
                    seen.set(conn);
                    conn.execute("INSERT INTO " + t + " VALUES (1)");
                    throw thrown;
                }));
        assertTrue(caught == thrown, "the body's exception propagates unchanged");
        assertTrue(seen.get().isClosed());
        assertEquals("0", String.valueOf(Db.scalar(backend, "SELECT count(*) FROM " + t)));
        Db.run(backend, "DROP TABLE " + t);
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void scopedConnectLeavesAConnectionClosedByTheBodyAlone(PgBackend backend) {
        AtomicReference<Connection> seen = new AtomicReference<>();
        Connection.connect(backend, TestDatabase.conninfo(), conn -> {
            seen.set(conn);
            conn.close();
        });
        assertTrue(seen.get().isClosed());
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void misuseAfterCloseRaisesPsycopgsErrors(PgBackend backend) {
        Connection conn = Db.connect(backend);
        Cursor cur = conn.cursor();
        conn.close();
        conn.close(); // idempotent
        assertTrue(conn.isClosed());
        assertFalse(conn.isBroken());
        assertEquals(TransactionStatus.UNKNOWN, conn.info().transactionStatus());
        conn.cancel(); // no-op
        assertClosed(() -> conn.execute("SELECT 1"));
        assertClosed(conn::cursor);
        assertClosed(() -> cur.execute("SELECT 1"));
        assertClosed(() -> cur.copy("COPY (SELECT 1) TO STDOUT"));
        assertClosed(conn::commit);
        assertClosed(conn::rollback);
        assertClosed(() -> conn.setAutocommit(true));
        assertClosed(() -> conn.transaction(tx -> {
        }));
        assertClosed(() -> conn.info().backendPid());
        assertClosed(() -> conn.info().parameterStatus("server_version"));
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void misuseOfAClosedCursor(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            Cursor cur = conn.execute("SELECT 1");
            cur.close();
            cur.close();
            assertTrue(cur.isClosed());
            for (Runnable op : new Runnable[] {() -> cur.execute("SELECT 1"), cur::fetchOne, cur::fetchAll,
                    () -> cur.fetchMany(2), () -> cur.copy("COPY (SELECT 1) TO STDOUT")}) {
                InterfaceException e = assertThrows(InterfaceException.class, op::run);
                assertEquals("the cursor is closed", e.getMessage());
            }
            assertTrue(Db.selectOneWorks(conn), "closing a cursor leaves the connection alone");
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    @SuppressWarnings("try") // close() inside the block is what is tested
    void serverTerminationBreaksTheConnection(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            int pid = conn.info().backendPid();
            Db.scalar(backend, "SELECT pg_terminate_backend(" + pid + ")");
            PqException e = assertThrows(PqException.class, () -> conn.execute("SELECT 1"));
            assertInstanceOf(OperationalException.class, e, e::toString);
            assertTrue(conn.isClosed());
            assertTrue(conn.isBroken());
            OperationalException again = assertThrows(OperationalException.class, () -> conn.execute("SELECT 1"));
            assertEquals("the connection is closed", again.getMessage());
            OperationalException lost = assertThrows(OperationalException.class, conn::commit);
            assertEquals("the connection is lost", lost.getMessage());
            conn.close();
            assertTrue(conn.isBroken(), "a broken connection stays broken after close()");
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void cursorResults(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            Cursor cur = conn.cursor();
            assertEquals(-1, cur.rowCount());
            assertNull(cur.statusMessage());
            assertNull(cur.description());
            ProgrammingException none = assertThrows(ProgrammingException.class, cur::fetchOne);
            assertEquals("no result available", none.getMessage());

            cur.execute("SELECT g AS n, 'x' || g AS label FROM generate_series(1, 5) g");
            assertEquals(5, cur.rowCount());
            assertEquals("SELECT 5", cur.statusMessage());
            assertEquals(2, cur.description().size());
            assertEquals("n", cur.description().get(0).name());
            assertEquals(23, cur.description().get(0).typeCode());
            assertEquals("label", cur.description().get(1).name());
            assertEquals(25, cur.description().get(1).typeCode());
            Row first = cur.fetchOne();
            assertEquals("1", String.valueOf(first.get(0)));
            assertEquals("x1", first.get("label"));
            assertEquals(2, cur.fetchMany(2).size());
            assertEquals(2, cur.fetchAll().size());
            assertNull(cur.fetchOne());
            assertEquals(0, cur.fetchAll().size());

            cur.execute("SELECT g FROM generate_series(1, 3) g");
            int n = 0;
            for (Row row : cur) {
                n++;
                assertEquals(String.valueOf(n), String.valueOf(row.get(0)));
            }
            assertEquals(3, n);

            cur.execute("CREATE TEMP TABLE t_results (n int)");
            assertEquals(-1, cur.rowCount());
            assertEquals("CREATE TABLE", cur.statusMessage());
            assertNull(cur.description());
            ProgrammingException noRecords = assertThrows(ProgrammingException.class, cur::fetchOne);
            assertEquals("the last operation didn't produce records (command status: CREATE TABLE)",
                    noRecords.getMessage());

            cur.execute("INSERT INTO t_results SELECT generate_series(1, 5)");
            assertEquals(5, cur.rowCount());
            assertEquals("INSERT 0 5", cur.statusMessage());
            cur.execute("UPDATE t_results SET n = n + 1 WHERE n > 3");
            assertEquals(2, cur.rowCount());

            cur.execute("SELECT 1; UPDATE t_results SET n = 0; SELECT 'a', 'b'");
            assertEquals("SELECT 1", cur.statusMessage());
            assertTrue(cur.nextSet());
            assertEquals("UPDATE 5", cur.statusMessage());
            assertEquals(5, cur.rowCount());
            assertTrue(cur.nextSet());
            assertEquals(2, cur.fetchOne().size());
            assertFalse(cur.nextSet());
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void executeOfACopyStatementIsRefusedAndLeavesTheConnectionInCopy(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            ProgrammingException e = assertThrows(ProgrammingException.class,
                    () -> conn.execute("COPY (SELECT 1) TO STDOUT"));
            assertEquals("COPY cannot be used with this method; use copy() instead", e.getMessage());
            assertEquals(TransactionStatus.ACTIVE, Db.status(conn), "psycopg leaves the connection in COPY mode");
            OperationalException busy = assertThrows(OperationalException.class, () -> conn.execute("SELECT 1"));
            assertEquals("sending query failed: another command is already in progress", busy.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void emptyQuery(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            Cursor cur = conn.execute("");
            assertNull(cur.statusMessage());
            assertNull(cur.description());
            assertNotNull(cur);
        }
    }

    private static void assertClosed(org.junit.jupiter.api.function.Executable op) {
        OperationalException e = assertThrows(OperationalException.class, op);
        assertEquals("the connection is closed", e.getMessage());
        assertNull(e.sqlstate());
    }
}

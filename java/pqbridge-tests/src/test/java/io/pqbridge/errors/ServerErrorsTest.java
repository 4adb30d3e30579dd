package io.pqbridge.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgResult;
import io.pqbridge.test.Spi;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Real server errors, through the SPI of each backend, turned into exceptions by {@link Errors}. */
@Tag("server-matrix")
class ServerErrorsTest {

    private static final String BACKENDS = "io.pqbridge.test.Backends#all";

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void representativeServerErrors(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            Spi.ok(conn, "CREATE TEMP TABLE parent (id int PRIMARY KEY)");
            Spi.ok(conn, "CREATE TEMP TABLE child (id int PRIMARY KEY, p int REFERENCES parent,"
                    + " n text NOT NULL, v int CHECK (v > 0))");
            Spi.ok(conn, "INSERT INTO parent VALUES (1)");
            Spi.ok(conn, "INSERT INTO child VALUES (1, 1, 'a', 1)");

            DatabaseException e = error(conn, "SELECT 1/0");
            assertSame(DivisionByZero.class, e.getClass());
            assertEquals("22012", e.sqlstate());
            assertEquals("division by zero", e.getMessage());
            assertEquals("ERROR", e.diag().severity());
            assertEquals("ERROR", e.diag().severityNonlocalized());
            assertEquals("division by zero", e.diag().messagePrimary());
            assertNotNull(e.diag().sourceFile());
            assertNotNull(e.diag().sourceLine());
            assertNotNull(e.diag().sourceFunction());

            e = error(conn, "SELEC 1");
            assertSame(SyntaxError.class, e.getClass());
            assertEquals("42601", e.sqlstate());
            assertEquals("syntax error at or near \"SELEC\"\nLINE 1: SELEC 1\n        ^", e.getMessage());
            assertEquals("1", e.diag().statementPosition());

            e = error(conn, "SELECT * FROM no_such_table");
            assertSame(UndefinedTable.class, e.getClass());
            assertEquals("relation \"no_such_table\" does not exist\nLINE 1: SELECT * FROM no_such_table\n"
                    + "                      ^", e.getMessage());
            assertEquals("15", e.diag().statementPosition());

            e = error(conn, "SELECT no_such_column FROM parent");
            assertSame(UndefinedColumn.class, e.getClass());
            assertEquals("42703", e.sqlstate());

            e = error(conn, "INSERT INTO child VALUES (1, 1, 'b', 1)");
            assertSame(UniqueViolation.class, e.getClass());
            assertEquals("duplicate key value violates unique constraint \"child_pkey\"\n"
                    + "DETAIL:  Key (id)=(1) already exists.", e.getMessage());
            assertEquals("Key (id)=(1) already exists.", e.diag().messageDetail());
            assertEquals("child_pkey", e.diag().constraintName());
            assertEquals("child", e.diag().tableName());
            assertTrue(e.diag().schemaName().startsWith("pg_temp"), e.diag().schemaName());

            e = error(conn, "INSERT INTO child VALUES (2, 1, NULL, 1)");
            assertSame(NotNullViolation.class, e.getClass());
            assertEquals("n", e.diag().columnName());
            assertEquals("23502", e.sqlstate());

            e = error(conn, "INSERT INTO child VALUES (2, 99, 'x', 1)");
            assertSame(ForeignKeyViolation.class, e.getClass());
            assertEquals("child_p_fkey", e.diag().constraintName());
            assertEquals("Key (p)=(99) is not present in table \"parent\".", e.diag().messageDetail());

            e = error(conn, "INSERT INTO child VALUES (2, 1, 'x', -1)");
            assertSame(CheckViolation.class, e.getClass());
            assertEquals("child_v_check", e.diag().constraintName());

            e = error(conn, "SELECT 'abc'::int");
            assertSame(InvalidTextRepresentation.class, e.getClass());
            assertEquals("invalid input syntax for type integer: \"abc\"\nLINE 1: SELECT 'abc'::int\n"
                    + "               ^", e.getMessage());

            e = error(conn, "SELECT 32768::int2");
            assertSame(NumericValueOutOfRange.class, e.getClass());
            assertEquals("smallint out of range", e.getMessage());

            e = error(conn, "DO $$BEGIN RAISE EXCEPTION 'custom failure' USING DETAIL = 'some detail',"
                    + " HINT = 'some hint'; END$$");
            assertSame(RaiseException.class, e.getClass());
            assertEquals("P0001", e.sqlstate());
            assertEquals("some hint", e.diag().messageHint());
            assertEquals("PL/pgSQL function inline_code_block line 1 at RAISE", e.diag().context());
            assertEquals("custom failure\nDETAIL:  some detail\nHINT:  some hint\n"
                    + "CONTEXT:  PL/pgSQL function inline_code_block line 1 at RAISE", e.getMessage());

            e = error(conn, "DO $$BEGIN RAISE EXCEPTION 'odd code' USING ERRCODE = 'ZZ123'; END$$");
            assertSame(DatabaseException.class, e.getClass());
            assertEquals("ZZ123", e.sqlstate());
            assertTrue(e.getMessage().startsWith("odd code\nCONTEXT:  "), e.getMessage());

            e = error(conn, "SELECT count(*) FROM parent FOR UPDATE");
            assertSame(FeatureNotSupported.class, e.getClass());
            assertEquals("0A000", e.sqlstate());
            assertEquals("FOR UPDATE is not allowed with aggregate functions", e.getMessage());

            e = error(conn, "SET statement_timeout = 50; SELECT pg_sleep(5)");
            assertSame(QueryCanceled.class, e.getClass());
            assertEquals("canceling statement due to statement timeout", e.getMessage());
            Spi.ok(conn, "SET statement_timeout = 0");

            Spi.ok(conn, "BEGIN");
            error(conn, "SELECT 1/0");
            e = error(conn, "SELECT 1");
            assertSame(InFailedSqlTransaction.class, e.getClass());
            assertEquals("current transaction is aborted, commands ignored until end of transaction block",
                    e.getMessage());
            Spi.ok(conn, "ROLLBACK");
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void lockNotAvailableAcrossTwoSessions(PgBackend backend) {
        try (PgConn a = Spi.connect(backend); PgConn b = Spi.connect(backend)) {
            Spi.ok(a, "CREATE TABLE IF NOT EXISTS errors_lock_probe (id int)");
            Spi.ok(a, "BEGIN");
            Spi.ok(a, "LOCK TABLE errors_lock_probe IN ACCESS EXCLUSIVE MODE");
            DatabaseException e = error(b, "BEGIN; LOCK TABLE errors_lock_probe IN ACCESS EXCLUSIVE MODE NOWAIT");
            Spi.ok(b, "ROLLBACK");
            assertSame(LockNotAvailable.class, e.getClass());
            assertEquals("could not obtain lock on relation \"errors_lock_probe\"", e.getMessage());
            Spi.ok(a, "ROLLBACK");
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void terminatedBackendIsAdminShutdown(PgBackend backend) throws Exception {
        try (PgConn victim = Spi.connect(backend); PgConn killer = Spi.connect(backend)) {
            int pid = victim.backendPid();
            assertTrue(victim.sendQuery("SELECT pg_sleep(30)"));
            CompletableFuture<List<PgResult>> results = CompletableFuture.supplyAsync(() -> Spi.drain(victim));
            // wait until the sleep is running, then terminate it
            for (int i = 0; i < 100; i++) {
                PgResult r = Spi.ok(killer, "SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid
                        + " AND query LIKE 'SELECT pg_sleep%' AND state = 'active'");
                if (r.text(0, 0).equals("1")) {
                    break;
                }
                Thread.sleep(50);
            }
            Spi.ok(killer, "SELECT pg_terminate_backend(" + pid + ")");
            List<PgResult> got = results.get(30, TimeUnit.SECONDS);
            PgResult failed = got.stream().filter(r -> r.status() == PgExecStatus.FATAL_ERROR).findFirst()
                    .orElseThrow(() -> new AssertionError("no error result: " + got));
            DatabaseException e = Errors.fromResult(failed);
            assertSame(AdminShutdown.class, e.getClass());
            assertEquals("57P01", e.sqlstate());
            assertEquals("FATAL", e.diag().severity());
            assertTrue(e.getMessage().startsWith("terminating connection due to administrator command"),
                    e.getMessage());
        }
    }

    /** Runs a statement that must fail and returns its exception; later results are drained. */
    private static DatabaseException error(PgConn conn, String sql) {
        List<PgResult> results = Spi.results(conn, sql);
        PgResult failed = results.stream().filter(r -> r.status() == PgExecStatus.FATAL_ERROR).findFirst()
                .orElseThrow(() -> new AssertionError("'" + sql + "' did not fail: " + results));
        assertNull(conn.getResult());
        return Errors.fromResult(failed);
    }
}

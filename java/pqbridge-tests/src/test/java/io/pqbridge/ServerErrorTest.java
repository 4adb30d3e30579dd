package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pqbridge.errors.DataException;
import io.pqbridge.errors.Errors;
import io.pqbridge.errors.IntegrityException;
import io.pqbridge.errors.InternalException;
import io.pqbridge.errors.NotSupportedException;
import io.pqbridge.errors.OperationalException;
import io.pqbridge.errors.PqException;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.ServerDifferences;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Server errors as the facade raises them, through both protocols (a statement alone goes simple,
 * one with parameters extended): the exact class, its DB-API parent, the SQLSTATE and libpq's
 * message without the severity word. Each runs in autocommit, so one error does not hide the next.
 */
@Tag("server-matrix")
class ServerErrorTest {

    private record Case(String sql, Object[] params, String sqlstate, String className,
            Class<? extends PqException> dbApi, String message) {
    }

    private static final List<Case> CASES = new ArrayList<>();

    private static void add(String sql, Object[] params, String sqlstate, String className,
            Class<? extends PqException> dbApi, String message) {
        CASES.add(new Case(sql, params, sqlstate, className, dbApi, message));
    }

    static {
        add("SELEC 1", null, "42601", "SyntaxError", ProgrammingException.class,
                "syntax error at or near \"SELEC\"\nLINE 1: SELEC 1\n        ^");
        add("SELECT * FROM pqbridge_nosuch WHERE x = %s", new Object[] {1}, "42P01", "UndefinedTable",
                ProgrammingException.class,
                "relation \"pqbridge_nosuch\" does not exist\nLINE 1: SELECT * FROM pqbridge_nosuch WHERE x = $1\n"
                        + "                      ^");
        add("SELECT nosuch_column FROM (SELECT 1) t", null, "42703", "UndefinedColumn", ProgrammingException.class,
                "column \"nosuch_column\" does not exist\nLINE 1: SELECT nosuch_column FROM (SELECT 1) t\n"
                        + "               ^");
        add("SELECT pqbridge_nosuch_function(%s)", new Object[] {1}, "42883", "UndefinedFunction",
                ProgrammingException.class,
                "function pqbridge_nosuch_function(integer) does not exist\nLINE 1: SELECT pqbridge_nosuch_function($1)\n"
                        + "               ^\nHINT:  No function matches the given name and argument types. You might"
                        + " need to add explicit type casts.");
        add("SELECT 1 / %s", new Object[] {0}, "22012", "DivisionByZero", DataException.class, "division by zero");
        add("SELECT %s::int", new Object[] {"abc"}, "22P02", "InvalidTextRepresentation", DataException.class,
                "invalid input syntax for type integer: \"abc\"" + ServerDifferences.portalParameterContext(1));
        add("SELECT 40000::int2", null, "22003", "NumericValueOutOfRange", DataException.class,
                "smallint out of range");
        add("INSERT INTO t_err (id, n) VALUES (%s, %s)", new Object[] {1, "dup"}, "23505", "UniqueViolation",
                IntegrityException.class,
                "duplicate key value violates unique constraint \"t_err_pkey\"\nDETAIL:  Key (id)=(1) already exists.");
        add("INSERT INTO t_err (id, n) VALUES (2, NULL)", null, "23502", "NotNullViolation", IntegrityException.class,
                "null value in column \"n\" of relation \"t_err\" violates not-null constraint\nDETAIL:  Failing row"
                        + " contains (2, null, null).");
        add("INSERT INTO t_err (id, n, v) VALUES (3, 'x', -1)", null, "23514", "CheckViolation",
                IntegrityException.class, "new row for relation \"t_err\" violates check constraint \"t_err_v_check\"\n"
                        + "DETAIL:  Failing row contains (3, x, -1).");
        add("DO $$BEGIN RAISE EXCEPTION 'custom %', 42 USING DETAIL = 'some detail', HINT = 'some hint'; END$$",
                null, "P0001", "RaiseException", ProgrammingException.class,
                "custom 42\nDETAIL:  some detail\nHINT:  some hint\nCONTEXT:  PL/pgSQL function inline_code_block"
                        + " line 1 at RAISE");
        add("SET LOCAL statement_timeout = 100; SELECT pg_sleep(5)", null, "57014", "QueryCanceled",
                OperationalException.class, "canceling statement due to statement timeout");
        add("SELECT count(*) FROM t_err FOR UPDATE", null, "0A000", "FeatureNotSupported",
                NotSupportedException.class, "FOR UPDATE is not allowed with aggregate functions");
        add("SELECT 'x'::pqbridge_nosuch_type", null, "42704", "UndefinedObject", ProgrammingException.class,
                "type \"pqbridge_nosuch_type\" does not exist\nLINE 1: SELECT 'x'::pqbridge_nosuch_type\n"
                        + "                    ^");
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void representativeErrors(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            conn.setAutocommit(true);
            conn.execute("CREATE TEMP TABLE t_err (id int PRIMARY KEY, n text NOT NULL, v int CHECK (v > 0))");
            conn.execute("INSERT INTO t_err VALUES (1, 'one', 1)");
            for (Case c : CASES) {
                PqException e = assertThrows(PqException.class,
                        () -> conn.execute(c.sql(), c.params() == null ? new Object[0] : c.params()), c.sql());
                assertSame(Errors.lookup(c.sqlstate()), e.getClass(), c.sql());
                assertEquals("io.pqbridge.errors." + c.className(), e.getClass().getName(), c.sql());
                assertInstanceOf(c.dbApi(), e, c.sql());
                assertEquals(c.sqlstate(), e.sqlstate(), c.sql());
                assertEquals(c.sqlstate(), e.diag().sqlstate(), c.sql());
                assertEquals(c.message(), e.getMessage(), c.sql());
                assertEquals("ERROR", e.diag().severityNonlocalized(), c.sql());
                assertEquals(TransactionStatus.IDLE, Db.status(conn), c.sql());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void inFailedTransactionAndDeferredConstraintAtCommit(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            conn.execute("CREATE TEMP TABLE p (id int PRIMARY KEY)");
            conn.execute("CREATE TEMP TABLE c (p int REFERENCES p DEFERRABLE INITIALLY DEFERRED)");
            conn.commit();
            assertThrows(DataException.class, () -> conn.execute("SELECT 1/0"));
            PqException failed = assertThrows(PqException.class, () -> conn.execute("SELECT 1"));
            assertInstanceOf(Errors.lookup("in_failed_sql_transaction"), failed);
            assertInstanceOf(InternalException.class, failed);
            assertEquals("current transaction is aborted, commands ignored until end of transaction block",
                    failed.getMessage());
            conn.rollback();

            conn.execute("INSERT INTO c VALUES (%s)", 99);
            PqException fk = assertThrows(PqException.class, conn::commit);
            assertInstanceOf(Errors.lookup("23503"), fk);
            assertEquals("insert or update on table \"c\" violates foreign key constraint \"c_p_fkey\"\nDETAIL:  Key"
                    + " (p)=(99) is not present in table \"p\".", fk.getMessage());
            assertEquals("c_p_fkey", fk.diag().constraintName());
            assertEquals(TransactionStatus.IDLE, Db.status(conn));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void clientSideErrorsHaveNoSqlstate(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            ProgrammingException count = assertThrows(ProgrammingException.class,
                    () -> conn.execute("SELECT %s", 1, 2));
            assertEquals("the query has 1 placeholders but 2 parameters were passed", count.getMessage());
            assertNull(count.sqlstate());
            assertNull(count.diag().messagePrimary());
            assertEquals(TransactionStatus.INTRANS, Db.status(conn), "psycopg converts after the BEGIN");
        }
    }
}

package io.pqbridge.pq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pqbridge.test.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The differential test: one corpus of steps (statements that succeed and fail, rows of
 * every common type in text and binary, parameters, multi-statement strings, transactions, COPY in
 * and out in text, CSV and binary, cancels, notices, notifications, and misuse of the SPI) runs
 * through the native and the java backend side by side, step by step, and every step's
 * {@link Observation} log must be identical: result statuses, field metadata, values, command
 * tags, error fields, formatted error messages, COPY data, return codes, transaction status and
 * error text after the step, and the step's protocol trace ({@code PgConn.trace}, libpq's own
 * lines on the native side).
 *
 * <p>Each backend works in a database of its own (created here from template0), so both run the
 * same DDL without meeting; table OIDs are compared by name. Needs both backends: it is tagged
 * "native" and skipped where the native one does not load. When the native backend runs on
 * another libpq version than the one the java backend mirrors, the logs are compared as the older
 * version would show them ({@link LibpqDifferences}).
 */
@Tag("server-matrix")
@Tag("libpq-matrix")
@Tag("native")
class DifferentialTest {

    private static final String NATIVE_DB = "pqb_diff_native";
    private static final String JAVA_DB = "pqb_diff_java";

    private static PgConn admin;

    @BeforeAll
    static void bothBackends() {
        assumeTrue(Pq.availableBackends().containsAll(List.of("native", "java")), "needs both backends");
        admin = Pq.backend("native").connect(TestDatabase.conninfo());
    }

    /** Fresh databases for each run of the corpus. */
    @BeforeEach
    void databases() {
        for (String db : List.of(NATIVE_DB, JAVA_DB)) {
            run(admin, "DROP DATABASE IF EXISTS " + db);
            run(admin, "CREATE DATABASE " + db + " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
        }
    }

    @AfterAll
    static void dropDatabases() {
        if (admin != null) {
            admin.finish();
        }
    }

    private static void run(PgConn conn, String sql) {
        assertTrue(conn.sendQuery(sql), conn.errorMessage());
        PgResult r;
        while ((r = conn.getResult()) != null) {
            assertTrue(r.status() == PgExecStatus.COMMAND_OK || r.status() == PgExecStatus.TUPLES_OK,
                    sql + ": " + r.errorMessage());
        }
    }

    /** One side: a backend's connection to its own database plus an observer for table names. */
    private static final class Side implements AutoCloseable {
        final PgConn conn;
        final PgConn observer;
        final Observation observation;

        Side(String backend, String server, String db) {
            String conninfo = server + " dbname=" + db;
            conn = Pq.backend(backend).connect(conninfo);
            assertEquals(PgConnStatus.OK, conn.status(), conn.errorMessage());
            observer = Pq.backend("native").connect(conninfo);
            observation = new Observation(conn, this::tableName);
        }

        private String tableName(String catalog, int oid) {
            String column = catalog.equals("pg_class") ? "relname" : "typname";
            observer.sendQuery("SELECT " + column + " FROM " + catalog + " WHERE oid = " + Integer.toUnsignedString(oid));
            String name = "?";
            PgResult r;
            while ((r = observer.getResult()) != null) {
                if (r.status() == PgExecStatus.TUPLES_OK && r.ntuples() == 1) {
                    name = r.text(0, 0);
                }
            }
            return name;
        }

        @Override
        public void close() {
            conn.finish();
            observer.finish();
        }
    }

    /** One step of the corpus: a name for reports and what it does through an {@link Observation}. */
    record Step(String name, Consumer<Observation> action) {
    }

    @Test
    void theCorpusBehavesIdenticallyOverAUnixSocket() {
        runCorpus(TestDatabase.conninfo());
    }

    @Test
    void theCorpusBehavesIdenticallyOverTcp() {
        runCorpus(TestDatabase.tcpConninfo());
    }

    private static void runCorpus(String server) {
        List<Step> corpus = corpus();
        assertTrue(corpus.size() >= 200, "corpus has " + corpus.size() + " steps");
        try (Side nativeSide = new Side("native", server, NATIVE_DB); Side javaSide = new Side("java", server, JAVA_DB)) {
            int index = 0;
            for (Step step : corpus) {
                String expected = LibpqDifferences.nativeAsJava(perform(nativeSide, step));
                String actual = LibpqDifferences.javaAsNative(perform(javaSide, step));
                String label = "step " + index + " (" + step.name() + ")";
                assertEquals(expected, actual, label + firstDifference(expected, actual));
                index++;
            }
        }
    }

    private static String firstDifference(String expected, String actual) {
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        for (int i = 0; i < Math.max(e.length, a.length); i++) {
            String el = i < e.length ? e[i] : "<none>";
            String al = i < a.length ? a[i] : "<none>";
            if (!el.equals(al)) {
                return "\n first difference, line " + i + ":\n native: " + el + "\n java:   " + al + "\n";
            }
        }
        return "";
    }

    /**
     * The step's observation, then the protocol trace of the step (libpq's lines on the native
     * side, the java backend's own on the other), in regress mode, which masks what differs
     * between two sessions: object ids, process ids, an error's source position. The messages
     * sent and those received are each kept in their order but listed apart: how they interleave
     * is when the client parsed what had arrived, which depends on timing (libpq parses ahead in
     * a pipeline when the network delivers early), not on what either side said. CopyData
     * received is left out of it: how many arrive before a cancel takes effect is timing too, and
     * the data is in the observation (TraceParityTest holds those lines to libpq's).
     */
    private static String perform(Side side, Step step) {
        Observation o = side.observation;
        o.reset();
        ByteArrayOutputStream trace = new ByteArrayOutputStream();
        side.conn.trace(trace, PgConn.TRACE_SUPPRESS_TIMESTAMPS | PgConn.TRACE_REGRESS_MODE);
        step.action().accept(o);
        side.conn.trace(null, 0);
        o.state();
        return o.text() + byDirection(trace.toString(StandardCharsets.UTF_8));
    }

    /** The trace's lines from the client, then those from the server; a line without a direction stays with the one before. */
    private static String byDirection(String trace) {
        StringBuilder sent = new StringBuilder("trace, sent:\n");
        StringBuilder received = new StringBuilder("trace, received:\n");
        StringBuilder current = sent;
        for (String line : trace.split("\n")) {
            if (line.startsWith("F\t")) {
                current = sent;
            } else if (line.startsWith("B\t")) {
                current = received;
                if (line.matches("B\t\\d+\tCopyData\t.*")) {
                    continue;
                }
            }
            current.append(line).append('\n');
        }
        return sent.append(received).toString();
    }

    // =============================================================================================
    // the corpus
    // =============================================================================================

    private static List<Step> corpus() {
        List<Step> steps = new ArrayList<>();
        setup(steps);
        types(steps);
        parameters(steps);
        QueryPathCorpus.add(steps);
        PipelineCorpus.add(steps);
        errors(steps);
        multiStatement(steps);
        transactions(steps);
        CopyCorpus.add(steps);
        misuse(steps);
        noticesAndNotifications(steps);
        cancels(steps);
        return steps;
    }

    private static void query(List<Step> steps, String sql) {
        steps.add(new Step(sql.length() > 60 ? sql.substring(0, 60) : sql, o -> o.query(sql)));
    }

    private static void setup(List<Step> steps) {
        query(steps, "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')");
        query(steps, "CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL, score numeric(5,2) CHECK (score >= 0), "
                + "note varchar(10), created timestamptz(3))");
        query(steps, "CREATE TABLE child (id int REFERENCES t(id), v text)");
        query(steps, "CREATE DOMAIN posint AS int CHECK (VALUE > 0)");
        query(steps, "CREATE TABLE dom (p posint)");
        query(steps, "CREATE TABLE \"MixedCase\" (\"Id\" int, \"Name\" text)");
        query(steps, "CREATE TABLE copyme (a int, b text, c float8, d bytea)");
        query(steps, "CREATE TABLE bin (i int4, t text)");
        query(steps, "INSERT INTO t VALUES (1, 'one', 1.5, 'n1', '2024-01-02 03:04:05.678+00'), "
                + "(2, 'two', 2.25, NULL, NULL), (3, 'three', 0, 'n3', '2000-01-01 00:00:00+00')");
        query(steps, "INSERT INTO t VALUES (4, 'four', 4, 'n4', NULL) RETURNING id, name");
        query(steps, "UPDATE t SET note = 'u' WHERE id > 2");
        query(steps, "DELETE FROM t WHERE id = 4");
        query(steps, "SELECT * FROM t ORDER BY id");
        query(steps, "SELECT id AS \"ID\", name AS \"Name\" FROM t WHERE id = 1");
        query(steps, "INSERT INTO \"MixedCase\" VALUES (1, 'x')");
        query(steps, "SELECT * FROM \"MixedCase\"");
        query(steps, "CREATE TABLE ctas AS SELECT * FROM t");
        query(steps, "SELECT * INTO sel_into FROM t WHERE id < 3");
        query(steps, "TRUNCATE TABLE ctas");
        query(steps, "ANALYZE t");
        query(steps, "SET application_name = 'differential'");
        query(steps, "SHOW application_name");
        query(steps, "RESET application_name");
        query(steps, "SET search_path = public");
        query(steps, "SHOW search_path");
        query(steps, "");
        query(steps, "   ");
        query(steps, ";");
        query(steps, "-- only a comment");
        query(steps, "VALUES (1, 'a'), (2, 'b'), (3, NULL)");
        query(steps, "SELECT generate_series(1, 2000) AS g");
        query(steps, "SELECT repeat('x', 100000) AS big, repeat('é', 50000) AS wide");
        query(steps, "DO $$ BEGIN PERFORM 1; END $$");
        query(steps, "PREPARE p1 (int) AS SELECT $1 * 2");
        query(steps, "EXECUTE p1(21)");
        query(steps, "DEALLOCATE p1");
        query(steps, "DECLARE c CURSOR WITH HOLD FOR SELECT g FROM generate_series(1, 5) g");
        query(steps, "FETCH 2 FROM c");
        query(steps, "MOVE 5 IN c");
        query(steps, "CLOSE c");
        query(steps, "MERGE INTO t USING (VALUES (1), (9)) v(id) ON t.id = v.id "
                + "WHEN MATCHED THEN UPDATE SET score = 9 WHEN NOT MATCHED THEN INSERT VALUES (v.id, 'merged', 1)");
    }

    private static final String[] TYPE_QUERIES = {
        "SELECT 1::int2 AS a, 2::int4 AS b, 3::int8 AS c, 1.5::float4 AS d, 2.25::float8 AS e, 123.456::numeric(10,3) AS f",
        "SELECT true AS a, false AS b, 'txt'::text AS c, 'v'::varchar(10) AS d, 'c'::char(5) AS e, 'n'::name AS f",
        "SELECT '\\x00ff10'::bytea AS a, ''::bytea AS b, '2024-02-29'::date AS c, '13:14:15.5'::time AS d, '13:14:15+02'::timetz AS e",
        "SELECT '2024-01-02 03:04:05.678'::timestamp AS a, '2024-01-02 03:04:05+00'::timestamptz AS b, "
                + "'1 year 2 mons 3 days 04:05:06.7'::interval AS c, 'infinity'::timestamp AS d",
        "SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS a, '{\"a\": 1}'::json AS b, '{\"b\": [1, 2]}'::jsonb AS c",
        "SELECT ARRAY[1, 2, 3]::int4[] AS a, ARRAY['a', NULL, 'c']::text[] AS b, '{{1,2},{3,4}}'::int8[] AS c, '{}'::int4[] AS d",
        "SELECT '192.168.0.1/24'::inet AS a, '10.0.0.0/8'::cidr AS b, '08:00:2b:01:02:03'::macaddr AS c",
        "SELECT point(1, 2) AS a, '[1,5)'::int4range AS b, 'a fat cat'::tsvector AS c, 42::oid AS d, 'happy'::mood AS e",
        "SELECT 'NaN'::numeric AS a, 'Infinity'::float8 AS b, '-0'::float8 AS c, 1e300::float8 AS d, "
                + "'-123456789012345678901234567890.123'::numeric AS e, 0.000001::numeric AS f",
        "SELECT (-32768)::int2 AS a, 2147483647 AS b, (-9223372036854775808)::int8 AS c, 3.4e38::float4 AS d",
        "SELECT NULL::int4 AS a, NULL::text AS b, NULL::bytea AS c, NULL::timestamptz AS d, NULL::int4[] AS e",
        "SELECT 'é'::text AS a, '日本語'::text AS b, E'tab\\there' AS c, E'new\\nline' AS d, '' AS e",
        "SELECT id, name, score, note, created FROM t ORDER BY id",
        "SELECT 12.34::numeric AS a, 1::bit(3) AS b, B'101'::varbit AS c, 'abc'::bytea AS d, '1.5'::money AS e",
        "SELECT ROW(1, 'a') AS a, ARRAY[ROW(1, 'b')] AS b, '(1,2)'::box AS c, 'x'::\"char\" AS d",
    };

    private static void types(List<Step> steps) {
        for (String sql : TYPE_QUERIES) {
            steps.add(new Step("text " + sql.substring(0, 40), o -> o.query(sql)));
            steps.add(new Step("extended text " + sql.substring(0, 40), o -> o.params(sql, null, null, null, 0)));
            steps.add(new Step("extended binary " + sql.substring(0, 40), o -> o.params(sql, null, null, null, 1)));
        }
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void parameters(List<Step> steps) {
        steps.add(new Step("text params", o -> o.params("SELECT $1::int4 + 1, $2::text, $3::text", null,
                new byte[][] {text("42"), null, text("x")}, null, 0)));
        steps.add(new Step("binary int4 param", o -> o.params("SELECT $1 * 2", new int[] {23},
                new byte[][] {ByteBuffer.allocate(4).putInt(84).array()}, new int[] {1}, 1)));
        steps.add(new Step("binary int8 and float8 params", o -> o.params("SELECT $1 + 1, $2 / 2", new int[] {20, 701},
                new byte[][] {ByteBuffer.allocate(8).putLong(1L << 40).array(), ByteBuffer.allocate(8).putDouble(3.0).array()},
                new int[] {1, 1}, 0)));
        steps.add(new Step("bytea binary param with zeros", o -> o.params("SELECT $1::bytea, length($1)", new int[] {17},
                new byte[][] {{0, 1, 0, (byte) 0xff}}, new int[] {1}, 0)));
        steps.add(new Step("text param stops at NUL", o -> o.params("SELECT $1::text", null,
                new byte[][] {{'a', 0, 'b'}}, null, 0)));
        steps.add(new Step("mixed formats", o -> o.params("SELECT $1::int4, $2::text", new int[] {23, 25},
                new byte[][] {ByteBuffer.allocate(4).putInt(7).array(), text("seven")}, new int[] {1, 0}, 1)));
        steps.add(new Step("null params typed", o -> o.params("SELECT $1::int4 IS NULL, $2::text IS NULL", new int[] {23, 25},
                new byte[][] {null, null}, null, 0)));
        steps.add(new Step("bad text param", o -> o.params("SELECT $1::int4", null, new byte[][] {text("abc")}, null, 0)));
        steps.add(new Step("too few params", o -> o.params("SELECT $1::int4 + $2::int4", null,
                new byte[][] {text("1")}, null, 0)));
        steps.add(new Step("two statements in extended", o -> o.params("SELECT 1; SELECT 2", null, null, null, 0)));
        steps.add(new Step("empty extended query", o -> o.params("", null, null, null, 0)));
        steps.add(new Step("extended insert returning", o -> o.params("INSERT INTO t VALUES ($1, $2, 3) RETURNING *",
                null, new byte[][] {text("10"), text("ten")}, null, 0)));
        steps.add(new Step("extended insert duplicate", o -> o.params("INSERT INTO t VALUES ($1, $2, 3)",
                null, new byte[][] {text("10"), text("ten")}, null, 0)));
        steps.add(new Step("extended syntax error", o -> o.params("SELEC $1", null, new byte[][] {text("1")}, null, 0)));
        steps.add(new Step("extended unknown column", o -> o.params("SELECT nosuch FROM t WHERE id = $1", null,
                new byte[][] {text("1")}, null, 0)));
        steps.add(new Step("extended DDL", o -> o.params("CREATE TABLE ext_ddl (x int)", null, null, null, 0)));
        steps.add(new Step("extended update", o -> o.params("UPDATE t SET note = $1 WHERE id = 10", null,
                new byte[][] {text("updated")}, null, 0)));
        steps.add(new Step("wrong binary length", o -> o.params("SELECT $1::int4", new int[] {23},
                new byte[][] {{1, 2}}, new int[] {1}, 0)));
        steps.add(new Step("unicode param", o -> o.params("SELECT $1::text || '!'", null, new byte[][] {text("日本")}, null, 0)));
        steps.add(new Step("many params", o -> {
            StringBuilder sql = new StringBuilder("SELECT ");
            byte[][] values = new byte[300][];
            for (int i = 0; i < 300; i++) {
                sql.append(i == 0 ? "" : " + ").append('$').append(i + 1).append("::int4");
                values[i] = text(Integer.toString(i));
            }
            o.params(sql.toString(), null, values, null, 0);
        }));
    }

    private static final String LONG_LINE = "SELECT aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa + "
            + "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb + nosuch_col + cccccccccccccccccccccccccccccccccccccc FROM t";

    private static void errors(List<Step> steps) {
        query(steps, "SELEC 1");
        query(steps, "SELECT 1 +");
        query(steps, "SELECT nosuch FROM t");
        query(steps, "SELECT id,\n  nosuch\nFROM t");
        query(steps, "SELECT id,\r\n\tnosuch\r\nFROM t");
        query(steps, "SELECT\tid,\tname,\tnosuch FROM t");
        query(steps, LONG_LINE);
        query(steps, "SELECT 'é' || 'ü' || nosuch FROM t");
        query(steps, "SELECT '日本語テキスト' || nosuch FROM t");
        query(steps, "SELECT 1 FROM nosuch_table");
        query(steps, "SELECT 1/0");
        query(steps, "INSERT INTO t VALUES (1, 'dup', 1)");
        query(steps, "INSERT INTO t VALUES (20, NULL, 1)");
        query(steps, "INSERT INTO t VALUES (21, 'neg', -1)");
        query(steps, "INSERT INTO dom VALUES (-5)");
        query(steps, "INSERT INTO child VALUES (999, 'orphan')");
        query(steps, "INSERT INTO t VALUES (22, 'toolong', 1, 'this is far too long')");
        query(steps, "SELECT 'abc'::int4");
        query(steps, "SELECT 99999::int2");
        query(steps, "DO $$ BEGIN RAISE EXCEPTION 'boom' USING DETAIL = 'dd', HINT = 'hh'; END $$");
        query(steps, "DO $$ BEGIN EXECUTE 'SELECT * FROM nosuch_in_plpgsql'; END $$");
        query(steps, "DO $$ BEGIN PERFORM 1/0; END $$");
        query(steps, "CREATE FUNCTION f_err(int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 10 / $1; END $$");
        query(steps, "SELECT f_err(0)");
        query(steps, "SELECT f_err(5)");
        query(steps, "CREATE FUNCTION f_sql() RETURNS int LANGUAGE sql AS 'SELECT nosuch'");
        query(steps, "SELECT * FROM t WHERE id = 'x'");
        query(steps, "SELECT pg_catalog.nosuch_function()");
        query(steps, "COMMIT");
        query(steps, "ROLLBACK");
        query(steps, "SAVEPOINT sp");
        query(steps, "CREATE TABLE t (x int)");
        query(steps, "DROP TABLE nosuch_drop");
        query(steps, "SET nosuch_setting = 1");
        query(steps, "SELECT * FROM t WHERE name = 'a' AND");
        query(steps, "SELECT\n\n\n  1 +\n  nosuch\n");
        query(steps, "SELECT 'unterminated");
        query(steps, "SELECT $1");
    }

    private static void multiStatement(List<Step> steps) {
        query(steps, "SELECT 1; SELECT 2; SELECT 3");
        query(steps, "SELECT 1; SELECT 1/0; SELECT 3");
        query(steps, "SELECT 1; SELEC 2; SELECT 3");
        query(steps, "INSERT INTO bin VALUES (1, 'a'); UPDATE bin SET t = 'b'; DELETE FROM bin");
        query(steps, "SELECT 1; ; SELECT 2");
        query(steps, "SET application_name = 'multi'; SHOW application_name");
        query(steps, "SELECT 1 AS a; SELECT 'x' AS b, 2 AS c");
        query(steps, "CREATE TABLE m1 (x int); INSERT INTO m1 VALUES (1), (2); SELECT * FROM m1; DROP TABLE m1");
        query(steps, "SELECT 1; COPY (SELECT 2) TO STDOUT; SELECT 3");
        steps.add(new Step("finish the copy in a multi-statement string", o -> {
            o.copyOut(1024, 16);
            o.drain();
        }));
    }

    private static void transactions(List<Step> steps) {
        query(steps, "BEGIN");
        query(steps, "INSERT INTO bin VALUES (1, 'tx')");
        query(steps, "SELECT * FROM bin");
        query(steps, "SAVEPOINT a");
        query(steps, "SELECT 1/0");
        query(steps, "SELECT 1");
        query(steps, "ROLLBACK TO SAVEPOINT a");
        query(steps, "RELEASE a");
        query(steps, "COMMIT");
        query(steps, "BEGIN; SELECT 1/0; COMMIT");
        query(steps, "COMMIT");
        query(steps, "BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY");
        query(steps, "INSERT INTO bin VALUES (2, 'ro')");
        query(steps, "ROLLBACK");
        query(steps, "START TRANSACTION");
        query(steps, "BEGIN");
        query(steps, "END");
        query(steps, "SET TRANSACTION READ ONLY");
        query(steps, "BEGIN; INSERT INTO bin VALUES (3, 'x'); COMMIT; SELECT count(*) FROM bin");
    }

    private static void misuse(List<Step> steps) {
        steps.add(new Step("copy calls without a copy", o -> {
            o.putCopyData("x");
            o.putCopyEnd(null);
            o.copyOut(64, 4);
            o.line("error text " + Observation.quote(o.conn().errorMessage()));
            o.query("SELECT 1");
        }));
        steps.add(new Step("sendQuery during copy out", o -> {
            o.query("COPY (SELECT g FROM generate_series(1, 10) g) TO STDOUT");
            o.line("sendQuery -> " + o.conn().sendQuery("SELECT 1"));
            o.line("sendQueryParams -> " + o.conn().sendQueryParams("SELECT 1", null, null, null, 0));
            o.putCopyData("nope\n");
            o.putCopyEnd(null);
            o.copyOut(4096, 16);
            o.drain();
        }));
        steps.add(new Step("sendQuery during copy in", o -> {
            o.query("COPY copyme (a) FROM STDIN");
            o.line("sendQuery -> " + o.conn().sendQuery("SELECT 1"));
            o.copyOut(64, 4);
            o.putCopyData("1\n");
            o.putCopyEnd(null);
            o.drain();
        }));
        steps.add(new Step("getCopyData after the end", o -> {
            o.query("COPY (SELECT 1) TO STDOUT");
            o.copyOut(64, 4);
            o.copyOut(64, 4);
            o.drain();
            o.copyOut(64, 4);
        }));
        steps.add(new Step("sendQuery while results are pending", o -> {
            o.line("sendQuery -> " + o.conn().sendQuery("SELECT 1; SELECT 2"));
            o.result(o.conn().getResult());
            o.line("sendQuery -> " + o.conn().sendQuery("SELECT 3"));
            o.drain();
        }));
        steps.add(new Step("putCopyEnd twice", o -> {
            o.query("COPY copyme (a) FROM STDIN");
            o.putCopyEnd(null);
            o.putCopyEnd(null);
            o.drain();
        }));
        steps.add(new Step("errors accumulate until a new query", o -> {
            o.putCopyData("x");
            o.putCopyData("y");
            o.line("error text " + Observation.quote(o.conn().errorMessage()));
            o.params("SELECT 1", null, null, null, 0);
        }));
        steps.add(new Step("getResult when idle", o -> {
            o.result(o.conn().getResult());
            o.result(o.conn().getResult());
        }));
    }

    private static void noticesAndNotifications(List<Step> steps) {
        query(steps, "DO $$ BEGIN RAISE NOTICE 'hello %', 1; RAISE WARNING 'careful' USING DETAIL = 'dd'; END $$");
        query(steps, "DO $$ BEGIN RAISE NOTICE 'with hint' USING HINT = 'a hint'; RAISE INFO 'info'; END $$");
        query(steps, "SET client_min_messages = debug1");
        query(steps, "DO $$ BEGIN RAISE DEBUG 'debugging'; RAISE LOG 'logged'; END $$");
        query(steps, "RESET client_min_messages");
        query(steps, "DROP TABLE IF EXISTS nosuch_notice_table");
        query(steps, "LISTEN chan");
        query(steps, "NOTIFY chan, 'payload'");
        query(steps, "NOTIFY chan");
        query(steps, "LISTEN chan; NOTIFY chan, 'x'; NOTIFY chan, 'y'; SELECT 1");
        query(steps, "SELECT pg_notify('chan', 'from function')");
        query(steps, "BEGIN; NOTIFY chan, 'in tx'; COMMIT");
        query(steps, "UNLISTEN chan");
        query(steps, "NOTIFY chan, 'unheard'");
    }

    private static void cancels(List<Step> steps) {
        steps.add(new Step("cancel when idle", o -> {
            o.line("cancel -> " + o.conn().cancelHandle().cancel());
            o.query("SELECT 1");
        }));
        steps.add(new Step("cancel a running query", o -> {
            o.line("sendQuery -> " + o.conn().sendQuery("SELECT pg_sleep(10)"));
            sleep(200);
            o.line("cancel -> " + o.conn().cancelHandle().cancel());
            o.drain();
        }));
        steps.add(new Step("cancel a running query in a transaction", o -> {
            o.query("BEGIN");
            o.line("sendQuery -> " + o.conn().sendQuery("SELECT pg_sleep(10)"));
            sleep(200);
            o.line("cancel -> " + o.conn().cancelHandle().cancel());
            o.drain();
            o.query("ROLLBACK");
        }));
        steps.add(new Step("cancel a long copy out", o -> {
            o.query("COPY (SELECT g, pg_sleep(0.0005) FROM generate_series(1, 1000000) g) TO STDOUT");
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
            int[] lengths = new int[256];
            int n = o.conn().getCopyData(buf, lengths);
            o.line("first getCopyData > 0: " + (n > 0));
            o.line("cancel -> " + o.conn().cancelHandle().cancel());
            long rows = 0;
            do {
                buf.clear();
                n = o.conn().getCopyData(buf, lengths);
                rows += Math.max(0, n);
            } while (n > 0);
            o.line("end " + n + ", fewer rows than asked: " + (rows < 900_000));
            o.drain();
        }));
        steps.add(new Step("cancel a copy in waiting for data", o -> {
            o.query("COPY copyme (a) FROM STDIN");
            o.putCopyData("1\n");
            sleep(100);
            o.line("cancel -> " + o.conn().cancelHandle().cancel());
            sleep(100);
            o.putCopyData("2\n");
            o.putCopyEnd(null);
            o.drain();
        }));
        query(steps, "SELECT 'still usable'");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

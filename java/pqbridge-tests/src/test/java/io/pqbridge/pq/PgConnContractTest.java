package io.pqbridge.pq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.test.ServerDifferences;
import io.pqbridge.test.Spi;
import io.pqbridge.test.TestDatabase;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.stream.Collectors;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SPI contract: what every backend must do, as libpq does it.
 * Cases follow psycopg's tests/pq/test_copy.py and the reference's observations.
 */
@Tag("server-matrix")
@Tag("libpq-matrix")
class PgConnContractTest {

    private static final String BACKENDS = "io.pqbridge.test.Backends#all";

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void connectsAndReportsTheSession(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            assertEquals(PgConnStatus.OK, conn.status());
            assertEquals(PgTransactionStatus.IDLE, conn.transactionStatus());
            assertEquals("", conn.errorMessage());
            assertTrue(conn.backendPid() > 0);
            assertTrue(conn.serverVersion() >= 100000, "server version " + conn.serverVersion());
            assertEquals(3, conn.protocolVersion());
            assertEquals("UTF8", conn.parameterStatus("server_encoding"));
            assertEquals("on", conn.parameterStatus("standard_conforming_strings"));
            assertEquals(ServerDifferences.reportedSearchPath(), conn.parameterStatus("search_path"));
            String[] names = {"server_encoding", "search_path", "TimeZone", null};
            assertArrayEquals(new String[] {"UTF8", ServerDifferences.reportedSearchPath(),
                    conn.parameterStatus("TimeZone"), null},
                    conn.parameterStatuses(names));
            Spi.ok(conn, "SET TimeZone = 'Asia/Tokyo'");
            assertEquals("Asia/Tokyo", conn.parameterStatuses(names)[2], "the same array asked again sees the change");
            Spi.ok(conn, "SET TimeZone = 'Asia/Dubai'"); // as long as the last value: the new one is still read
            assertEquals("Asia/Dubai", conn.parameterStatuses(names)[2]);
            conn.parameterStatuses(names)[2] = "changed by the caller";
            assertEquals("Asia/Dubai", conn.parameterStatuses(names)[2], "each answer is the caller's own array");
            assertTrue(conn.conninfo().stream().anyMatch(o -> o.keyword().equals("dbname")));
            PgResult pid = Spi.ok(conn, "SELECT pg_backend_pid()");
            assertEquals(String.valueOf(conn.backendPid()), pid.text(0, 0));
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void failedConnectionIsBadWithLibpqsMessage(PgBackend backend) {
        try (PgConn conn = backend.connect(TestDatabase.conninfo() + " dbname=pqbridge_no_such_db")) {
            assertEquals(PgConnStatus.BAD, conn.status());
            assertEquals(PgTransactionStatus.UNKNOWN, conn.transactionStatus());
            assertTrue(conn.errorMessage().contains("FATAL:  database \"pqbridge_no_such_db\" does not exist\n"),
                    conn.errorMessage());
            assertTrue(conn.errorMessage().startsWith("connection to server "), conn.errorMessage());
        }
        try (PgConn conn = backend.connect("host=127.0.0.1 port=1 connect_timeout=5")) {
            assertEquals(PgConnStatus.BAD, conn.status());
            assertEquals("connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n"
                    + "\tIs the server running on that host and accepting TCP/IP connections?\n", conn.errorMessage());
        }
        try (PgConn conn = backend.connect("nosuchoption=1")) {
            assertEquals(PgConnStatus.BAD, conn.status());
            assertEquals("invalid connection option \"nosuchoption\"\n", conn.errorMessage());
        }
    }

    /** libpq's answers to a null string: a refusal with its text (nothing sent), or NULL; never an exception. */
    @ParameterizedTest
    @MethodSource(BACKENDS)
    void aNullCommandOrParameterNameGetsLibpqsAnswer(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            assertFalse(conn.sendQuery(null));
            assertEquals("command string is a null pointer\n", conn.errorMessage());
            assertFalse(conn.sendQueryParams(null, null, new byte[0][], null, 0));
            assertEquals("command string is a null pointer\n", conn.errorMessage());
            assertNull(conn.parameterStatus(null));
            assertEquals(PgConnStatus.OK, conn.status());
            assertEquals("1", Spi.ok(conn, "SELECT 1").text(0, 0));
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void resultsCarryMetadataValuesAndTags(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            PgResult r = Spi.ok(conn, "SELECT 1::int4 AS a, NULL::text AS \"B\", ''::text AS c, 'é'::text AS d");
            assertEquals(PgExecStatus.TUPLES_OK, r.status());
            assertEquals(1, r.ntuples());
            assertEquals(4, r.nfields());
            assertEquals("a", r.fname(0));
            assertEquals(23, r.ftype(0));
            assertEquals(25, r.ftype(1));
            assertEquals(0, r.fformat(0));
            assertEquals(4, r.fsize(0));
            assertEquals(-1, r.fsize(1));
            assertEquals(0, r.ftable(0));
            assertEquals("1", r.text(0, 0));
            assertTrue(r.isNull(0, 1));
            assertNull(r.value(0, 1));
            assertEquals(0, r.length(0, 1));
            assertFalse(r.isNull(0, 2));
            assertEquals("", r.text(0, 2));
            assertEquals("é", r.text(0, 3));
            assertEquals(2, r.length(0, 3));
            assertEquals("SELECT 1", r.cmdStatus());
            assertEquals("1", r.cmdTuples());
            assertEquals(1, r.fnumber("\"B\""));
            assertEquals(-1, r.fnumber("B"));
            assertEquals(0, r.fnumber("A"));

            Spi.ok(conn, "CREATE TEMP TABLE tags (id int primary key, v text)");
            assertEquals("INSERT 0 2", Spi.ok(conn, "INSERT INTO tags VALUES (1, 'a'), (2, 'b')").cmdStatus());
            PgResult upd = Spi.ok(conn, "UPDATE tags SET v = 'c'");
            assertEquals("UPDATE 2", upd.cmdStatus());
            assertEquals("2", upd.cmdTuples());
            PgResult ddl = Spi.ok(conn, "CREATE TEMP TABLE tags2 (x int)");
            assertEquals("CREATE TABLE", ddl.cmdStatus());
            assertEquals("", ddl.cmdTuples());
            List<PgResult> empty = Spi.results(conn, "");
            assertEquals(1, empty.size());
            assertEquals(PgExecStatus.EMPTY_QUERY, empty.get(0).status());
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void multipleStatementsGiveOneResultEachAndStopAtTheError(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            List<PgResult> results = Spi.results(conn, "SELECT 1; SELECT 1/0; SELECT 3");
            assertEquals(2, results.size());
            assertEquals(PgExecStatus.TUPLES_OK, results.get(0).status());
            PgResult error = results.get(1);
            assertEquals(PgExecStatus.FATAL_ERROR, error.status());
            assertEquals("22012", error.errorField(PgDiagField.SQLSTATE));
            assertEquals("ERROR:  division by zero\n", error.errorMessage());
            assertEquals("ERROR", error.errorField(PgDiagField.SEVERITY));
            assertEquals("ERROR", error.errorField(PgDiagField.SEVERITY_NONLOCALIZED));
            assertEquals("division by zero", error.errorField(PgDiagField.MESSAGE_PRIMARY));
            assertNotNull(error.errorField(PgDiagField.SOURCE_FILE));

            List<PgResult> tx = Spi.results(conn, "BEGIN; SELECT 1/0; COMMIT");
            assertEquals(2, tx.size());
            assertEquals(PgTransactionStatus.INERROR, conn.transactionStatus());
            Spi.ok(conn, "ROLLBACK");
            assertEquals(PgTransactionStatus.IDLE, conn.transactionStatus());
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void errorMessagesAreFormattedLikeLibpq(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            PgResult syntax = Spi.results(conn, "SELEC 1").get(0);
            assertEquals("ERROR:  syntax error at or near \"SELEC\"\nLINE 1: SELEC 1\n        ^\n", syntax.errorMessage());
            assertEquals("1", syntax.errorField(PgDiagField.STATEMENT_POSITION));
            assertEquals(syntax.errorMessage(), conn.errorMessage());

            Spi.ok(conn, "CREATE TEMP TABLE u (id int PRIMARY KEY)");
            Spi.ok(conn, "INSERT INTO u VALUES (1)");
            PgResult dup = Spi.results(conn, "INSERT INTO u VALUES (1)").get(0);
            assertEquals("23505", dup.errorField(PgDiagField.SQLSTATE));
            assertEquals("ERROR:  duplicate key value violates unique constraint \"u_pkey\"\n"
                    + "DETAIL:  Key (id)=(1) already exists.\n", dup.errorMessage());
            assertEquals("u", dup.errorField(PgDiagField.TABLE_NAME));
            assertEquals("u_pkey", dup.errorField(PgDiagField.CONSTRAINT_NAME));

            PgResult raise = Spi.results(conn,
                    "DO $$ BEGIN RAISE EXCEPTION 'boom' USING DETAIL = 'dd', HINT = 'hh'; END $$").get(0);
            assertEquals("P0001", raise.errorField(PgDiagField.SQLSTATE));
            assertEquals("ERROR:  boom\nDETAIL:  dd\nHINT:  hh\n"
                    + "CONTEXT:  PL/pgSQL function inline_code_block line 1 at RAISE\n", raise.errorMessage());
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void extendedQueryWithTextAndBinaryParameters(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            assertTrue(conn.sendQueryParams("SELECT $1::int4 + 1, $2::text, $3::text",
                    null, new byte[][] {"42".getBytes(), null, "x".getBytes()}, null, 0));
            PgResult text = Spi.drain(conn).get(0);
            assertEquals(PgExecStatus.TUPLES_OK, text.status(), text.errorMessage());
            assertEquals("43", text.text(0, 0));
            assertTrue(text.isNull(0, 1));
            assertEquals("x", text.text(0, 2));

            byte[] int4 = ByteBuffer.allocate(4).putInt(84).array();
            assertTrue(conn.sendQueryParams("SELECT $1 * 2, 1.5::float8", new int[] {23}, new byte[][] {int4},
                    new int[] {1}, 1));
            PgResult binary = Spi.drain(conn).get(0);
            assertTrue(binary.binaryTuples());
            assertEquals(1, binary.fformat(0));
            assertArrayEquals(ByteBuffer.allocate(4).putInt(168).array(), binary.value(0, 0));
            assertArrayEquals(ByteBuffer.allocate(8).putDouble(1.5).array(), binary.value(0, 1));

            assertTrue(conn.sendQueryParams("SELECT $1::int4", null, new byte[][] {"abc".getBytes()}, null, 0));
            PgResult bad = Spi.drain(conn).get(0);
            assertEquals("22P02", bad.errorField(PgDiagField.SQLSTATE));
            assertEquals("ERROR:  invalid input syntax for type integer: \"abc\""
                    + ServerDifferences.portalParameterContext(1) + "\n", bad.errorMessage());

            assertTrue(conn.sendQueryParams("SELECT 1; SELECT 2", null, null, null, 0));
            PgResult multi = Spi.drain(conn).get(0);
            assertEquals("42601", multi.errorField(PgDiagField.SQLSTATE));
            assertEquals("ERROR:  cannot insert multiple commands into a prepared statement\n", multi.errorMessage());
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void copyCallsWithoutACopyGiveLibpqsErrors(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            assertEquals(-1, conn.putCopyData(new byte[] {'x'}, 0, 1));
            assertEquals("no COPY in progress\n", conn.errorMessage());
            assertEquals(-1, conn.putCopyEnd(null));
            assertEquals("no COPY in progress\nno COPY in progress\n", conn.errorMessage());
            assertEquals(PgConn.COPY_ERROR, conn.getCopyData(ByteBuffer.allocateDirect(64), new int[4]));
            assertEquals("no COPY in progress\nno COPY in progress\nno COPY in progress\n", conn.errorMessage());
            Spi.ok(conn, "SELECT 1");
            assertEquals("", conn.errorMessage(), "a new query cycle clears the error text");
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void copyInOf200RowsCommits(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            Spi.ok(conn, "CREATE TEMP TABLE cin (id int, data text)");
            PgResult start = Spi.results(conn, "COPY cin FROM STDIN").get(0);
            assertEquals(PgExecStatus.COPY_IN, start.status());
            assertEquals(2, start.nfields());
            assertEquals("", start.cmdStatus());
            assertEquals(PgTransactionStatus.ACTIVE, conn.transactionStatus());
            for (int i = 0; i < 200; i++) {
                byte[] row = (i + "\trow " + i + "\n").getBytes(StandardCharsets.UTF_8);
                assertEquals(1, conn.putCopyData(row, 0, row.length));
            }
            assertEquals(1, conn.putCopyEnd(null));
            assertEquals(PgTransactionStatus.ACTIVE, conn.transactionStatus());
            PgResult end = conn.getResult();
            assertEquals(PgExecStatus.COMMAND_OK, end.status());
            assertEquals("COPY 200", end.cmdStatus());
            assertEquals("200", end.cmdTuples());
            assertNull(conn.getResult());
            assertEquals(PgTransactionStatus.IDLE, conn.transactionStatus());
            assertEquals("200", Spi.ok(conn, "SELECT count(*) FROM cin").text(0, 0));
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void copyInBadValueFailsAtTheEndAndStoresNothing(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            Spi.ok(conn, "CREATE TEMP TABLE cbad (id int)");
            assertEquals(PgExecStatus.COPY_IN, Spi.results(conn, "COPY cbad FROM STDIN").get(0).status());
            byte[] good = "1\n".getBytes();
            byte[] bad = "abc\n".getBytes();
            assertEquals(1, conn.putCopyData(good, 0, good.length));
            assertEquals(1, conn.putCopyData(bad, 0, bad.length));
            for (int i = 0; i < 100; i++) {
                assertEquals(1, conn.putCopyData(good, 0, good.length), "errors are held back until the end");
            }
            assertEquals(1, conn.putCopyEnd(null));
            PgResult end = conn.getResult();
            assertEquals(PgExecStatus.FATAL_ERROR, end.status());
            assertEquals("22P02", end.errorField(PgDiagField.SQLSTATE));
            assertEquals("ERROR:  invalid input syntax for type integer: \"abc\"\n"
                    + "CONTEXT:  COPY cbad, line 2, column id: \"abc\"\n", end.errorMessage());
            assertNull(conn.getResult());
            assertEquals(PgTransactionStatus.IDLE, conn.transactionStatus());
            assertEquals("0", Spi.ok(conn, "SELECT count(*) FROM cbad").text(0, 0));
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void copyInAbortedWithAMessageIsCanceledAndStoresNothing(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            Spi.ok(conn, "CREATE TEMP TABLE cabort (id int)");
            Spi.ok(conn, "BEGIN");
            Spi.results(conn, "COPY cabort FROM STDIN");
            byte[] row = "1\n".getBytes();
            assertEquals(1, conn.putCopyData(row, 0, row.length));
            assertEquals(1, conn.putCopyEnd("error from Java: IllegalStateException - nope"));
            PgResult end = conn.getResult();
            assertEquals(PgExecStatus.FATAL_ERROR, end.status());
            assertEquals("57014", end.errorField(PgDiagField.SQLSTATE));
            assertEquals("ERROR:  COPY from stdin failed: error from Java: IllegalStateException - nope\n"
                    + "CONTEXT:  COPY cabort, line 2\n", end.errorMessage());
            assertNull(conn.getResult());
            assertEquals(PgTransactionStatus.INERROR, conn.transactionStatus());
            Spi.ok(conn, "ROLLBACK");
            assertEquals("0", Spi.ok(conn, "SELECT count(*) FROM cabort").text(0, 0));
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void copyOutTextDeliversOneMessagePerRowThenTheEnd(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            Spi.ok(conn, "BEGIN");
            PgResult start = Spi.results(conn, "COPY (SELECT g, 'r' || g FROM generate_series(1, 1000) g) TO STDOUT")
                    .get(0);
            assertEquals(PgExecStatus.COPY_OUT, start.status());
            assertEquals(2, start.nfields());
            assertFalse(start.binaryTuples());
            assertEquals(PgTransactionStatus.ACTIVE, conn.transactionStatus());
            List<String> rows = Spi.copyOutMessages(conn);
            assertEquals(1000, rows.size());
            for (int i = 0; i < 1000; i++) {
                assertEquals((i + 1) + "\tr" + (i + 1) + "\n", rows.get(i));
            }
            assertEquals(PgTransactionStatus.ACTIVE, conn.transactionStatus(), "ACTIVE until the final result");
            PgResult end = conn.getResult();
            assertEquals(PgExecStatus.COMMAND_OK, end.status());
            assertEquals("COPY 1000", end.cmdStatus());
            assertNull(conn.getResult());
            assertEquals(PgTransactionStatus.INTRANS, conn.transactionStatus());
            assertEquals(PgConn.COPY_ERROR, conn.getCopyData(ByteBuffer.allocateDirect(64), new int[1]));
            assertEquals("no COPY in progress\n", conn.errorMessage());
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void copyOutBinaryHasHeaderWithFirstRowAndTrailerAlone(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            PgResult start = Spi.results(conn, "COPY (SELECT g::int4 FROM generate_series(1, 2) g) TO STDOUT (FORMAT binary)")
                    .get(0);
            assertTrue(start.binaryTuples());
            assertEquals(1, start.fformat(0));
            List<String> messages = Spi.copyOutMessages(conn);
            assertEquals(List.of(29, 10, 2), messages.stream().map(String::length).toList());
            assertTrue(messages.get(0).startsWith("PGCOPY\n\u00ff\r\n\0"));
            assertEquals("\u00ff\u00ff", messages.get(2));
            assertEquals("COPY 2", conn.getResult().cmdStatus());
            assertNull(conn.getResult());
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void smallBufferGetsWholeMessagesOrTooSmall(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            Spi.results(conn, "COPY (SELECT repeat('x', 100) FROM generate_series(1, 3)) TO STDOUT");
            ByteBuffer tiny = ByteBuffer.allocateDirect(50);
            int[] lengths = new int[8];
            assertEquals(PgConn.COPY_BUFFER_TOO_SMALL, conn.getCopyData(tiny, lengths));
            assertEquals(101, conn.pendingCopyDataLength());
            assertEquals(0, tiny.position());
            ByteBuffer fits = ByteBuffer.allocateDirect(150);
            assertEquals(1, conn.getCopyData(fits, lengths), "one whole message, the second does not fit");
            assertEquals(101, lengths[0]);
            assertEquals(101, fits.position());
            List<String> rest = Spi.copyOutMessages(conn);
            assertEquals(2, rest.size());
            assertEquals("COPY 3", conn.getResult().cmdStatus());
            assertNull(conn.getResult());
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void sendQueryDuringCopyOutIsRefusedAndLeavesTheCopyIntact(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            Spi.results(conn, "COPY (SELECT g FROM generate_series(1, 10) g) TO STDOUT");
            assertFalse(conn.sendQuery("SELECT 1"));
            assertEquals("another command is already in progress\n", conn.errorMessage());
            assertFalse(conn.sendQueryParams("SELECT 1", null, null, null, 0));
            assertEquals("another command is already in progress\nanother command is already in progress\n",
                    conn.errorMessage());
            assertEquals(10, Spi.copyOutMessages(conn).size());
            assertEquals("COPY 10", conn.getResult().cmdStatus());
            assertNull(conn.getResult());
            assertEquals("1", Spi.ok(conn, "SELECT 1").text(0, 0));
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void cancelDuringALongCopyOutEndsItWithQueryCanceled(PgBackend backend) throws Exception {
        try (PgConn conn = Spi.connect(backend)) {
            Spi.results(conn, "COPY (SELECT g, pg_sleep(0.0005) FROM generate_series(1, 1000000) g) TO STDOUT");
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
            int[] lengths = new int[256];
            buf.clear();
            assertTrue(conn.getCopyData(buf, lengths) > 0);
            assertNull(conn.cancelHandle().cancel());
            long rows = 0;
            int n;
            while (true) {
                buf.clear();
                n = conn.getCopyData(buf, lengths);
                if (n <= 0) {
                    break;
                }
                rows += n;
            }
            assertEquals(PgConn.COPY_END, n, "an ErrorResponse ends the copy with -1, not -2");
            assertTrue(rows < 900_000, "rows delivered after the cancel: " + rows);
            PgResult end = conn.getResult();
            assertEquals(PgExecStatus.FATAL_ERROR, end.status());
            assertEquals("57014", end.errorField(PgDiagField.SQLSTATE));
            assertEquals("ERROR:  canceling statement due to user request\n", end.errorMessage());
            assertNull(conn.getResult());
            assertEquals(PgConnStatus.OK, conn.status());
            assertEquals(PgTransactionStatus.IDLE, conn.transactionStatus());
            assertEquals("1", Spi.ok(conn, "SELECT 1").text(0, 0));
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void cancelFromAnotherThreadInterruptsAQuery(PgBackend backend) throws Exception {
        try (PgConn conn = Spi.connect(backend)) {
            assertTrue(conn.sendQuery("SELECT pg_sleep(30)"));
            CompletableFuture<String> cancel = CompletableFuture.supplyAsync(() -> {
                sleep(300);
                return conn.cancelHandle().cancel();
            });
            long start = System.nanoTime();
            PgResult r = conn.getResult();
            assertNull(cancel.get(10, TimeUnit.SECONDS));
            assertEquals("57014", r.errorField(PgDiagField.SQLSTATE));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
            assertNull(conn.getResult());
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void finishFromAnotherThreadReleasesABlockedReaderWithinASecond(PgBackend backend) throws Exception {
        PgConn conn = Spi.connect(backend);
        assertTrue(conn.sendQuery("SELECT pg_sleep(30)"));
        CompletableFuture<PgResult> reader = CompletableFuture.supplyAsync(conn::getResult);
        sleep(300);
        long start = System.nanoTime();
        conn.finish();
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        PgResult r = reader.get(5, TimeUnit.SECONDS);
        long totalMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(closeMillis < 1000, "finish took " + closeMillis + " ms");
        assertTrue(totalMillis < 1000, "reader released after " + totalMillis + " ms");
        assertTrue(r == null || r.status() == PgExecStatus.FATAL_ERROR, String.valueOf(r));
        assertTrue(conn.isFinished());
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void aFinishedConnectionAnswersLikeANullPgconn(PgBackend backend) {
        PgConn conn = Spi.connect(backend);
        PgCancel cancel = conn.cancelHandle();
        conn.finish();
        conn.finish();
        assertTrue(conn.isFinished());
        assertEquals(PgConnStatus.BAD, conn.status());
        assertEquals(PgTransactionStatus.UNKNOWN, conn.transactionStatus());
        assertEquals("connection pointer is NULL\n", conn.errorMessage());
        assertFalse(conn.sendQuery("SELECT 1"));
        assertFalse(conn.sendQueryParams("SELECT 1", null, null, null, 0));
        assertNull(conn.getResult());
        assertEquals(-1, conn.putCopyData(new byte[1], 0, 1));
        assertEquals(-1, conn.putCopyEnd(null));
        assertEquals(-1, conn.flush());
        assertEquals(PgConn.COPY_ERROR, conn.getCopyData(ByteBuffer.allocateDirect(8), new int[1]));
        assertNull(conn.parameterStatus("server_version"));
        assertEquals(0, conn.backendPid());
        assertNull(conn.notifies());
        assertNull(cancel.cancel(), "a cancel after finish is a harmless no-op");
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void noticesGoToTheHandlerAndNotificationsAreQueued(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            List<PgResult> notices = new ArrayList<>();
            conn.setNoticeHandler(notices::add);
            Spi.ok(conn, "DO $$ BEGIN RAISE NOTICE 'hello %', 1; RAISE WARNING 'careful' USING DETAIL = 'dd'; END $$");
            assertEquals(2, notices.size());
            assertEquals(PgExecStatus.NONFATAL_ERROR, notices.get(0).status());
            assertEquals("NOTICE:  hello 1\n", notices.get(0).errorMessage());
            assertEquals("00000", notices.get(0).errorField(PgDiagField.SQLSTATE));
            assertEquals("WARNING:  careful\nDETAIL:  dd\n", notices.get(1).errorMessage());

            Spi.ok(conn, "LISTEN pqb_channel");
            Spi.ok(conn, "NOTIFY pqb_channel, 'payload'");
            Spi.ok(conn, "NOTIFY pqb_channel");
            PgNotify first = conn.notifies();
            assertNotNull(first);
            assertEquals("pqb_channel", first.channel());
            assertEquals("payload", first.payload());
            assertEquals(conn.backendPid(), first.backendPid());
            assertEquals("", conn.notifies().payload());
            assertNull(conn.notifies());
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void awaitInputWaitsForANotificationAndTheNotifyHandlerTakesIt(PgBackend backend) throws Exception {
        try (PgConn conn = Spi.connect(backend); PgConn other = Spi.connect(backend)) {
            Spi.ok(conn, "LISTEN pqb_wait");
            long start = System.nanoTime();
            assertFalse(conn.awaitInput(250), "nothing came");
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waited >= 240 && waited < 2000, "waited " + waited + " ms");
            assertNull(conn.notifies());

            Thread sender = new Thread(() -> {
                sleep(300);
                Spi.ok(other, "NOTIFY pqb_wait, 'late'");
            });
            sender.start();
            start = System.nanoTime();
            boolean arrived = false;
            while (!arrived && System.nanoTime() - start < 10_000_000_000L) {
                arrived = conn.awaitInput(5000) && conn.notifies() != null;
            }
            sender.join();
            assertTrue(arrived, "the notification woke the wait");
            assertEquals(PgTransactionStatus.IDLE, conn.transactionStatus());

            List<PgNotify> handled = new ArrayList<>();
            conn.setNotifyHandler(handled::add);
            Spi.ok(other, "NOTIFY pqb_wait, 'handled'");
            conn.awaitInput(5000);
            conn.awaitInput(0);
            assertEquals(List.of("handled"), handled.stream().map(PgNotify::payload).collect(Collectors.toList()));
            assertNull(conn.notifies(), "a handled notification is not queued");
            conn.setNotifyHandler(null);

            conn.finish();
            assertTrue(conn.awaitInput(1000), "a finished connection answers at once");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

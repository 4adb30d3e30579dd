package io.pqbridge.pq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.pqbridge.test.Spi;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The java backend's {@link PgConn#trace} over a real conversation: each message it sends or
 * consumes is one line of libpq 18's trace, in the order libpq writes them. The expected lines
 * are those real libpq 18.1 wrote for the same calls (PQTRACE_SUPPRESS_TIMESTAMPS |
 * PQTRACE_REGRESS_MODE); libpq 15 writes the same but for CopyData (see TraceFormat). The
 * comparison of both backends' traces is a test of its own; this one runs on the java backend
 * alone.
 */
class WireTraceTest {

    private static final int FLAGS = PgConn.TRACE_SUPPRESS_TIMESTAMPS | PgConn.TRACE_REGRESS_MODE;

    @Test
    void aConversationIsTracedLineByLineAsLibpqTracesIt() {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        try (PgConn conn = Spi.connect(Pq.backend("java"))) {
            conn.trace(lines, FLAGS);
            Spi.ok(conn, "SELECT 1 AS one, 'a''b\"c' AS s, NULL::text AS n, E'x\\ty\\u00e9' AS t");
            Spi.results(conn, "SELECT 1/0");
            Spi.ok(conn, "CREATE TEMP TABLE t (a int, b text)");
            Spi.results(conn, "COPY t FROM STDIN");
            conn.putCopyData("1\tx\n".getBytes(StandardCharsets.US_ASCII), 0, 4);
            conn.putCopyData("2\t\\N\n".getBytes(StandardCharsets.US_ASCII), 0, 5);
            conn.putCopyEnd(null);
            Spi.drain(conn);
            Spi.results(conn, "COPY t TO STDOUT");
            assertEquals(List.of("1\tx\n", "2\t\\N\n"), Spi.copyOutMessages(conn));
            Spi.drain(conn);
            Spi.ok(conn, "DO $$BEGIN RAISE NOTICE 'hello %', 'world'; END$$");
            Spi.ok(conn, "LISTEN ch");
            Spi.ok(conn, "NOTIFY ch, 'payload'");
            assertNotNull(conn.notifies());
            conn.sendQueryParams("SELECT $1::int + 1", null, new byte[][] {"42".getBytes(StandardCharsets.US_ASCII)},
                    null, 0);
            Spi.drain(conn);
            conn.sendQueryParams("SELECT $1::bytea, $2::text", null,
                    new byte[][] {"\\x00ff41".getBytes(StandardCharsets.US_ASCII), null}, null, 1);
            Spi.drain(conn);
        }
        assertEquals(String.join("\n",
                "F\t72\tQuery\t \"SELECT 1 AS one, 'a''b\"c' AS s, NULL::text AS n, E'x\\ty\\u00e9' AS t\"",
                "B\t88\tRowDescription\t 4 \"one\" NNNN 0 NNNN 4 -1 0 \"s\" NNNN 0 NNNN 65535 -1 0"
                        + " \"n\" NNNN 0 NNNN 65535 -1 0 \"t\" NNNN 0 NNNN 65535 -1 0",
                "B\t33\tDataRow\t 4 1 '1' 5 'a'b\"c' -1 5 'x\\x09y\\xc3\\xa9'",
                "B\t13\tCommandComplete\t \"SELECT 1\"",
                "B\t5\tReadyForQuery\t I",
                "F\t15\tQuery\t \"SELECT 1/0\"",
                "B\tNN\tErrorResponse\t S \"ERROR\" V \"ERROR\" C \"22012\" M \"division by zero\""
                        + " F \"SSSS\" L \"SSSS\" R \"SSSS\" \\x00",
                "B\t5\tReadyForQuery\t I",
                "F\t40\tQuery\t \"CREATE TEMP TABLE t (a int, b text)\"",
                "B\t17\tCommandComplete\t \"CREATE TABLE\"",
                "B\t5\tReadyForQuery\t I",
                "F\t22\tQuery\t \"COPY t FROM STDIN\"",
                "B\t11\tCopyInResponse\t \\x00 2 0 0",
                "F\t8\tCopyData\t 'BBBB'",
                "F\t9\tCopyData\t 'BBBB'",
                "F\t4\tCopyDone",
                "B\t11\tCommandComplete\t \"COPY 2\"",
                "B\t5\tReadyForQuery\t I",
                "F\t21\tQuery\t \"COPY t TO STDOUT\"",
                "B\t11\tCopyOutResponse\t \\x00 2 0 0",
                "B\t8\tCopyData\t 'BBBB'",
                "B\t9\tCopyData\t 'BBBB'",
                "B\t4\tCopyDone",
                "B\t11\tCommandComplete\t \"COPY 2\"",
                "B\t5\tReadyForQuery\t I",
                "F\t54\tQuery\t \"DO $$BEGIN RAISE NOTICE 'hello %', 'world'; END$$\"",
                "B\tNN\tNoticeResponse\t S \"NOTICE\" V \"NOTICE\" C \"00000\" M \"hello world\""
                        + " W \"PL/pgSQL function inline_code_block line 1 at RAISE\""
                        + " F \"SSSS\" L \"SSSS\" R \"SSSS\" \\x00",
                "B\t7\tCommandComplete\t \"DO\"",
                "B\t5\tReadyForQuery\t I",
                "F\t14\tQuery\t \"LISTEN ch\"",
                "B\t11\tCommandComplete\t \"LISTEN\"",
                "B\t5\tReadyForQuery\t I",
                "F\t25\tQuery\t \"NOTIFY ch, 'payload'\"",
                "B\t11\tCommandComplete\t \"NOTIFY\"",
                "B\t19\tNotificationResponse\t NNNN \"ch\" \"payload\"",
                "B\t5\tReadyForQuery\t I",
                "F\t26\tParse\t \"\" \"SELECT $1::int + 1\" 0",
                "F\t20\tBind\t \"\" \"\" 0 1 2 '42' 1 0",
                "F\t6\tDescribe\t P \"\"",
                "F\t9\tExecute\t \"\" 0",
                "F\t4\tSync",
                "B\t4\tParseComplete",
                "B\t4\tBindComplete",
                "B\t33\tRowDescription\t 1 \"?column?\" NNNN 0 NNNN 4 -1 0",
                "B\t12\tDataRow\t 1 2 '43'",
                "B\t13\tCommandComplete\t \"SELECT 1\"",
                "B\t5\tReadyForQuery\t I",
                "F\t34\tParse\t \"\" \"SELECT $1::bytea, $2::text\" 0",
                "F\t30\tBind\t \"\" \"\" 0 2 8 '\\x00ff41' -1 1 1",
                "F\t6\tDescribe\t P \"\"",
                "F\t9\tExecute\t \"\" 0",
                "F\t4\tSync",
                "B\t4\tParseComplete",
                "B\t4\tBindComplete",
                "B\t53\tRowDescription\t 2 \"bytea\" NNNN 0 NNNN 65535 -1 1 \"text\" NNNN 0 NNNN 65535 -1 1",
                "B\t17\tDataRow\t 2 3 '\\x00\\xffA' -1",
                "B\t13\tCommandComplete\t \"SELECT 1\"",
                "B\t5\tReadyForQuery\t I",
                "F\t4\tTerminate",
                ""), lines.toString(StandardCharsets.UTF_8));
    }

    @Test
    void stoppingFlushesAndAFailingStreamEndsTheTraceNotTheConnection() throws IOException {
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        OutputStream buffered = new BufferedOutputStream(target);
        String selectOne = String.join("\n",
                "F\t13\tQuery\t \"SELECT 1\"",
                "B\t33\tRowDescription\t 1 \"?column?\" 0 0 23 4 -1 0",
                "B\t11\tDataRow\t 1 1 '1'",
                "B\t13\tCommandComplete\t \"SELECT 1\"",
                "B\t5\tReadyForQuery\t I",
                "");
        try (PgConn conn = Spi.connect(Pq.backend("java"))) {
            conn.trace(buffered, PgConn.TRACE_SUPPRESS_TIMESTAMPS);
            Spi.ok(conn, "SELECT 1");
            assertEquals("", target.toString(StandardCharsets.UTF_8), "still in the caller's buffer");
            conn.trace(null, 0);
            assertEquals(selectOne, target.toString(StandardCharsets.UTF_8), "flushed when the trace stopped");
            Spi.ok(conn, "SELECT 2");
            buffered.flush();
            assertEquals(selectOne, target.toString(StandardCharsets.UTF_8), "nothing traced after the stop");
            int[] writes = {0};
            conn.trace(new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    writes[0]++;
                    throw new IOException("No space left on device");
                }
            }, 0);
            assertEquals("1", Spi.ok(conn, "SELECT 1").text(0, 0));
            assertEquals("2", Spi.ok(conn, "SELECT 2").text(0, 0));
            assertEquals(1, writes[0], "the first failed write ended the trace");
            assertEquals(PgConnStatus.OK, conn.status());
        }
    }
}

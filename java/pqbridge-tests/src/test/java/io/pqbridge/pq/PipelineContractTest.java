package io.pqbridge.pq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.test.Spi;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SPI contract for pipeline mode (libpq's {@code PQenterPipelineMode} and its kin) on every
 * backend: results in order with a null after each command's, a {@code PIPELINE_SYNC} result per
 * sync, an error that aborts the rest up to the sync, the refusals with libpq's texts, COPY and
 * single-row mode inside a pipeline, and the implicit transaction a sync closes.
 */
@Tag("server-matrix")
@Tag("libpq-matrix")
class PipelineContractTest {

    private static final String BACKENDS = "io.pqbridge.test.Backends#all";

    private static byte[][] params(String... values) {
        byte[][] bytes = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = values[i] == null ? null : values[i].getBytes(StandardCharsets.UTF_8);
        }
        return bytes;
    }

    private static boolean send(PgConn conn, String sql, String... values) {
        return conn.sendQueryParams(sql, null, params(values), null, 0);
    }

    /**
     * What getResult returns up to and including the next PIPELINE_SYNC: each result as
     * "STATUS tag values [error SQLSTATE]", each null as "-".
     */
    private static List<String> untilSync(PgConn conn) {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            PgResult r = conn.getResult();
            if (r == null) {
                seen.add("-");
                continue;
            }
            seen.add(describe(r));
            if (r.status() == PgExecStatus.PIPELINE_SYNC) {
                return seen;
            }
        }
        throw new AssertionError("no PIPELINE_SYNC in 100 results: " + seen);
    }

    private static String describe(PgResult r) {
        StringBuilder b = new StringBuilder(r.status().toString());
        if (!r.cmdStatus().isEmpty()) {
            b.append(' ').append(r.cmdStatus());
        }
        for (int row = 0; row < r.ntuples(); row++) {
            for (int c = 0; c < r.nfields(); c++) {
                b.append(' ').append(r.isNull(row, c) ? "NULL" : r.text(row, c));
            }
        }
        String state = r.errorField(PgDiagField.SQLSTATE);
        if (state != null) {
            b.append(" error ").append(state);
        }
        return b.toString();
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void resultsComeInOrderWithANullAfterEachCommandAndOneResultPerSync(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            assertEquals(PgPipelineStatus.OFF, conn.pipelineStatus());
            assertTrue(conn.exitPipelineMode(), "leaving when not in pipeline mode succeeds");
            assertTrue(conn.enterPipelineMode());
            assertTrue(conn.enterPipelineMode(), "entering twice succeeds");
            assertEquals(PgPipelineStatus.ON, conn.pipelineStatus());
            assertTrue(send(conn, "SELECT $1::int", "1"));
            assertTrue(send(conn, "SELECT g FROM generate_series(1, 2) g"));
            assertTrue(conn.pipelineSync());
            assertTrue(send(conn, "SELECT 'after the first sync'"));
            assertTrue(conn.pipelineSync());
            assertEquals(PgTransactionStatus.ACTIVE, conn.transactionStatus());
            assertEquals(List.of("TUPLES_OK SELECT 1 1", "-", "TUPLES_OK SELECT 2 1 2", "-", "PIPELINE_SYNC"),
                    untilSync(conn));
            assertEquals(List.of("TUPLES_OK SELECT 1 after the first sync", "-", "PIPELINE_SYNC"), untilSync(conn));
            assertNull(conn.getResult(), "nothing left");
            assertEquals(PgTransactionStatus.IDLE, conn.transactionStatus());
            assertTrue(conn.exitPipelineMode());
            assertEquals(PgPipelineStatus.OFF, conn.pipelineStatus());
            assertEquals("1", Spi.ok(conn, "SELECT 1").text(0, 0));
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void anErrorAbortsTheRestUpToTheSyncAndTheImplicitTransactionRollsBack(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            Spi.ok(conn, "CREATE TEMP TABLE p (x int)");
            assertTrue(conn.enterPipelineMode());
            assertTrue(send(conn, "INSERT INTO p VALUES (1)"));
            assertTrue(send(conn, "SELECT 1 / $1::int", "0"));
            assertTrue(send(conn, "INSERT INTO p VALUES (2)"));
            assertTrue(conn.sendPrepare("skipped", "SELECT 1", null));
            assertTrue(conn.pipelineSync());
            assertTrue(send(conn, "SELECT count(*) FROM p"));
            assertTrue(conn.pipelineSync());
            List<String> first = untilSync(conn);
            assertEquals(List.of("COMMAND_OK INSERT 0 1", "-", "FATAL_ERROR error 22012", "-", "PIPELINE_ABORTED", "-",
                    "PIPELINE_ABORTED", "-", "PIPELINE_SYNC"), first);
            assertEquals(PgPipelineStatus.ON, conn.pipelineStatus(), "the sync's result ends the abort");
            assertEquals(List.of("TUPLES_OK SELECT 1 0", "-", "PIPELINE_SYNC"), untilSync(conn),
                    "the first insert was rolled back with the implicit transaction");
            assertTrue(conn.exitPipelineMode());
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void theStatusIsAbortedFromTheErrorToTheSync(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            assertTrue(conn.enterPipelineMode());
            assertTrue(send(conn, "SELECT no_such_column"));
            assertTrue(conn.sendFlushRequest());
            PgResult error = conn.getResult();
            assertEquals(PgExecStatus.FATAL_ERROR, error.status());
            assertEquals(PgPipelineStatus.ABORTED, conn.pipelineStatus());
            assertTrue(conn.errorMessage().contains("column \"no_such_column\" does not exist"), conn.errorMessage());
            assertNull(conn.getResult());
            assertTrue(send(conn, "SELECT 'queued while aborted'"));
            assertEquals(PgExecStatus.PIPELINE_ABORTED, conn.getResult().status(),
                    "answered without waiting for the server");
            assertNull(conn.getResult());
            assertTrue(conn.pipelineSync());
            assertEquals(PgExecStatus.PIPELINE_SYNC, conn.getResult().status());
            assertEquals(PgPipelineStatus.ON, conn.pipelineStatus());
            assertTrue(conn.exitPipelineMode());
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void aFlushRequestDeliversResultsWithoutASync(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            assertTrue(conn.enterPipelineMode());
            assertTrue(send(conn, "SELECT $1::text", "flushed"));
            assertTrue(conn.sendFlushRequest());
            assertEquals("TUPLES_OK SELECT 1 flushed", describe(conn.getResult()));
            assertNull(conn.getResult());
            assertTrue(conn.exitPipelineMode(), "every queued command was answered");
            assertEquals("after", Spi.ok(conn, "SELECT 'after'").text(0, 0));
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void refusalsCarryLibpqsTexts(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            assertFalse(conn.pipelineSync());
            assertEquals("cannot send pipeline when not in pipeline mode\n", conn.errorMessage());
            assertTrue(conn.sendQuery("SELECT 1"));
            assertFalse(conn.enterPipelineMode());
            assertEquals("cannot enter pipeline mode, connection not idle\n", conn.errorMessage());
            Spi.drain(conn);

            assertTrue(conn.enterPipelineMode());
            assertFalse(conn.sendQuery("SELECT 1"));
            assertEquals("PQsendQuery not allowed in pipeline mode\n", conn.errorMessage());
            assertNull(conn.prepare("s", "SELECT 1", null));
            assertEquals("synchronous command execution functions are not allowed in pipeline mode\n",
                    conn.errorMessage());
            assertTrue(send(conn, "SELECT 1"));
            assertFalse(conn.exitPipelineMode());
            assertEquals("cannot exit pipeline mode while busy\n", conn.errorMessage());
            assertTrue(conn.pipelineSync());
            PgResult first = conn.getResult();
            assertEquals(PgExecStatus.TUPLES_OK, first.status());
            assertFalse(conn.exitPipelineMode());
            assertTrue(conn.errorMessage().endsWith("cannot exit pipeline mode with uncollected results\n"),
                    conn.errorMessage());
            assertNull(conn.getResult());
            assertEquals(PgExecStatus.PIPELINE_SYNC, conn.getResult().status());
            assertTrue(conn.exitPipelineMode());
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void preparedStatementsDescribeAndCloseQueueLikeQueries(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            assertTrue(conn.enterPipelineMode());
            assertTrue(conn.sendPrepare("pp", "SELECT $1::int * 2", null));
            assertTrue(conn.sendQueryPrepared("pp", params("21"), null, 0));
            assertTrue(conn.sendDescribePrepared("pp"));
            assertTrue(conn.sendClosePrepared("pp"));
            assertTrue(conn.pipelineSync());
            List<String> seen = untilSync(conn);
            assertEquals("COMMAND_OK", seen.get(0));
            assertEquals("TUPLES_OK SELECT 1 42", seen.get(2));
            assertEquals("COMMAND_OK", seen.get(4));
            assertEquals(PgExecStatus.COMMAND_OK.toString(), seen.get(6).split(" ")[0], seen.toString());
            assertEquals(9, seen.size(), seen.toString());
            assertTrue(conn.exitPipelineMode());
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void singleRowModeWorksForAQueuedQuery(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            assertTrue(conn.enterPipelineMode());
            assertTrue(send(conn, "SELECT g FROM generate_series(1, 2) g"));
            assertTrue(conn.setSingleRowMode());
            assertTrue(send(conn, "SELECT 'whole'"));
            assertTrue(conn.pipelineSync());
            assertEquals(List.of("SINGLE_TUPLE 1", "SINGLE_TUPLE 2", "TUPLES_OK SELECT 2", "-",
                    "TUPLES_OK SELECT 1 whole", "-", "PIPELINE_SYNC"), untilSync(conn));
            assertTrue(conn.exitPipelineMode());
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void aCopyInAPipelineRunsAsLibpqRunsIt(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            assertTrue(conn.enterPipelineMode());
            assertTrue(send(conn, "COPY (SELECT 7) TO STDOUT"));
            assertTrue(conn.pipelineSync());
            PgResult copy = conn.getResult();
            assertEquals(PgExecStatus.COPY_OUT, copy.status());
            assertFalse(send(conn, "SELECT 1"));
            assertEquals("cannot queue commands during COPY\n", conn.errorMessage());
            assertEquals(List.of("7\n"), Spi.copyOutMessages(conn));
            assertEquals(List.of("COMMAND_OK COPY 1", "-", "PIPELINE_SYNC"), untilSync(conn));
            assertTrue(conn.exitPipelineMode());
        }
    }
}

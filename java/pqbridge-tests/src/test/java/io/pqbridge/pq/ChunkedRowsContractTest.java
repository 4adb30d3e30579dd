package io.pqbridge.pq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.test.Spi;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SPI contract for chunked-rows mode (libpq 17's {@code PQsetChunkedRowsMode}) on every
 * backend, on any libpq: the sequences below are what libpq 18.1 hands out (recorded with a C
 * probe against the throwaway server), including where the command tag goes (to a short last
 * chunk, else to the final result), the rows dropped when an error follows a short chunk, and the
 * last mode asked for before a command's first result being the one it keeps.
 */
@Tag("server-matrix")
@Tag("libpq-matrix")
class ChunkedRowsContractTest {

    private static final String BACKENDS = "io.pqbridge.test.Backends#all";

    /** Each result as "STATUS tuples 'tag' values... [error SQLSTATE]", a null as "-", up to the end. */
    private static List<String> results(PgConn conn, int nullsToPass) {
        List<String> seen = new ArrayList<>();
        int nulls = 0;
        for (int i = 0; i < 50; i++) {
            PgResult r = conn.getResult();
            if (r == null) {
                if (nulls++ == nullsToPass) {
                    return seen;
                }
                seen.add("-");
                continue;
            }
            StringBuilder b = new StringBuilder(r.status() + " " + r.ntuples() + " '" + r.cmdStatus() + "'");
            for (int row = 0; row < r.ntuples(); row++) {
                b.append(' ').append(r.isNull(row, 0) ? "NULL" : r.text(row, 0));
            }
            String state = r.errorField(PgDiagField.SQLSTATE);
            if (state != null) {
                b.append(" error ").append(state);
            }
            seen.add(b.toString());
            if (r.status() == PgExecStatus.PIPELINE_SYNC) {
                return seen;
            }
        }
        throw new AssertionError("no end: " + seen);
    }

    private static List<String> chunked(PgConn conn, String sql, int size) {
        assertTrue(conn.sendQuery(sql));
        assertTrue(conn.setChunkedRowsMode(size));
        return results(conn, 0);
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void rowsComeInChunksAndTheTagGoesWhereLibpqPutsIt(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            assertEquals(List.of("TUPLES_CHUNK 2 '' 1 2", "TUPLES_CHUNK 2 '' 3 4", "TUPLES_CHUNK 1 'SELECT 5' 5",
                    "TUPLES_OK 0 ''"), chunked(conn, "SELECT generate_series(1, 5)", 2));
            assertEquals(List.of("TUPLES_CHUNK 2 '' 1 2", "TUPLES_CHUNK 2 '' 3 4", "TUPLES_OK 0 'SELECT 4'"),
                    chunked(conn, "SELECT generate_series(1, 4)", 2));
            assertEquals(List.of("TUPLES_OK 0 'SELECT 0'"), chunked(conn, "SELECT 1 WHERE false", 2));
            assertEquals(List.of("TUPLES_CHUNK 1 '' 1", "TUPLES_CHUNK 1 '' 2", "TUPLES_CHUNK 1 '' 3",
                    "TUPLES_OK 0 'SELECT 3'"), chunked(conn, "SELECT generate_series(1, 3)", 1));
            assertEquals(List.of("TUPLES_CHUNK 1 'SELECT 1' 1", "TUPLES_OK 0 ''", "TUPLES_CHUNK 2 '' 1 2",
                    "TUPLES_CHUNK 1 'SELECT 3' 3", "TUPLES_OK 0 ''", "COMMAND_OK 0 'CREATE TABLE'"),
                    chunked(conn, "SELECT 1; SELECT g FROM generate_series(1, 3) g; CREATE TEMP TABLE c (a int)", 2));
            assertEquals(PgTransactionStatus.IDLE, conn.transactionStatus());
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void anErrorDropsAShortChunkButNotAFullOne(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            String sql = "SELECT 6 / (3 - g) FROM generate_series(1, 5) g";
            assertEquals(List.of("TUPLES_CHUNK 2 '' 3 6", "FATAL_ERROR 0 '' error 22012"), chunked(conn, sql, 2));
            assertEquals(List.of("FATAL_ERROR 0 '' error 22012"), chunked(conn, sql, 3));
            assertEquals("1", Spi.ok(conn, "SELECT 1").text(0, 0));
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void whenItMayBeSetAndWhichModeWins(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            assertFalse(conn.setChunkedRowsMode(2), "nothing sent");
            assertTrue(conn.sendQuery("SELECT generate_series(1, 3)"));
            assertFalse(conn.setChunkedRowsMode(0), "a chunk of no rows");
            assertTrue(conn.setSingleRowMode());
            assertTrue(conn.setChunkedRowsMode(3), "the last mode set wins");
            assertEquals(List.of("TUPLES_CHUNK 3 '' 1 2 3", "TUPLES_OK 0 'SELECT 3'"), results(conn, 0));

            assertTrue(conn.sendQuery("SELECT generate_series(1, 2)"));
            assertTrue(conn.setChunkedRowsMode(5));
            assertTrue(conn.setSingleRowMode(), "the last mode set wins");
            assertEquals(List.of("SINGLE_TUPLE 1 '' 1", "SINGLE_TUPLE 1 '' 2", "TUPLES_OK 0 'SELECT 2'"),
                    results(conn, 0));

            assertTrue(conn.sendQueryParams("SELECT generate_series(1, 5)", null, null, null, 1));
            assertTrue(conn.setChunkedRowsMode(2));
            assertTrue(conn.setSingleRowMode());
            assertTrue(conn.setChunkedRowsMode(3));
            PgResult first = conn.getResult();
            assertEquals(PgExecStatus.TUPLES_CHUNK, first.status());
            assertTrue(first.binaryTuples());
            assertEquals(3, first.ntuples());
            assertFalse(conn.setChunkedRowsMode(2), "a result was taken");
            assertEquals(List.of("TUPLES_CHUNK 2 'SELECT 5' \u0000\u0000\u0000\u0004 \u0000\u0000\u0000\u0005",
                    "TUPLES_OK 0 ''"), results(conn, 0));

            assertTrue(conn.sendQuery("SELECT generate_series(1, 3)"));
            assertEquals(List.of("TUPLES_OK 3 'SELECT 3' 1 2 3"), results(conn, 0), "the mode lasted one command");
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void aQueuedQueryInAPipelineIsChunkedOnItsOwn(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            assertTrue(conn.enterPipelineMode());
            assertTrue(conn.sendQueryParams("SELECT g FROM generate_series(1, 3) g", null, null, null, 0));
            assertTrue(conn.setChunkedRowsMode(2));
            assertTrue(conn.sendQueryParams("SELECT g FROM generate_series(1, 3) g", null, null, null, 0));
            assertTrue(conn.pipelineSync());
            assertEquals(List.of("TUPLES_CHUNK 2 '' 1 2", "TUPLES_CHUNK 1 'SELECT 3' 3", "TUPLES_OK 0 ''", "-",
                    "TUPLES_OK 3 'SELECT 3' 1 2 3", "-", "PIPELINE_SYNC 0 ''"), results(conn, 5));
            assertTrue(conn.exitPipelineMode());
        }
    }
}

package io.pqbridge.pq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.test.Spi;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SPI contract for single-row mode (libpq's {@code PQsetSingleRowMode}) on every backend: one
 * {@code SINGLE_TUPLE} result per row, then the set's {@code TUPLES_OK} without rows and with the
 * tag; when it may be switched on; errors in the middle; an abandoned set.
 */
@Tag("server-matrix")
@Tag("libpq-matrix")
class SingleRowModeContractTest {

    private static final String BACKENDS = "io.pqbridge.test.Backends#all";

    /** Each result as "STATUS tuples/fields tag [values]". */
    private static List<String> results(PgConn conn) {
        List<String> seen = new ArrayList<>();
        for (PgResult r = conn.getResult(); r != null; r = conn.getResult()) {
            StringBuilder b = new StringBuilder(r.status() + " " + r.ntuples() + "/" + r.nfields());
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
            seen.add(b.toString());
        }
        return seen;
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void eachRowIsAResultThenTheSetEndsWithItsTag(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            assertFalse(conn.setSingleRowMode(), "nothing was sent");
            assertTrue(conn.sendQuery("SELECT g, 'r' || g FROM generate_series(1, 3) g"));
            assertTrue(conn.setSingleRowMode());
            assertEquals(List.of("SINGLE_TUPLE 1/2 1 r1", "SINGLE_TUPLE 1/2 2 r2", "SINGLE_TUPLE 1/2 3 r3",
                    "TUPLES_OK 0/2 SELECT 3"), results(conn));

            assertTrue(conn.sendQuery("SELECT 1 WHERE false; SELECT 2, NULL; CREATE TEMP TABLE sr (x int)"));
            assertTrue(conn.setSingleRowMode());
            assertEquals(List.of("TUPLES_OK 0/1 SELECT 0", "SINGLE_TUPLE 1/2 2 NULL", "TUPLES_OK 0/2 SELECT 1",
                    "COMMAND_OK 0/0 CREATE TABLE"), results(conn));
            assertEquals(PgTransactionStatus.IDLE, conn.transactionStatus());
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void extendedAndPreparedQueriesInTextAndBinary(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            assertTrue(conn.sendQueryParams("SELECT g * $1::int FROM generate_series(1, 2) g", null,
                    new byte[][] {"10".getBytes(StandardCharsets.UTF_8)}, null, 0));
            assertTrue(conn.setSingleRowMode());
            assertEquals(List.of("SINGLE_TUPLE 1/1 10", "SINGLE_TUPLE 1/1 20", "TUPLES_OK 0/1 SELECT 2"), results(conn));

            assertEquals(PgExecStatus.COMMAND_OK, conn.prepare("sr", "SELECT g FROM generate_series(1, $1::int) g",
                    null).status());
            assertTrue(conn.sendQueryPrepared("sr", new byte[][] {"2".getBytes(StandardCharsets.UTF_8)}, null, 1));
            assertTrue(conn.setSingleRowMode());
            PgResult first = conn.getResult();
            assertEquals(PgExecStatus.SINGLE_TUPLE, first.status());
            assertTrue(first.binaryTuples());
            assertEquals(1, ByteBuffer.wrap(first.value(0, 0)).getInt());
            assertEquals(List.of("SINGLE_TUPLE 1/1 \u0000\u0000\u0000\u0002", "TUPLES_OK 0/1 SELECT 2"), results(conn));

            assertTrue(conn.sendPrepare("sr2", "SELECT 1", null));
            assertFalse(conn.setSingleRowMode(), "not for a prepare");
            results(conn);
            assertTrue(conn.sendDescribePrepared("sr2"));
            assertFalse(conn.setSingleRowMode(), "not for a describe");
            results(conn);
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void anErrorInTheMiddleEndsTheSetAfterTheRowsSoFar(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            assertTrue(conn.sendQuery("SELECT 6 / (3 - g) FROM generate_series(1, 5) g"));
            assertTrue(conn.setSingleRowMode());
            assertEquals(List.of("SINGLE_TUPLE 1/1 3", "SINGLE_TUPLE 1/1 6", "FATAL_ERROR 0/0 error 22012"),
                    results(conn));
            assertEquals("1", Spi.ok(conn, "SELECT 1").text(0, 0));
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void anAbandonedSetKeepsTheConnectionBusyUntilRead(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            assertTrue(conn.sendQuery("SELECT g FROM generate_series(1, 1000) g"));
            assertTrue(conn.setSingleRowMode());
            assertEquals(PgExecStatus.SINGLE_TUPLE, conn.getResult().status());
            assertFalse(conn.setSingleRowMode(), "a result was taken");
            assertFalse(conn.sendQuery("SELECT 2"));
            assertEquals("another command is already in progress\n", conn.errorMessage());
            List<String> rest = results(conn);
            assertEquals(1000, rest.size(), "999 rows and the end");
            assertEquals("TUPLES_OK 0/1 SELECT 1000", rest.get(999));
            assertNull(conn.getResult());
            assertEquals("2", Spi.ok(conn, "SELECT 2").text(0, 0));
        }
    }
}

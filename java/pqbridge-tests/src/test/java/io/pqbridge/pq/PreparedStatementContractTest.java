package io.pqbridge.pq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.test.Spi;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SPI contract for prepared statements and portals (libpq's {@code PQprepare},
 * {@code PQexecPrepared}, {@code PQdescribePrepared}, {@code PQdescribePortal},
 * {@code PQclosePrepared}, {@code PQclosePortal}), on every backend. Where Close is not available
 * (the native backend on a libpq older than 17) the SQL fallback's own answers are asserted.
 */
@Tag("server-matrix")
@Tag("libpq-matrix")
class PreparedStatementContractTest {

    private static final String BACKENDS = "io.pqbridge.test.Backends#all";

    private static byte[][] text(String... values) {
        byte[][] bytes = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = values[i] == null ? null : values[i].getBytes(StandardCharsets.UTF_8);
        }
        return bytes;
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void aStatementIsPreparedRunDescribedAndClosed(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            PgResult prepared = conn.prepare("s1", "SELECT $1::int4 + 1 AS n, $2::text AS t", null);
            assertEquals(PgExecStatus.COMMAND_OK, prepared.status(), prepared.errorMessage());
            assertEquals("", prepared.cmdStatus());
            assertEquals(0, prepared.nfields());
            assertEquals(0, prepared.nparams());
            assertEquals(PgTransactionStatus.IDLE, conn.transactionStatus());

            PgResult run = conn.execPrepared("s1", text("41", null), null, 0);
            assertEquals(PgExecStatus.TUPLES_OK, run.status(), run.errorMessage());
            assertEquals("42", run.text(0, 0));
            assertTrue(run.isNull(0, 1));
            assertEquals("SELECT 1", run.cmdStatus());
            assertEquals("n", run.fname(0));

            PgResult binary = conn.execPrepared("s1", new byte[][] {ByteBuffer.allocate(4).putInt(9).array(),
                "x".getBytes(StandardCharsets.UTF_8)}, new int[] {1, 0}, 1);
            assertEquals(PgExecStatus.TUPLES_OK, binary.status(), binary.errorMessage());
            assertTrue(binary.binaryTuples());
            assertArrayEquals(ByteBuffer.allocate(4).putInt(10).array(), binary.value(0, 0));

            PgResult described = conn.describePrepared("s1");
            assertEquals(PgExecStatus.COMMAND_OK, described.status(), described.errorMessage());
            assertEquals(2, described.nparams());
            assertEquals(23, described.paramtype(0));
            assertEquals(25, described.paramtype(1));
            assertEquals(2, described.nfields());
            assertEquals(0, described.ntuples());
            assertEquals("t", described.fname(1));
            assertEquals(25, described.ftype(1));
            assertEquals("", described.cmdStatus());

            PgResult closed = conn.closePrepared("s1");
            assertEquals(PgExecStatus.COMMAND_OK, closed.status(), closed.errorMessage());
            assertEquals(conn.closeSendsCloseMessage() ? "" : "DEALLOCATE", closed.cmdStatus());

            PgResult gone = conn.execPrepared("s1", text("1", "a"), null, 0);
            assertEquals("26000", gone.errorField(PgDiagField.SQLSTATE));
            assertEquals("ERROR:  prepared statement \"s1\" does not exist\n", gone.errorMessage());

            PgResult again = conn.closePrepared("s1");
            if (conn.closeSendsCloseMessage()) {
                assertEquals(PgExecStatus.COMMAND_OK, again.status(), "Close of an unknown name is no error");
            } else {
                assertEquals("26000", again.errorField(PgDiagField.SQLSTATE), "DEALLOCATE of an unknown name fails");
            }
            assertEquals(PgTransactionStatus.IDLE, conn.transactionStatus());
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void eachRunReportsItsOwnCommandTag(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            PgResult prepared = conn.prepare("g", "SELECT generate_series(1, $1::int) AS n", null);
            assertEquals(PgExecStatus.COMMAND_OK, prepared.status(), prepared.errorMessage());
            String[] runs = {"2", "2", "3", "0", "1/0", "3"};
            String[] tags = {"SELECT 2", "SELECT 2", "SELECT 3", "SELECT 0", "", "SELECT 3"};
            for (int i = 0; i < runs.length; i++) {
                PgResult run = conn.execPrepared("g", text(runs[i]), null, 0);
                assertEquals(tags[i], run.cmdStatus(), "run " + i + " with " + runs[i]);
                assertEquals(tags[i].isEmpty() ? 0 : Integer.parseInt(runs[i]), run.ntuples());
            }
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void declaredParameterTypesAndTheUnnamedStatement(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            assertEquals(PgExecStatus.COMMAND_OK, conn.prepare("", "SELECT $1 || 'b'", new int[] {25}).status());
            PgResult described = conn.describePrepared(null);
            assertEquals(1, described.nparams());
            assertEquals(25, described.paramtype(0));
            assertEquals("ab", conn.execPrepared("", text("a"), null, 0).text(0, 0));

            assertEquals(PgExecStatus.COMMAND_OK, conn.prepare("ins", "CREATE TEMP TABLE IF NOT EXISTS p (x int)",
                    null).status());
            PgResult noRows = conn.describePrepared("ins");
            assertEquals(PgExecStatus.COMMAND_OK, noRows.status(), noRows.errorMessage());
            assertEquals(0, noRows.nfields());
            assertEquals(0, noRows.nparams());
            assertEquals("CREATE TABLE", conn.execPrepared("ins", null, null, 0).cmdStatus());
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void refusalsAndServerErrorsGetLibpqsTexts(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            assertFalse(conn.sendPrepare(null, "SELECT 1", null));
            assertEquals("statement name is a null pointer\n", conn.errorMessage());
            assertFalse(conn.sendPrepare("x", null, null));
            assertEquals("command string is a null pointer\n", conn.errorMessage());
            assertFalse(conn.sendQueryPrepared(null, null, null, 0));
            assertEquals("statement name is a null pointer\n", conn.errorMessage());
            assertNull(conn.prepare(null, "SELECT 1", null));

            PgResult multi = conn.prepare("m", "SELECT 1; SELECT 2", null);
            assertEquals("42601", multi.errorField(PgDiagField.SQLSTATE));
            assertEquals("ERROR:  cannot insert multiple commands into a prepared statement\n", multi.errorMessage());

            PgResult syntax = conn.prepare("bad", "SELECT FROM WHERE", null);
            assertEquals("ERROR:  syntax error at or near \"WHERE\"\nLINE 1: SELECT FROM WHERE\n"
                    + "                    ^\n", syntax.errorMessage());

            assertEquals(PgExecStatus.COMMAND_OK, conn.prepare("dup", "SELECT 1", null).status());
            PgResult dup = conn.prepare("dup", "SELECT 2", null);
            assertEquals("42P05", dup.errorField(PgDiagField.SQLSTATE));
            assertEquals("ERROR:  prepared statement \"dup\" already exists\n", dup.errorMessage());

            PgResult unknown = conn.describePrepared("nope");
            assertEquals("26000", unknown.errorField(PgDiagField.SQLSTATE));
            PgResult noPortal = conn.describePortal("nope");
            assertEquals("34000", noPortal.errorField(PgDiagField.SQLSTATE));
            assertEquals("ERROR:  portal \"nope\" does not exist\n", noPortal.errorMessage());

            assertTrue(conn.sendQuery("SELECT 1"));
            assertNull(conn.execPrepared("dup", null, null, 0), "refused while another command's results are unread");
            assertEquals("another command is already in progress\n", conn.errorMessage());
            Spi.drain(conn);

            Spi.ok(conn, "BEGIN");
            Spi.results(conn, "SELECT 1/0");
            PgResult aborted = conn.prepare("late", "SELECT 1", null);
            assertEquals("25P02", aborted.errorField(PgDiagField.SQLSTATE));
            assertEquals(PgTransactionStatus.INERROR, conn.transactionStatus());
            Spi.ok(conn, "ROLLBACK");
            assertEquals("1", conn.execPrepared("dup", null, null, 0).text(0, 0), "the connection is usable");
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void aCursorsPortalIsDescribedAndClosed(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend)) {
            Spi.ok(conn, "BEGIN");
            Spi.ok(conn, "DECLARE c CURSOR FOR SELECT 1 AS x, 'y'::text AS y");
            PgResult portal = conn.describePortal("c");
            assertEquals(PgExecStatus.COMMAND_OK, portal.status(), portal.errorMessage());
            assertEquals(2, portal.nfields());
            assertEquals("y", portal.fname(1));
            assertEquals(0, portal.nparams());

            PgResult closed = conn.closePortal("c");
            assertEquals(PgExecStatus.COMMAND_OK, closed.status(), closed.errorMessage());
            assertEquals(conn.closeSendsCloseMessage() ? "" : "CLOSE CURSOR", closed.cmdStatus());
            PgResult fetch = Spi.results(conn, "FETCH c").get(0);
            assertEquals("34000", fetch.errorField(PgDiagField.SQLSTATE));
            Spi.ok(conn, "ROLLBACK");
        }
    }

    /** A finished connection answers every new call as libpq answers a NULL PGconn. */
    @ParameterizedTest
    @MethodSource(BACKENDS)
    void aFinishedConnectionRefusesEveryNewCall(PgBackend backend) {
        PgConn conn = Spi.connect(backend);
        conn.finish();
        assertFalse(conn.sendPrepare("s", "SELECT 1", null));
        assertFalse(conn.sendQueryPrepared("s", null, null, 0));
        assertFalse(conn.sendDescribePrepared("s"));
        assertFalse(conn.sendDescribePortal("p"));
        assertFalse(conn.sendClosePrepared("s"));
        assertFalse(conn.sendClosePortal("p"));
        assertNull(conn.describePrepared("s"));
        assertEquals("connection pointer is NULL\n", conn.errorMessage());
    }
}

package io.pqbridge.pq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.test.Spi;
import io.pqbridge.test.TestDatabase;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * COPY BOTH, the state a replication connection's {@code START_REPLICATION} puts the connection
 * in, on every backend: libpq hands the COPY_BOTH result out again on every {@code PQgetResult},
 * refuses other commands, takes data both ways, and the client's CopyDone leaves the server's side
 * open until the server ends it too; {@link PgConn#flush()} sends a status update the moment it
 * is queued. A replication connection with a database
 * ({@code replication=database}) needs no pg_hba line of its own, so the test server takes it.
 */
@Tag("server-matrix")
class CopyBothContractTest {

    private static final String BACKENDS = "io.pqbridge.test.Backends#all";

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void aReplicationStreamRunsInCopyBothAndEndsAsInLibpq(PgBackend backend) {
        try (PgConn conn = Spi.connect(backend, TestDatabase.conninfo() + " replication=database");
             PgConn writer = Spi.connect(backend)) {
            String position = Spi.ok(conn, "IDENTIFY_SYSTEM").text(0, 2);
            assertTrue(conn.sendQuery("START_REPLICATION PHYSICAL " + position), conn::errorMessage);
            PgResult started = conn.getResult();
            assertEquals(PgExecStatus.COPY_BOTH, started.status(), started::errorMessage);
            assertEquals(PgExecStatus.COPY_BOTH, conn.getResult().status(), "the state is handed out again");
            assertFalse(conn.sendQuery("SELECT 1"));
            assertTrue(conn.errorMessage().contains("another command is already in progress"), conn::errorMessage);

            // WAL written elsewhere arrives as XLogData ('w') messages
            Spi.ok(writer, "CREATE TEMP TABLE copy_both_wal (a int); DROP TABLE copy_both_wal"); // catalog rows: WAL
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            int[] lengths = new int[64];
            int got = conn.getCopyData(buf, lengths);
            assertTrue(got >= 1, () -> "getCopyData: " + got + " " + conn.errorMessage());
            byte kind = buf.get(0);
            assertTrue(kind == 'w' || kind == 'k', "a replication message: " + (char) kind);

            // the client's side of the stream: a standby status update, which putCopyData keeps
            // back (it is under 8 KB) until flush() sends it, then CopyDone
            long written = lsn(position);
            byte[] update = statusUpdate(written);
            assertEquals(1, conn.putCopyData(update, 0, update.length));
            assertEquals(0, conn.flush(), conn::errorMessage);
            assertEquals(Long.toString(written), reportedWritePosition(writer, conn.backendPid()),
                    "the server saw the status update that flush() sent");
            assertEquals(1, conn.putCopyEnd(null));
            assertEquals(PgConnStatus.OK, conn.status());
            // libpq 15 and 18 against server 15: the server's CopyDone, then START_STREAMING and
            // START_REPLICATION completed (older servers leave out the second), then the null
            List<String> end = theEnd(conn, buf, lengths);
            assertEquals("end", end.get(0), end::toString);
            assertEquals("COMMAND_OK START_STREAMING", end.get(1), end::toString);
            assertEquals("null", end.get(end.size() - 1), end::toString);
            assertTrue(end.subList(1, end.size() - 1).stream().allMatch(r -> r.startsWith("COMMAND_OK")), end::toString);
            assertEquals(PgTransactionStatus.IDLE, conn.transactionStatus());
            assertEquals("t", Spi.ok(conn, "SELECT true").text(0, 0), "usable after the stream");
        }
    }

    /** What follows the client's CopyDone: the server's data up to its CopyDone ("end"), then the results up to the null. */
    private static List<String> theEnd(PgConn conn, ByteBuffer buf, int[] lengths) {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            buf.clear();
            int got = conn.getCopyData(buf, lengths);
            if (got == PgConn.COPY_END) {
                seen.add("end");
                break;
            }
            assertTrue(got >= 1, () -> "getCopyData: " + got + " " + conn.errorMessage());
        }
        for (int i = 0; i < 10; i++) {
            PgResult r = conn.getResult();
            if (r == null) {
                seen.add("null");
                return seen;
            }
            String tag = r.cmdStatus();
            seen.add(r.status() + (tag.isEmpty() ? "" : " " + tag)
                    + (r.errorMessage().isEmpty() ? "" : " " + r.errorMessage().strip()));
        }
        throw new AssertionError("no end of results: " + seen);
    }

    /** A standby status update ('r'): {@code written} as the written position, the others unknown, no reply asked. */
    private static byte[] statusUpdate(long written) {
        ByteBuffer b = ByteBuffer.allocate(34);
        b.put((byte) 'r').putLong(written).putLong(0).putLong(0).putLong(0).put((byte) 0);
        return b.array();
    }

    /** A WAL position in the server's text form, {@code 0/16B3748}, as a number. */
    private static long lsn(String text) {
        int slash = text.indexOf('/');
        return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
    }

    /**
     * The written position the server has from the walsender {@code pid}'s client, as a number,
     * once it is set; "none" if it is still unset after ten seconds. The walsender reads the
     * client's messages as they arrive, so an update that was sent shows within milliseconds.
     */
    private static String reportedWritePosition(PgConn observer, int pid) {
        String sql = "SELECT (write_lsn - '0/0')::text FROM pg_stat_replication WHERE pid = " + pid
                + " AND write_lsn IS NOT NULL";
        long deadline = System.nanoTime() + 10_000_000_000L;
        do {
            PgResult r = Spi.ok(observer, sql);
            if (r.ntuples() == 1) {
                return r.text(0, 0);
            }
            sleep();
        } while (System.nanoTime() < deadline);
        return "none";
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}

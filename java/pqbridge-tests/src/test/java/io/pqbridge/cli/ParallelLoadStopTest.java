package io.pqbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.Connection;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.Backends;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code load --jobs 2} stopped in the middle, rows streaming in on standard input: one worker's
 * backend terminated by the server, or Ctrl-C (a real SIGINT to the tool's process). Either way
 * nothing is stored, the exit status says which, and neither prepared transactions nor a staging
 * table are left behind; with two-phase commit and with the staging table, on every backend.
 */
class ParallelLoadStopTest {

    static Stream<Arguments> cases() {
        return Backends.crossed(Stream.of(LoadServers.values()).flatMap(server ->
                Stream.of(Arguments.of(server, true), Arguments.of(server, false))));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void stoppedInTheMiddleStoresNothing(PgBackend backend, LoadServers server, boolean ctrlC) throws Exception {
        String table = "jobs_stop_" + backend.name() + "_" + server.name().toLowerCase(java.util.Locale.ROOT);
        try (Connection conn = server.connect(backend)) {
            conn.execute("DROP TABLE IF EXISTS " + table);
            conn.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, name text)");
            conn.execute("INSERT INTO " + table + " VALUES (-1, 'before')");
            String err;
            try (ToolProcess tool = ToolProcess.start(List.of(), "load", "--dsn", server.conninfo(), "--impl",
                    backend.name(), "--table", table, "--format", "csv", "--jobs", "2", "-")) {
                tool.feedRows(-1, false);
                long worker2 = awaitWorkerCopying(conn, tool, 2);
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (tool.rowsWritten() < 50_000 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                if (ctrlC) {
                    tool.interrupt();
                } else {
                    assertTrue(conn.execute("SELECT pg_terminate_backend(%s::int)", worker2).fetchOne().getBoolean(0));
                }
                int exit = tool.waitFor(60);
                if (ctrlC) {
                    assertEquals(130, exit, tool::err);
                    assertTrue(tool.err().contains("pqbridge load: interrupted (Ctrl-C); nothing was stored"), tool::err);
                } else {
                    assertNotEquals(0, exit, tool::err);
                    assertTrue(tool.err().contains("nothing was stored"), tool::err);
                }
                err = tool.err();
            }
            assertEquals("(-1,before)\n", Tool.content(conn, table));
            assertEquals("", LoadServers.leftovers(conn), err);
        }
    }

    /**
     * Two-phase commit, the connection of a worker whose transaction is prepared lost before
     * COMMIT PREPARED: the tool commits that transaction over the other worker's connection, and
     * the load completes. The last row holds its worker's COPY (a trigger waits for a lock the
     * test holds) until the other worker has prepared and its backend was terminated.
     */
    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aCommitWhoseConnectionWasLostIsFinishedOnAnother(PgBackend backend) throws Exception {
        LoadServers server = LoadServers.TWO_PHASE;
        String table = "jobs_commit_retry_" + backend.name();
        int rows = 12_000;   // three 256 KiB chunks: both workers get rows
        long gate = 4_242_000 + backend.name().hashCode() % 1000;
        try (Connection conn = server.connect(backend)) {
            conn.execute("DROP TABLE IF EXISTS " + table);
            conn.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, name text)");
            conn.execute("CREATE OR REPLACE FUNCTION " + table + "_gate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " IF NEW.id = " + (rows - 1) + " THEN PERFORM pg_advisory_lock_shared(" + gate + ");"
                    + " PERFORM pg_advisory_unlock_shared(" + gate + "); END IF; RETURN NEW; END $$");
            conn.execute("CREATE TRIGGER gate BEFORE INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION " + table
                    + "_gate()");
            conn.execute("SELECT pg_advisory_lock(%s)", gate);
            String err;
            try (ToolProcess tool = ToolProcess.start(List.of(), "load", "--dsn", server.conninfo(), "--impl",
                    backend.name(), "--table", table, "--format", "csv", "--jobs", "2", "-")) {
                tool.feedRows(rows, true);
                long prepared = awaitWorkerPrepared(conn, tool);
                assertTrue(conn.execute("SELECT pg_terminate_backend(%s::int)", prepared).fetchOne().getBoolean(0));
                conn.execute("SELECT pg_advisory_unlock(%s)", gate);
                assertEquals(0, tool.waitFor(60), tool::err);
                err = tool.err();
            }
            assertEquals(rows, conn.execute("SELECT count(*) FROM " + table).fetchOne().getLong(0), err);
            assertEquals("", LoadServers.leftovers(conn), err);
            conn.execute("DROP TABLE " + table);
            conn.execute("DROP FUNCTION " + table + "_gate()");
        }
    }

    /** Waits until one worker of the tool has prepared its transaction; its backend's pid. */
    private static long awaitWorkerPrepared(Connection conn, ToolProcess tool) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (;;) {
            var row = conn.execute("SELECT pid FROM pg_stat_activity WHERE application_name LIKE 'pqbridge load _/2'"
                    + " AND state = 'idle' AND query LIKE 'PREPARE TRANSACTION %%'").fetchOne();
            if (row != null) {
                return row.getLong(0);
            }
            if (!tool.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("no worker prepared its transaction; stderr:\n" + tool.err());
            }
            Thread.sleep(20);
        }
    }

    /** Waits until worker {@code n} of the tool runs its COPY; its backend's pid. */
    private static long awaitWorkerCopying(Connection conn, ToolProcess tool, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (;;) {
            var row = conn.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s AND query LIKE"
                    + " 'COPY %%'", "pqbridge load " + n + "/2").fetchOne();
            if (row != null) {
                return row.getLong(0);
            }
            if (!tool.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("worker " + n + "'s COPY never started; stderr:\n" + tool.err());
            }
            Thread.sleep(20);
        }
    }
}

package io.pqbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.Connection;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.Backends;
import io.pqbridge.test.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ctrl-C (a real SIGINT to the tool's own process) in the middle of a COPY: the load is aborted
 * with CopyFail and stores nothing, the unload is cancelled and leaves no file; both exit with 130
 * and say so. The load is interrupted both while rows stream in and while the tool waits for more.
 */
class InterruptTest {

    static Stream<Arguments> loads() {
        return Backends.crossed(Stream.of(Arguments.of(true, false), Arguments.of(false, true)));
    }

    @ParameterizedTest
    @MethodSource("loads")
    void ctrlCInTheMiddleOfALoadStoresNothing(PgBackend backend, boolean streaming, boolean binaryWire)
            throws Exception {
        String table = "sigint_load_" + backend.name() + (binaryWire ? "_bw" : "");
        try (Connection conn = Connection.connect(backend, TestDatabase.conninfo())) {
            conn.setAutocommit(true);
            conn.execute("DROP TABLE IF EXISTS " + table);
            conn.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, name text)");
            conn.execute("INSERT INTO " + table + " VALUES (-1, 'before')");
            List<String> args = new java.util.ArrayList<>(List.of("load", "--dsn", TestDatabase.conninfo(), "--impl",
                    backend.name(), "--table", table, "--format", "csv", "-"));
            if (binaryWire) {
                args.add("--binary-wire");
            }
            long copyFailsBefore = copyFailsLogged();
            try (ToolProcess tool = ToolProcess.start(List.of(), args.toArray(String[]::new))) {
                // streaming: rows keep coming; otherwise 20000 rows, then the tool waits on an open pipe
                tool.feedRows(streaming ? -1 : 20_000, false);
                awaitCopy(conn, table, tool);
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (tool.rowsWritten() < 20_000 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                tool.interrupt();
                int exit = tool.waitFor(60);
                assertEquals(130, exit, tool::err);
                assertTrue(tool.err().contains("pqbridge load: interrupted (Ctrl-C); nothing was stored"), tool::err);
                assertTrue(tool.rowsWritten() >= 20_000, "rows were on their way: " + tool.rowsWritten());
            }
            assertEquals("(-1,before)\n", Tool.content(conn, table));
            assertEquals(0, activeCopies(conn, table), "the server is not left in the COPY");
            if (copyFailsBefore >= 0) {
                assertEquals(copyFailsBefore + 1, copyFailsLogged(), "the server got the tool's CopyFail");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void ctrlCInTheMiddleOfAnUnloadLeavesNoFile(PgBackend backend, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("slow.csv");
        String marker = "sigint_unload_" + backend.name();
        try (Connection conn = Connection.connect(backend, TestDatabase.conninfo());
                ToolProcess tool = ToolProcess.start(List.of(), "unload", "--dsn", TestDatabase.conninfo(), "--impl",
                        backend.name(), "--query", "SELECT g, '" + marker + "', pg_sleep(0.0002) FROM"
                                + " generate_series(1, 10000000) g", "--format", "csv", out.toString())) {
            conn.setAutocommit(true);
            awaitCopy(conn, marker, tool);
            Thread.sleep(500);   // rows are flowing into the partial file
            tool.interrupt();
            int exit = tool.waitFor(60);
            assertEquals(130, exit, tool::err);
            assertTrue(tool.err().contains("pqbridge unload: interrupted (Ctrl-C); no file was written"), tool::err);
            try (Stream<Path> left = Files.list(dir)) {
                assertEquals(List.of(), left.toList(), "no file, no partial file");
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (activeCopies(conn, marker) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, activeCopies(conn, marker), "the server stopped the query");
        }
    }

    /**
     * How many times the server logged the CopyFail of an interrupted load (the facade's abort
     * message); -1 when the test server's log cannot be read (not a throwaway server).
     */
    private static long copyFailsLogged() throws java.io.IOException {
        java.util.Optional<io.pqbridge.testing.ThrowawayPostgres> server = TestDatabase.throwaway();
        if (server.isEmpty()) {
            return -1;
        }
        String log = Files.readString(server.get().logFile());
        return log.split(java.util.regex.Pattern.quote(
                "COPY from stdin failed: error from Java: ToolException - interrupted (Ctrl-C)"), -1).length - 1;
    }

    /** Waits until the server runs the tool's COPY (so its SIGINT handler is installed and data flows). */
    private static void awaitCopy(Connection conn, String marker, ToolProcess tool) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (activeCopies(conn, marker) == 0) {
            if (!tool.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the tool's COPY never started; stderr:\n" + tool.err());
            }
            Thread.sleep(20);
        }
    }

    private static long activeCopies(Connection conn, String marker) {
        return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY %%' AND query LIKE %s"
                + " AND state = 'active' AND pid <> pg_backend_pid()", "%" + marker + "%").fetchOne().getLong(0);
    }
}

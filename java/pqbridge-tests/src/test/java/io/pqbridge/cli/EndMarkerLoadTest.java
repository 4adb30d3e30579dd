package io.pqbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pqbridge.Connection;
import io.pqbridge.pq.PgBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The end-of-data marker (backslash, period) read as the server's version reads it, whichever way
 * the load goes: PostgreSQL 18 made it data in CSV and an error after data on its line in text
 * format. A plain load hands the bytes to the server's COPY; --binary-wire and --jobs read them
 * themselves, and must store the same rows, or fail too and store nothing. Runs on every server
 * of the matrix.
 */
@Tag("server-matrix")
class EndMarkerLoadTest {

    private static final String[][] CASES = {
        // format, file
        {"csv", "x\n\\.\ny\n"},
        {"csv", "x\r\n\\.\r\ny\r\n"},
        {"csv", "x\n\\.z\ny\n"},
        {"text", "x\n\\.\ny\n"},
        {"text", "x\na\\.\ny\n"},
        {"text", "x\r\n\\.\r\ny\r\n"},
    };

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void everyWayOfLoadingEndsTheDataWhereTheServerDoes(PgBackend backend, @TempDir Path dir) throws Exception {
        Tool tool = new Tool(backend);
        String table = "end_marker_" + backend.name();
        try (Connection conn = tool.connect()) {
            for (String[] c : CASES) {
                Path file = dir.resolve("input." + c[0]);
                Files.writeString(file, c[1], StandardCharsets.UTF_8);
                List<String> outcomes = new ArrayList<>();
                for (List<String> way : List.of(List.<String>of(), List.of("--binary-wire"), List.of("--jobs", "2"))) {
                    conn.execute("DROP TABLE IF EXISTS " + table);
                    conn.execute("CREATE TABLE " + table + " (a text)");
                    List<String> args = new ArrayList<>(List.of("--table", table, "--format", c[0]));
                    args.addAll(way);
                    args.add(file.toString());
                    Tool.Result r = tool.run("load", args.toArray(String[]::new));
                    outcomes.add((r.exit() == 0 ? "stored " : "refused, stored ") + Tool.content(conn, table));
                }
                String what = c[0] + " " + c[1].replace("\r", "\\r").replace("\n", "\\n") + " on server "
                        + conn.info().serverVersion() + " (plain, --binary-wire, --jobs 2)";
                assertEquals(List.of(outcomes.get(0), outcomes.get(0), outcomes.get(0)), outcomes, what);
            }
            conn.execute("DROP TABLE " + table);
        }
    }
}

package io.pqbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.Connection;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.Backends;
import io.pqbridge.test.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tool streams: a load several times larger than its heap (about 100 MB of CSV through a
 * 32 MB heap, fed through standard input so no file holds it) succeeds, as a 10 GB file does with
 * the default heap.
 */
class BoundedMemoryTest {

    private static final long ROWS = 2_000_000;

    static Stream<Arguments> modes() {
        return Backends.crossed(Stream.of(Arguments.of(false), Arguments.of(true)));
    }

    @ParameterizedTest
    @MethodSource("modes")
    void loadsMoreThanItsHeap(PgBackend backend, boolean binaryWire) throws Exception {
        String table = "bounded_" + backend.name() + (binaryWire ? "_bw" : "");
        try (Connection conn = Connection.connect(backend, TestDatabase.conninfo())) {
            conn.setAutocommit(true);
            conn.execute("DROP TABLE IF EXISTS " + table);
            conn.execute("CREATE UNLOGGED TABLE " + table + " (id int8, name text)");
            List<String> args = new ArrayList<>(List.of("load", "--dsn", TestDatabase.conninfo(), "--impl",
                    backend.name(), "--table", table, "--format", "csv", "-"));
            if (binaryWire) {
                args.add("--binary-wire");
            }
            try (ToolProcess tool = ToolProcess.start(List.of("-Xmx32m"), args.toArray(String[]::new))) {
                tool.feedRows(ROWS, true);
                int exit = tool.waitFor(300);
                assertEquals(0, exit, tool::err);
                assertTrue(tool.err().contains("2,000,000 rows"), tool::err);
            }
            assertEquals(ROWS, Tool.count(conn, table));
            conn.execute("DROP TABLE " + table);
        }
    }
}

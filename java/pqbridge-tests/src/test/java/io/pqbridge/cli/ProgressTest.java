package io.pqbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.Connection;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.TestDatabase;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Standard error carries the progress bar only on a terminal or with --progress (never with
 * --no-progress), and always ends with the one-line summary: rows, bytes, seconds, rows/s, backend.
 */
class ProgressTest {

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void progressOnATerminalOrWhenAskedAndAlwaysTheSummary(PgBackend backend, @TempDir Path dir) throws Exception {
        String table = "progress_" + backend.name();
        Path file = dir.resolve("rows.csv");
        Files.writeString(file, LongStream.rangeClosed(1, 200_000).mapToObj(i -> i + ",row " + i)
                .collect(Collectors.joining("\n", "", "\n")));
        try (Connection conn = new Tool(backend).connect()) {
            conn.execute("DROP TABLE IF EXISTS " + table);
            conn.execute("CREATE UNLOGGED TABLE " + table + " (id int, name text)");
            String[] load = {"load", "--dsn", TestDatabase.conninfo(), "--impl", backend.name(), "--table", table,
                "--format", "csv", file.toString()};

            Tool.Result quiet = Tool.runRaw(new ByteArrayInputStream(new byte[0]), false, load);
            assertEquals(0, quiet.exit(), quiet::toString);
            List<String> lines = quiet.err().lines().toList();
            assertEquals(1, lines.size(), quiet::toString);
            assertTrue(lines.get(0).matches("load " + table + ": 200,000 rows, [0-9.]+ MB in [0-9.]+ s \\([0-9,]+ rows/s,"
                    + " [0-9.]+ MB/s\\), backend " + backend.name() + ", csv"), quiet::toString);

            Tool.Result asked = Tool.runRaw(new ByteArrayInputStream(new byte[0]), false,
                    RoundTripTest.concat(load, new String[] {"--progress"}));
            assertEquals(0, asked.exit(), asked::toString);
            assertTrue(asked.err().contains("load " + table) && asked.err().contains(" MB"), asked::toString);
            assertTrue(asked.err().length() > lines.get(0).length() + 1, "a bar was drawn: " + asked);

            Tool.Result terminal = Tool.runRaw(new ByteArrayInputStream(new byte[0]), true, load);
            assertTrue(terminal.err().length() > lines.get(0).length() + 1, "a bar was drawn: " + terminal);
            Tool.Result refused = Tool.runRaw(new ByteArrayInputStream(new byte[0]), true,
                    RoundTripTest.concat(load, new String[] {"--no-progress"}));
            assertEquals(1, refused.err().lines().count(), refused::toString);
            assertEquals(800_000, Tool.count(conn, table));
            conn.execute("DROP TABLE " + table);
        }
    }

    @Test
    void numbersAreWrittenAsTheRootLocaleFormatsThem() {
        double[] values = {0, 0.04, 0.05, 0.96, 1, 9.99, 999, 999.96, 1000, 12_345.678, 1_234_567, 987_654_321_012.5, -1234.5};
        for (double value : values) {
            for (int decimals = 0; decimals <= 2; decimals++) {
                String expected = String.format(Locale.ROOT, "%,." + decimals + "f", value);
                assertEquals(expected, Progress.decimal(value, decimals), value + " to " + decimals + " places");
            }
        }
    }
}

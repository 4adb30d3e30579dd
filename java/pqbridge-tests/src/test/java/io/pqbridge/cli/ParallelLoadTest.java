package io.pqbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.Connection;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.Backends;
import io.pqbridge.test.TestDatabase;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code load --jobs 2}: the rows split over two connections are exactly those one COPY stores
 * (CSV with quoted line endings, text with escapes, a header skipped once), a bad row anywhere
 * names its input line and stores nothing, with two-phase commit and with the staging table; the
 * options that cannot go with --jobs are usage errors, and so is an all-or-nothing load a user
 * may do neither way, which names --non-atomic.
 */
class ParallelLoadTest {

    /** Rows enough for several chunks per worker (chunks are 256 KiB). */
    private static final int ROWS = 30_000;
    /** The columns the input fills; the table's others have a default and a generated value. */
    private static final String COLUMNS = "id,note,at";

    static Stream<Arguments> servers() {
        return Backends.crossed(Stream.of(Arguments.of(LoadServers.TWO_PHASE), Arguments.of(LoadServers.STAGING)));
    }

    static Tool.Result load(PgBackend backend, LoadServers server, String... args) {
        List<String> all = new ArrayList<>(List.of("load", "--dsn", server.conninfo(), "--impl", backend.name(),
                "--columns", COLUMNS));
        all.addAll(List.of(args));
        return Tool.runRaw(new ByteArrayInputStream(new byte[0]), all.toArray(String[]::new));
    }

    private static void table(Connection conn, String name) {
        conn.execute("DROP TABLE IF EXISTS " + name);
        conn.execute("CREATE TABLE " + name + " (id int PRIMARY KEY, note text, at date,"
                + " added timestamptz DEFAULT '2001-02-03 04:05:06+00', twice int GENERATED ALWAYS AS (id * 2) STORED)");
    }

    /** CSV whose every 7th row has a quoted line ending and every 5th a quoted quote and comma. */
    private static String csv(int rows) {
        StringBuilder s = new StringBuilder("id,note,at\n");
        for (int i = 1; i <= rows; i++) {
            String note = i % 7 == 0 ? "\"first line\nsecond line of " + i + "\"" : i % 5 == 0 ? "\"say \"\"hi\"\", " + i
                    + "\"" : "plain note " + i;
            s.append(i).append(',').append(note).append(',').append(i % 3 == 0 ? "" : "2024-01-" + (1 + i % 28))
                    .append('\n');
        }
        return s.toString();
    }

    static Stream<Arguments> serversAndLineEndings() {
        return Backends.crossed(Stream.of(LoadServers.values()).flatMap(server -> Stream.of(Arguments.of(server, "\n"),
                Arguments.of(server, "\r\n"))));
    }

    /** LF input is split in place; CR LF input goes through the exact line reader: both give one COPY's rows. */
    @ParameterizedTest
    @MethodSource("serversAndLineEndings")
    void csvWithQuotedLineEndingsStoresWhatOneCopyStores(PgBackend backend, LoadServers server, String lineEnding,
            @TempDir Path dir) throws Exception {
        Path file = dir.resolve("rows.csv");
        Files.writeString(file, csv(ROWS).replace("\n", lineEnding));
        try (Connection conn = server.connect(backend)) {
            table(conn, "jobs_csv_one");
            table(conn, "jobs_csv_two");
            Tool.Result one = load(backend, server, "--table", "jobs_csv_one", "--format", "csv", "--header",
                    file.toString());
            assertEquals(0, one.exit(), one::toString);
            Tool.Result two = load(backend, server, "--table", "jobs_csv_two", "--format", "csv", "--header", "--jobs",
                    "2", file.toString());
            assertEquals(0, two.exit(), two::toString);
            assertTrue(two.err().contains(String.format("%,d rows", ROWS)) && two.err().contains("2 jobs, "
                    + (server == LoadServers.TWO_PHASE ? "two-phase commit" : "staging table")), two::toString);
            assertEquals(ROWS, Tool.count(conn, "jobs_csv_two"));
            assertEquals(Tool.content(conn, "jobs_csv_one"), Tool.content(conn, "jobs_csv_two"));
            assertEquals("", LoadServers.leftovers(conn));
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void textWithEscapesAndHeaderFromStandardInput(PgBackend backend, LoadServers server) {
        StringBuilder text = new StringBuilder("id\tnote\tat\n");
        for (int i = 1; i <= ROWS; i++) {
            text.append(i).append('\t').append(i % 4 == 0 ? "tab\\there\\\nescaped newline" : i % 9 == 0 ? "\\N"
                    : "note " + i).append('\t').append(i % 2 == 0 ? "\\N" : "2023-12-31").append('\n');
        }
        byte[] input = text.toString().getBytes(StandardCharsets.UTF_8);
        try (Connection conn = server.connect(backend)) {
            table(conn, "jobs_text_one");
            table(conn, "jobs_text_two");
            List<String> common = List.of("--dsn", server.conninfo(), "--impl", backend.name(), "--header",
                    "--columns", COLUMNS, "-");
            Tool.Result one = Tool.runRaw(new ByteArrayInputStream(input), concat(List.of("load", "--table",
                    "jobs_text_one"), common));
            assertEquals(0, one.exit(), one::toString);
            Tool.Result two = Tool.runRaw(new ByteArrayInputStream(input), concat(List.of("load", "--table",
                    "jobs_text_two", "--jobs", "2"), common));
            assertEquals(0, two.exit(), two::toString);
            assertEquals(ROWS, Tool.count(conn, "jobs_text_two"), "the header is skipped once, no row more or less");
            assertEquals(Tool.content(conn, "jobs_text_one"), Tool.content(conn, "jobs_text_two"));
            assertEquals("", LoadServers.leftovers(conn));
        }
    }

    static Stream<Arguments> formats() {
        return Backends.crossed(Stream.of(Arguments.of("csv", ","), Arguments.of("text", "\t")));
    }

    /** The end-of-data marker ends the load where it stands, as in one COPY: the rows after it go nowhere. */
    @ParameterizedTest
    @MethodSource("formats")
    void endOfDataMarkerStopsTheDealing(PgBackend backend, String format, String delimiter) {
        StringBuilder input = new StringBuilder();
        for (int i = 1; i <= 2 * ROWS; i++) {
            if (i == ROWS + 1) {
                input.append("\\.\n");   // as many rows after it, enough for chunks of their own
            }
            input.append(i).append(delimiter).append("row ").append(i).append(delimiter).append("2024-02-02\n");
        }
        byte[] bytes = input.toString().getBytes(StandardCharsets.UTF_8);
        try (Connection conn = LoadServers.STAGING.connect(backend)) {
            table(conn, "jobs_marker");
            List<String> args = List.of("load", "--dsn", LoadServers.STAGING.conninfo(), "--impl", backend.name(),
                    "--table", "jobs_marker", "--columns", COLUMNS, "--format", format, "--jobs", "2", "-");
            Tool.Result r = Tool.runRaw(new ByteArrayInputStream(bytes), args.toArray(String[]::new));
            assertEquals(0, r.exit(), r::toString);
            assertEquals(ROWS, Tool.count(conn, "jobs_marker"));
            assertEquals(0, conn.execute("SELECT count(*) FROM jobs_marker WHERE id > %s", ROWS).fetchOne().getLong(0));
        }
    }

    private static String[] concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all.toArray(String[]::new);
    }

    /**
     * Writes {@link #csv} with a bad date deep in the input (in some worker's later chunk, after
     * rows spanning two lines); returns its line.
     */
    private static long writeWithBadRow(Path file) throws java.io.IOException {
        String rows = csv(ROWS);
        int badId = ROWS - 1001;   // a plain row: not a multiple of 5 or 7
        int at = rows.indexOf("\n" + badId + ",plain note " + badId + ",") + 1;
        assertTrue(at > 0);
        Files.writeString(file, rows.substring(0, at) + badId + ",plain note " + badId + ",not a date"
                + rows.substring(rows.indexOf('\n', at)));
        return rows.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void nonAtomicSaysWhatEachWorkerStored(PgBackend backend, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.csv");
        writeWithBadRow(file);
        try (Connection conn = LoadServers.STAGING.connect(backend)) {
            table(conn, "jobs_non_atomic");
            Tool.Result r = load(backend, LoadServers.STAGING, "--table", "jobs_non_atomic", "--format", "csv",
                    "--header", "--jobs", "2", "--non-atomic", file.toString());
            assertEquals(5, r.exit(), r::toString);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("--non-atomic: each worker committed on its own:"
                    + " worker 1 (stored ([0-9,]+) rows|stored nothing); worker 2 (stored ([0-9,]+) rows|stored nothing);"
                    + " ([0-9,]+) rows in all are in the table").matcher(r.err());
            assertTrue(m.find(), r::toString);
            assertEquals(Long.parseLong(m.group(5).replace(",", "")), Tool.count(conn, "jobs_non_atomic"), r::toString);
            assertTrue(Tool.count(conn, "jobs_non_atomic") < ROWS - 1, r::toString);
            assertEquals("", LoadServers.leftovers(conn));
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void badRowNamesItsInputLineAndStoresNothing(PgBackend backend, LoadServers server, @TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("bad.csv");
        long badLine = writeWithBadRow(file);
        try (Connection conn = server.connect(backend)) {
            table(conn, "jobs_bad");
            conn.execute("INSERT INTO jobs_bad (id, note) VALUES (-1, 'before')");
            String before = Tool.content(conn, "jobs_bad");
            Tool.Result r = load(backend, server, "--table", "jobs_bad", "--format", "csv", "--header", "--jobs", "2",
                    file.toString());
            assertEquals(5, r.exit(), r::toString);
            assertTrue(r.err().contains("invalid input syntax for type date: \"not a date\""), r::toString);
            assertTrue(r.err().contains("of 2 sent: it is line " + badLine + " of " + file), r::toString);
            assertTrue(r.err().contains("nothing was stored"), r::toString);
            assertEquals(before, Tool.content(conn, "jobs_bad"));
            assertEquals("", LoadServers.leftovers(conn));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void jobsOneIsTheSingleCopy(PgBackend backend, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "1,one,\n2,two,\n3,three,never\n");
        try (Connection conn = LoadServers.STAGING.connect(backend)) {
            table(conn, "jobs_one");
            Tool.Result r = load(backend, LoadServers.STAGING, "--table", "jobs_one", "--format", "csv", "--jobs", "1",
                    file.toString());
            assertEquals(5, r.exit(), r::toString);
            assertTrue(r.err().contains("COPY jobs_one, line 3"), r::toString);
            assertFalse(r.err().contains("sent: it is"), r::toString);
            assertEquals(0, Tool.count(conn, "jobs_one"));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void whatCannotGoWithJobsIsAUsageError(PgBackend backend) {
        for (String[] args : List.of(new String[] {"--format", "binary"}, new String[] {"--binary-wire"},
                new String[] {"--jobs", "0"})) {
            List<String> all = new ArrayList<>(List.of("--table", "t", "--jobs", "2", "-"));
            all.addAll(List.of(args));
            if (args[0].equals("--jobs")) {
                all.subList(2, 4).clear();
            }
            Tool.Result r = load(backend, LoadServers.STAGING, all.toArray(String[]::new));
            assertEquals(2, r.exit(), r::toString);
            assertTrue(r.err().contains("--jobs"), r::toString);
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void withoutPreparedTransactionsOrCreateItNamesNonAtomic(PgBackend backend, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("rows.csv");
        Files.writeString(file, csv(2000));
        String role = "jobs_no_create_" + backend.name();
        try (Connection conn = LoadServers.STAGING.connect(backend)) {
            conn.execute("DROP SCHEMA IF EXISTS " + role + " CASCADE");
            conn.execute("DROP ROLE IF EXISTS " + role);
            conn.execute("CREATE ROLE " + role + " LOGIN");
            conn.execute("CREATE SCHEMA " + role);
            conn.execute("GRANT USAGE ON SCHEMA " + role + " TO " + role);
            table(conn, role + ".t");
            conn.execute("GRANT SELECT, INSERT ON " + role + ".t TO " + role);
            String[] args = {"load", "--dsn", TestDatabase.conninfo() + " user=" + role, "--impl", backend.name(),
                "--table", role + ".t", "--columns", COLUMNS, "--format", "csv", "--header", "--jobs", "2", file.toString()};
            Tool.Result refused = Tool.runRaw(new ByteArrayInputStream(new byte[0]), args);
            assertEquals(2, refused.exit(), refused::toString);
            assertTrue(refused.err().contains("--non-atomic") && refused.err().contains("max_prepared_transactions"),
                    refused::toString);
            assertEquals(0, Tool.count(conn, role + ".t"));
            Tool.Result nonAtomic = Tool.runRaw(new ByteArrayInputStream(new byte[0]), concat(List.of(args),
                    List.of("--non-atomic")));
            assertEquals(0, nonAtomic.exit(), nonAtomic::toString);
            assertEquals(2000, Tool.count(conn, role + ".t"));
            assertEquals("", LoadServers.leftovers(conn));
            conn.execute("DROP SCHEMA " + role + " CASCADE");
            conn.execute("DROP ROLE " + role);
        }
    }
}

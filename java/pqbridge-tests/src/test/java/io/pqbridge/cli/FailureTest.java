package io.pqbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.Connection;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.Backends;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every failure ends with its documented exit status and a message that says what and where, and
 * a failed load leaves the table as it was: with and without --binary-wire, on every backend.
 */
class FailureTest {

    static Stream<Arguments> modes() {
        return Backends.crossed(Stream.of(Arguments.of(false), Arguments.of(true)));
    }

    /** A table holding one row that must survive every failed load. */
    private static String table(Connection conn, String name) {
        conn.execute("DROP TABLE IF EXISTS " + name);
        conn.execute("CREATE TABLE " + name + " (id int PRIMARY KEY, name text)");
        conn.execute("INSERT INTO " + name + " VALUES (100, 'before')");
        return name;
    }

    private static void assertUnchanged(Connection conn, String table) {
        assertEquals("(100,before)\n", Tool.content(conn, table));
    }

    private static Tool.Result load(Tool tool, boolean binaryWire, Path file, String table, String... more) {
        String[] args = RoundTripTest.concat(new String[] {"--table", table, "--format", "csv", file.toString()}, more);
        return tool.run("load", binaryWire ? RoundTripTest.concat(args, new String[] {"--binary-wire"}) : args);
    }

    @ParameterizedTest
    @MethodSource("modes")
    void malformedLineFailsWithItsNumberAndStoresNothing(PgBackend backend, boolean binaryWire, @TempDir Path dir)
            throws Exception {
        Tool tool = new Tool(backend);
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "1,one\n2,two\n3,three,extra\n4,four\n");
        try (Connection conn = tool.connect()) {
            String t = table(conn, "fail_malformed_" + backend.name());
            Tool.Result r = load(tool, binaryWire, file, t);
            assertEquals(5, r.exit(), r::toString);
            assertTrue(r.err().contains("extra data after last expected column"), r::toString);
            assertTrue(r.err().contains("line 3"), r::toString);
            assertTrue(r.err().contains("nothing was stored"), r::toString);
            assertUnchanged(conn, t);
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void unterminatedQuoteFailsAndStoresNothing(PgBackend backend, boolean binaryWire, @TempDir Path dir)
            throws Exception {
        Tool tool = new Tool(backend);
        Path file = dir.resolve("open.csv");
        Files.writeString(file, "1,one\n2,\"two\n");
        try (Connection conn = tool.connect()) {
            String t = table(conn, "fail_quote_" + backend.name());
            Tool.Result r = load(tool, binaryWire, file, t);
            assertEquals(5, r.exit(), r::toString);
            // the server's words, or the tool's
            assertTrue(r.err().contains("unterminated CSV quoted field")
                    || r.err().contains("Unclosed quoted field at end of input (record starting at line 2)"), r::toString);
            assertUnchanged(conn, t);
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void typeErrorFailsWithLineAndColumnAndStoresNothing(PgBackend backend, boolean binaryWire, @TempDir Path dir)
            throws Exception {
        Tool tool = new Tool(backend);
        Path file = dir.resolve("type.csv");
        Files.writeString(file, "id,name\n1,one\nx2,two\n3,three\n");
        try (Connection conn = tool.connect()) {
            String t = table(conn, "fail_type_" + backend.name());
            Tool.Result r = load(tool, binaryWire, file, t, "--header");
            assertEquals(5, r.exit(), r::toString);
            assertTrue(r.err().contains("invalid input syntax"), r::toString);
            assertTrue(r.err().contains("\"x2\""), r::toString);
            assertTrue(r.err().contains("line 3"), r::toString);
            assertTrue(r.err().contains("column id"), r::toString);
            assertUnchanged(conn, t);
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void constraintViolationNamesTheInputLine(PgBackend backend, boolean binaryWire, @TempDir Path dir)
            throws Exception {
        Tool tool = new Tool(backend);
        Path file = dir.resolve("dup.csv");
        Files.writeString(file, "id,name\n1,one\n2,\"two\nlines\"\n100,duplicate\n");
        try (Connection conn = tool.connect()) {
            String t = table(conn, "fail_unique_" + backend.name());
            Tool.Result r = load(tool, binaryWire, file, t, "--header");
            assertEquals(5, r.exit(), r::toString);
            assertTrue(r.err().contains("duplicate key value violates unique constraint"), r::toString);
            // the server counts rows in binary (row 3) and records in CSV; the file line is 5
            assertTrue(r.err().contains(binaryWire ? "it is line 5 of " + file : "line"), r::toString);
            assertUnchanged(conn, t);
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void missingTableOrColumnIsTheServersRefusal(PgBackend backend, boolean binaryWire, @TempDir Path dir)
            throws Exception {
        Tool tool = new Tool(backend);
        Path file = dir.resolve("ok.csv");
        Files.writeString(file, "1,one\n");
        try (Connection conn = tool.connect()) {
            Tool.Result r = load(tool, binaryWire, file, "no_such_table");
            assertEquals(4, r.exit(), r::toString);
            assertTrue(r.err().contains("relation \"no_such_table\" does not exist"), r::toString);
            assertFalse(r.err().contains("nothing was stored"), "no COPY was started: " + r);

            String t = table(conn, "fail_column_" + backend.name());
            r = load(tool, binaryWire, file, t, "--columns", "id,nope");
            assertEquals(4, r.exit(), r::toString);
            assertTrue(r.err().contains("column \"nope\""), r::toString);
            assertUnchanged(conn, t);
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void typesWithoutConversionAreAUsageErrorBeforeAnyData(PgBackend backend, @TempDir Path dir) throws Exception {
        Tool tool = new Tool(backend);
        Path file = dir.resolve("inet.csv");
        Files.writeString(file, "1,127.0.0.1\n");
        try (Connection conn = tool.connect()) {
            conn.execute("DROP TABLE IF EXISTS fail_inet_" + backend.name());
            conn.execute("CREATE TABLE fail_inet_" + backend.name() + " (id int, addr inet)");
            Tool.Result r = load(tool, true, file, "fail_inet_" + backend.name());
            assertEquals(2, r.exit(), r::toString);
            assertTrue(r.err().contains("column addr (inet)") && r.err().contains("without --binary-wire"), r::toString);
            assertEquals(0, Tool.count(conn, "fail_inet_" + backend.name()));
            r = load(tool, false, file, "fail_inet_" + backend.name());
            assertEquals(0, r.exit(), r::toString);
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void failedUnloadLeavesNoFile(PgBackend backend, @TempDir Path dir) throws Exception {
        Tool tool = new Tool(backend);
        Path file = dir.resolve("out.csv");
        Tool.Result r = tool.run("unload", "--query", "SELECT 1/(g - 3) FROM generate_series(1, 5) g", file.toString());
        assertEquals(5, r.exit(), r::toString);
        assertTrue(r.err().contains("division by zero") && r.err().contains("no file was written"), r::toString);
        r = tool.run("unload", "--table", "no_such_table", file.toString());
        assertEquals(4, r.exit(), r::toString);
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.count(), "no file and no partial file");
        }
        Files.writeString(file, "kept");
        r = tool.run("unload", "--table", "no_such_table", file.toString());
        assertEquals(4, r.exit(), r::toString);
        assertEquals("kept", Files.readString(file), "an existing file stays untouched");
    }

    @Test
    void inputThatCannotBeReadIsAnIoError(@TempDir Path dir) {
        Tool.Result r = Tool.runRaw(new ByteArrayInputStream(new byte[0]), "load", "--dsn", "host=127.0.0.1 port=1",
                "--table", "t", dir.resolve("missing.csv").toString());
        assertEquals(6, r.exit(), r::toString);
        assertTrue(r.err().contains("cannot read") && r.err().contains("no such file"), r::toString);
        r = Tool.runRaw(new ByteArrayInputStream(new byte[0]), "unload", "--dsn", "host=127.0.0.1 port=1", "--table",
                "t", dir.resolve("no/such/dir/out.csv").toString());
        assertEquals(6, r.exit(), r::toString);
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void noServerIsAConnectionError(PgBackend backend) {
        Tool.Result r = Tool.runRaw(new ByteArrayInputStream("1\n".getBytes(StandardCharsets.UTF_8)), "load",
                "--impl", backend.name(), "--dsn", "host=127.0.0.1 port=1 connect_timeout=5", "--table", "t", "-");
        assertEquals(3, r.exit(), r::toString);
        assertTrue(r.err().contains("connection"), r::toString);
    }

    @Test
    void badOptionsAreUsageErrors(@TempDir Path dir) {
        String[][] cases = {
            {"load", "--table", "t", "--format", "binary", "--binary-wire", "-"},
            {"load", "--table", "t", "--format", "binary", "--header", "-"},
            {"load", "--table", "t", "--delimiter", "ab", "-"},
            {"load", "--table", "t", "--impl", "rust", "-"},
            {"load", "--table", "t", "--format", "xml", "-"},
            {"load", "-"},
            {"unload", "--table", "t", "--query", "SELECT 1", "-"},
            {"unload", "--table", "t", "--format", "binary", "--header", "-"},
            {"load", "--table", "t", "--embedded", "--dsn", "x", "-"},
            {},
        };
        for (String[] args : cases) {
            Tool.Result r = Tool.runRaw(new ByteArrayInputStream(new byte[0]), args);
            assertEquals(2, r.exit(), () -> String.join(" ", args) + ": " + r);
            assertFalse(r.err().isBlank(), () -> String.join(" ", args) + " says why");
        }
    }
}

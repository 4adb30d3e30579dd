package io.pqbridge.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.Connection;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.Backends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Unload a table, load the file into an empty copy of it, unload that: the two files have the same
 * checksum and the two tables the same content, in every format, with and without a header, through
 * files and through standard input and output.
 */
class RoundTripTest {

    /** Text that needs every escape of every format, NULL look-alikes, non-ASCII. */
    static final String CREATE_SOURCE = "CREATE TABLE %1$s (id int PRIMARY KEY, name text, note varchar(50),"
            + " amount numeric(12,3), ratio float8, flag bool, born date, at timestamptz, data bytea, tags text[],"
            + " doc jsonb);"
            + " INSERT INTO %1$s SELECT g,"
            + "  CASE WHEN g %% 7 = 0 THEN NULL WHEN g %% 5 = 0 THEN E'tab\\there, \"quoted\", back\\\\slash\\nnew"
            + "line\\r\\u00e9\\u2713' ELSE 'name ' || g END,"
            + "  CASE WHEN g %% 11 = 0 THEN '' WHEN g %% 13 = 0 THEN E'\\\\N' WHEN g %% 17 = 0 THEN 'NULL' ELSE 'n' || g END,"
            + "  g * 1.125, g / 7.0::float8, g %% 2 = 0, date '2020-01-01' + g,"
            + "  timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute 1.5 second',"
            + "  decode(md5(g::text), 'hex'), ARRAY['a', 'b,' || g, NULL, '{}'], jsonb_build_object('g', g, 's', 'x\"y')"
            + " FROM generate_series(1, 3000) g";

    static Stream<Arguments> formats() {
        return Backends.crossed(Stream.of(Arguments.of("csv", false), Arguments.of("csv", true),
                Arguments.of("text", false), Arguments.of("text", true), Arguments.of("binary", false)));
    }

    /**
     * --table is SQL's qualified name, each name quoted or folded as the server does: a schema and
     * a table whose names need quotes (a dot, a space, capitals, a quote) load and unload, plain
     * and binary wire, and an unquoted name is folded and found through search_path.
     */
    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void qualifiedAndQuotedTableNames(PgBackend backend, @TempDir Path dir) throws Exception {
        Tool tool = new Tool(backend);
        String schema = "\"Odd.Schema " + backend.name() + "\"";
        String table = schema + ".\"Mixed \"\"Case\"\"\"";
        Path file = dir.resolve("rows.csv");
        Files.writeString(file, "1,one\n2,two\n");
        try (Connection conn = tool.connect()) {
            conn.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            conn.execute("CREATE SCHEMA " + schema);
            conn.execute("CREATE TABLE " + table + " (id int, name text)");
                for (String[] extra : new String[][] {{}, {"--binary-wire"}}) {
                Tool.Result loaded = tool.run("load", concat(new String[] {"--table", table, "--format", "csv",
                    "--columns", "ID,\"name\"", file.toString()}, extra));
                assertEquals(0, loaded.exit(), loaded::toString);
                assertTrue(loaded.err().contains("load " + table + ": 2 rows"), loaded::toString);
            }
            Tool.Result unloaded = tool.run("unload", "--table", table, "--format", "csv", "-");
            assertEquals(0, unloaded.exit(), unloaded::toString);
            assertEquals("1,one\n2,two\n1,one\n2,two\n", unloaded.outText());

            String plain = "rt_plain_" + backend.name();
            conn.execute("DROP TABLE IF EXISTS " + plain);
            conn.execute("CREATE TABLE " + plain + " (id int, name text)");
            conn.execute("INSERT INTO " + plain + " VALUES (3, 'three')");
            Tool.Result viaPath = tool.run("unload", "--table", plain.toUpperCase(java.util.Locale.ROOT), "--format",
                    "csv", "-");
            assertEquals(0, viaPath.exit(), viaPath::toString);
            assertEquals("3,three\n", viaPath.outText(), "an unquoted name is folded and found through search_path");
            conn.execute("DROP TABLE " + plain);
            conn.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    @ParameterizedTest
    @MethodSource("formats")
    void unloadLoadUnloadGivesTheSameFileAndTable(PgBackend backend, String format, boolean header, @TempDir Path dir)
            throws Exception {
        Tool tool = new Tool(backend);
        String source = "rt_src_" + backend.name();
        String target = "rt_dst_" + backend.name();
        try (Connection conn = tool.connect()) {
            conn.execute("DROP TABLE IF EXISTS " + source + ", " + target);
            conn.execute(String.format(CREATE_SOURCE, source));
            conn.execute("CREATE TABLE " + target + " (LIKE " + source + ")");
            String[] headerOption = header ? new String[] {"--header"} : new String[0];
            Path first = dir.resolve("first." + format);
            Path second = dir.resolve("second." + format);

            Tool.Result unloaded = tool.run("unload", concat(new String[] {"--table", source, "--format", format,
                first.toString()}, headerOption));
            assertEquals(0, unloaded.exit(), unloaded::toString);
            assertTrue(unloaded.err().contains("unload: 3,000 rows"), unloaded::toString);

            Tool.Result loaded = tool.run("load", concat(new String[] {"--table", target, "--format", format,
                first.toString()}, headerOption));
            assertEquals(0, loaded.exit(), loaded::toString);
            assertTrue(loaded.err().contains("3,000 rows"), loaded::toString);

            Tool.Result again = tool.run("unload", concat(new String[] {"--table", target, "--format", format,
                second.toString()}, headerOption));
            assertEquals(0, again.exit(), again::toString);

            assertEquals(sha256(Files.readAllBytes(first)), sha256(Files.readAllBytes(second)));
            assertEquals(Tool.content(conn, source), Tool.content(conn, target));
            conn.execute("DROP TABLE " + source + ", " + target);
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void standardOutputToStandardInput(PgBackend backend) {
        Tool tool = new Tool(backend);
        String source = "rt_stdio_src_" + backend.name();
        String target = "rt_stdio_dst_" + backend.name();
        try (Connection conn = tool.connect()) {
            conn.execute("DROP TABLE IF EXISTS " + source + ", " + target);
            conn.execute(String.format(CREATE_SOURCE, source));
            conn.execute("CREATE TABLE " + target + " (LIKE " + source + ")");
            Tool.Result unloaded = tool.run("unload", "--query", "SELECT * FROM " + source + " ORDER BY id;",
                    "--format", "csv", "-");
            assertEquals(0, unloaded.exit(), unloaded::toString);
            Tool.Result loaded = tool.runWithInput(unloaded.out(), "load", "--table", target, "--format", "csv", "-");
            assertEquals(0, loaded.exit(), loaded::toString);
            assertEquals(Tool.content(conn, source), Tool.content(conn, target));
            Tool.Result back = tool.run("unload", "--query", "SELECT * FROM " + target + " ORDER BY id", "--format",
                    "csv", "-");
            assertArrayEquals(unloaded.out(), back.out());
            conn.execute("DROP TABLE " + source + ", " + target);
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void unloadWritesThroughALinkAndLeavesItALink(PgBackend backend, @TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("real.txt"), "old content, longer than the new one\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.txt"), file.getFileName());
        Tool.Result r = new Tool(backend).run("unload", "--query", "SELECT 42", link.toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(Files.isSymbolicLink(link), "the link is still a link");
        assertEquals("42\n", Files.readString(file));
    }

    static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}

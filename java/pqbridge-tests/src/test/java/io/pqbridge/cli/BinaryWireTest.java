package io.pqbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.Connection;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.Backends;
import io.pqbridge.test.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code load --binary-wire} stores exactly what a text load of the same file stores, for every
 * column type it converts, NULLs, escapes and edge values included: the file is loaded both ways
 * into two tables and their contents compared (every row's text, which shows every bit of every
 * value the types print).
 */
class BinaryWireTest {

    /** A column of every type --binary-wire converts (a domain and an enum too). */
    static final String COLUMNS = "(id int, i2 int2, i4 int4, i8 int8, f4 float4, f8 float8, num numeric,"
            + " num2 numeric(10,2), b bool, t text, vc varchar(20), bp char(5), nm name, c \"char\", by bytea, d date,"
            + " tm time, ttz timetz, ts timestamp, tstz timestamptz, iv interval, u uuid, j json, jb jsonb,"
            + " ai int4[], at text[], aiv interval[], af float8[], ad date[], a2 int8[], e bw_mood, dom bw_posint)";

    /** Values at the edges of every type, NULLs, text needing every escape. */
    static final String ROWS = "INSERT INTO %s VALUES"
            + " (1, 1, 2, 3, 1.5, 2.25, 123.456, 7.5, true, 'plain', 'v', 'ab', 'nm', 'x', '\\x0001ff', '2024-02-29',"
            + "  '12:34:56.789', '12:00:00+05:30', '2024-01-02 03:04:05.678901', '2024-06-30 23:59:59.999999+02',"
            + "  '1 year 2 mons 3 days 04:05:06.789', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"a\": [1, 2.50]}',"
            + "  '{\"b\": {\"c\": null}}', '{1,NULL,3}', '{\"x y\",\"q\\\"u\",NULL,\"NULL\",\"\",\"back\\\\\\\\s\"}',"
            + "  '{\"1 mon\",\"-2 days +01:00:00\"}', '{1.5,NaN,-Infinity}', '{2024-01-01,infinity}', '{{1,2},{3,4}}',"
            + "  'happy', 7),"
            + " (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
            + "  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
            + " (3, -32768, 2147483647, -9223372036854775808, 'NaN', '-Infinity', 'NaN',"
            + "  -99999999.99, false, E'tab\\t nl\\n cr\\r bs\\\\ \\\\N quote\" comma, \\u00e9\\u2713\\U0001F600', '',"
            + "  '', '', E'\\\\', '\\x', '4713-01-01 BC', '24:00:00', '00:00:00-15:59', '294276-12-31 23:59:59.999999',"
            + "  'infinity', '-178000000 years', '00000000-0000-0000-0000-000000000000', '[]', '[]', '{}', '{}', '{}',"
            + "  '{}', '{}', '{}', 'sad', 1),"
            + " (4, 32767, -2147483648, 9223372036854775807, '3.4028235e38', '1.7976931348623157e308',"
            + "  '123456789012345678901234567890.123456789012345678901234567890', '0.01', true, E'\\\\N', 'NULL', 'x',"
            + "  'y', 'z', E'\\\\x5c4e', '1999-12-31', '00:00:00', '23:59:59.999999+15:59', '0001-01-01 00:00:00 BC',"
            + "  '-infinity', '-1 days -00:00:00.000001', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '\"str\"', '123',"
            + "  '{-2147483648}', '{\"\\\\\\\\N\"}', '{\"00:00:01\"}', '{1e-300,5e-324}', '{-infinity}',"
            + "  '{9223372036854775807}', 'happy', 2147483647),"
            + " (5, 0, 0, 0, '-0', '-0', '-0.000', '0', false, ' ', 'a b', ' b ', ' ', ' ', '\\x20', '2000-01-01',"
            + "  '23:59:59.999999', '00:00:00+00', '2000-01-01 00:00:00', '1970-01-01 00:00:00+00', '0', "
            + "  'ffffffff-ffff-ffff-ffff-ffffffffffff', 'null', 'null', '{0}', '{\" \"}', '{\"0 00:00:00\"}',"
            + "  '{0,-0}', '{2000-01-01}', '{0}', 'ok', 1)";

    static Stream<Arguments> formats() {
        return Backends.crossed(Stream.of(Arguments.of("csv"), Arguments.of("text")));
    }

    private static void createTypes(Connection conn) {
        conn.execute("DO $$ BEGIN CREATE TYPE bw_mood AS ENUM ('sad', 'ok', 'happy');"
                + " EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        conn.execute("DO $$ BEGIN CREATE DOMAIN bw_posint AS int CHECK (VALUE > 0);"
                + " EXCEPTION WHEN duplicate_object THEN NULL; END $$");
    }

    @ParameterizedTest
    @MethodSource("formats")
    void everyTypeLoadsAsTheTextLoadDoes(PgBackend backend, String format, @TempDir Path dir) {
        Tool tool = new Tool(backend);
        String suffix = "_" + format + "_" + backend.name();
        try (Connection conn = tool.connect()) {
            createTypes(conn);
            conn.execute("DROP TABLE IF EXISTS bw_src" + suffix + ", bw_text" + suffix + ", bw_bin" + suffix);
            conn.execute("CREATE TABLE bw_src" + suffix + " " + COLUMNS);
            conn.execute(String.format(ROWS, "bw_src" + suffix));
            conn.execute("INSERT INTO bw_src" + suffix + " SELECT g + 10, g, g, g, g / 3.0, g / 7.0, g / 11.0, g,"
                    + " g % 2 = 0, 'row ' || g, 'v' || g, 'c', 'n', 'z', decode(md5(g::text), 'hex'), date '2000-01-01' + g,"
                    + " time '00:00' + g * interval '1.000001 s', timetz '00:00+01' + g * interval '1 s',"
                    + " timestamp '2000-01-01' + g * interval '1 day 1.5 s', timestamptz '2000-01-01 UTC' + g * interval '1 h',"
                    + " g * interval '1 mon 1 day 1 s', md5(g::text)::uuid, json_build_object('g', g),"
                    + " jsonb_build_object('g', g), ARRAY[g, -g], ARRAY['a' || g], ARRAY[g * interval '1 mon'],"
                    + " ARRAY[g / 3.0::float8], ARRAY[date '2000-01-01' + g], ARRAY[[g], [g + 1]], 'ok', g"
                    + " FROM generate_series(1, 2000) g");
            conn.execute("CREATE TABLE bw_text" + suffix + " " + COLUMNS);
            conn.execute("CREATE TABLE bw_bin" + suffix + " " + COLUMNS);

            Path file = dir.resolve("all." + format);
            Tool.Result unloaded = tool.run("unload", "--table", "bw_src" + suffix, "--format", format, "--header",
                    file.toString());
            assertEquals(0, unloaded.exit(), unloaded::toString);
            Tool.Result text = tool.run("load", "--table", "bw_text" + suffix, "--format", format, "--header",
                    file.toString());
            assertEquals(0, text.exit(), text::toString);
            Tool.Result binary = tool.run("load", "--table", "bw_bin" + suffix, "--format", format, "--header",
                    "--binary-wire", file.toString());
            assertEquals(0, binary.exit(), binary::toString);
            assertTrue(binary.err().contains("2,005 rows") && binary.err().contains("binary wire"), binary::toString);

            String expected = Tool.content(conn, "bw_src" + suffix);
            assertEquals(expected, Tool.content(conn, "bw_text" + suffix));
            assertEquals(expected, Tool.content(conn, "bw_bin" + suffix));
            conn.execute("DROP TABLE bw_src" + suffix + ", bw_text" + suffix + ", bw_bin" + suffix);
        }
    }

    /**
     * Files written by other programs: other spellings the server's input functions accept (and
     * the converter with them), CSV quoting, NULL versus empty, a header, CR LF line ends, a
     * field spanning lines; text-format escapes, a custom delimiter and NULL, the end marker.
     */
    static Stream<Arguments> handWritten() {
        String csv = "id,i,f,n,b,t,ts\r\n"
                + "1, 42 ,1e3,1.50e1,yes,\"quoted, with \"\"quotes\"\"\",2024-01-01 10:00:00+00\r\n"
                + "2,-7,inf,-0.5,OFF,,2024-01-01T10:00:00.1234566+01:30\r\n"
                + "3,0,-Infinity,1e-3,1,\"\",2024-02-29 23:59:60+00\r\n"
                + "4,+5,nan,NaN,f,\"two\r\nlines\",0044-03-15 12:00:00+00 BC\r\n"
                + "5,,  2.5 ,100,TRUE,\"ab\"c,2024-01-01 00:00:00.5-03\r\n";
        String text = "1|42|1.5|2|t|a\\tb\\\\c\\101\\x42\\|pipe|2024-01-01 00:00:00+00\n"
                + "2|NULL|-0|0|false|\\N|NULL\n"
                + "3|7|1e-320|3|0|\\011\\x9|2024-01-01 00:00:00.999999+00\n"
                + "\\.\n"
                + "4|this line is after the end marker and never read\n";
        return Backends.crossed(Stream.of(
                Arguments.of("csv", csv, new String[] {"--header"}),
                Arguments.of("text", text, new String[] {"--delimiter", "|", "--null", "NULL"})));
    }

    @ParameterizedTest
    @MethodSource("handWritten")
    void otherSpellingsLoadAsTheTextLoadDoes(PgBackend backend, String format, String data, String[] options,
            @TempDir Path dir) throws Exception {
        Tool tool = new Tool(backend);
        String suffix = "_" + format + "_" + backend.name();
        String columns = "(id int, i int8, f float8, n numeric, b bool, t text, ts timestamptz)";
        Path file = dir.resolve("hand." + format);
        Files.writeString(file, data, StandardCharsets.UTF_8);
        try (Connection conn = tool.connect()) {
            conn.execute("DROP TABLE IF EXISTS hw_text" + suffix + ", hw_bin" + suffix);
            conn.execute("CREATE TABLE hw_text" + suffix + " " + columns);
            conn.execute("CREATE TABLE hw_bin" + suffix + " " + columns);
            Tool.Result text = tool.run("load", RoundTripTest.concat(new String[] {"--table", "hw_text" + suffix,
                "--format", format, file.toString()}, options));
            assertEquals(0, text.exit(), text::toString);
            Tool.Result binary = tool.run("load", RoundTripTest.concat(new String[] {"--table", "hw_bin" + suffix,
                "--format", format, "--binary-wire", file.toString()}, options));
            assertEquals(0, binary.exit(), binary::toString);
            assertEquals(Tool.content(conn, "hw_text" + suffix), Tool.content(conn, "hw_bin" + suffix));
            assertEquals(format.equals("csv") ? 5 : 3, Tool.count(conn, "hw_bin" + suffix));
            conn.execute("DROP TABLE hw_text" + suffix + ", hw_bin" + suffix);
        }
    }
    /**
     * Dates, timestamps and intervals in sessions whose DateStyle and IntervalStyle change how the
     * server reads them: --binary-wire stores what the text load stores (it once stored year 16 for
     * {@code 20/06/16} in {@code SQL, DMY}, 2003-01-02 for {@code 1/2/3} where {@code SQL, YMD}
     * reads 2001-02-03, and 9 February for {@code 2.9.6} where {@code German, MDY} reads 2
     * September, and 2009-01-08 for {@code Jan 8 06:42:12.8 9} where a YMD session reads the 8
     * as the year), or refuses with exit 5 and stores nothing.
     */
    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void sessionsReadDateTimeTextAsTheServerDoes(PgBackend backend, @TempDir Path dir) throws Exception {
        String[][] cases = {
            // DateStyle, IntervalStyle, file (d date, t timestamp, z timestamptz, i interval), refused by --binary-wire
            {"SQL,DMY", "postgres", "20/06/16\t20/06/16 10:00:00\t2016-06-20 10:00:00+02\t1 day\n01/02/70\t01/02/69 23:59:59"
                    + "\t\\N\t\\N\n31/12/1999\t31/12/99 00:00:01\t\\N\t\\N\n20/006/2016\t20/06/016 10:00:00\t\\N\t\\N\n", ""},
            {"ISO,DMY", "iso_8601", "01/02/03\t2024-01-02 10:00:00\t2024-01-02 10:00:00+00\t-1 days +02:03:04\n", ""},
            {"German,MDY", "postgres_verbose", "2.9.6\t2.9.6 15:08:15.4\t2024-01-02 10:00:00-03\t1 mon 2 days\n", ""},
            {"Postgres,DMY", "postgres", "9.2.0\tThu Jan 02 10:00:00.5 2020\t\\N\t\\N\n\\N\tThu 02 Jan 10:00:00 2020"
                    + "\t\\N\t\\N\n", ""},
            {"SQL,YMD", "sql_standard", "2001-02-03\t2001-02-03 04:05:06\t\\N\t1 day 02:03:04\n", ""},
            {"SQL,YMD", "postgres", "1/2/3\t\\N\t\\N\t\\N\n", "line 1, column d (date)"},
            {"ISO,MDY", "sql_standard", "\\N\t\\N\t\\N\t-1 days 02:03:04\n", "line 1, column i (interval)"},
            {"Postgres,YMD", "postgres", "\\N\tJan 8 06:42:12.8 9\t\\N\t\\N\n", "line 1, column t ("},
        };
        Tool tool = new Tool(backend);
        try (Connection conn = tool.connect()) {
            for (String[] c : cases) {
                loadBothWays(tool, conn, backend, dir, "-c DateStyle=" + c[0] + " -c IntervalStyle=" + c[1],
                        "d date, t timestamp, z timestamptz, i interval", c[2], c[3]);
            }
        }
    }

    /**
     * A timestamptz or timetz without an offset is in the session's TimeZone: --binary-wire
     * converts it where that zone has one offset at every date (UTC, Etc/ zones, POSIX offsets)
     * and stores what the text load stores; in a region it refuses, naming the zone, and stores
     * nothing, since the server would convert by its own copy of the time zone database.
     */
    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void anOffsetLeftOutIsTheSessionsZoneWhereThatIsFixed(PgBackend backend, @TempDir Path dir) throws Exception {
        String naive = "2024-01-02 10:00:00\t10:00\n2024-07-01 23:59:59.5\t23:59:59.25\n2024-03-31 02:30 BC\t24:00\n";
        String[][] cases = {
            // TimeZone, file (z timestamptz, tt timetz), refused by --binary-wire
            {"UTC", naive, ""},
            {"Etc/GMT+5", naive, ""},
            {"<+05:30>-05:30", naive, ""},
            {"UTC+3", naive, ""},
            {"Europe/Paris", "2024-07-01 10:00:00+02\t10:00:00-01\n", ""},
            {"Europe/Paris", "2024-07-01 10:00:00+02\t\\N\n2024-03-31 02:30:00\t\\N\n",
                "line 2, column z (timestamp with time zone): timestamptz '2024-03-31 02:30:00' gives no UTC offset,"
                        + " so the server would read it in the session's TimeZone, Europe/Paris,"},
            {"America/New_York", "\\N\t10:00\n", "line 1, column tt (time with time zone): timetz '10:00' gives no"},
        };
        Tool tool = new Tool(backend);
        try (Connection conn = tool.connect()) {
            for (String[] c : cases) {
                loadBothWays(tool, conn, backend, dir, "-c TimeZone=" + c[0], "z timestamptz, tt timetz", c[1], c[2]);
            }
        }
    }

    /**
     * Loads {@code file} into two tables of {@code columns} in a session with the server
     * {@code options}: with the server parsing the text, then with --binary-wire. Both store the
     * same rows; or, where {@code refusal} is not empty, --binary-wire exits 5 with a message
     * containing it and stores nothing.
     */
    private static void loadBothWays(Tool tool, Connection conn, PgBackend backend, Path dir, String options,
            String columns, String file, String refusal) throws IOException {
        String what = options + ": " + file;
        Tool session = tool.withConninfo(TestDatabase.conninfo() + " options='" + options + "'");
        Path path = dir.resolve("session.txt");
        Files.writeString(path, file, StandardCharsets.UTF_8);
        String text = "bw_session_text_" + backend.name();
        String binary = "bw_session_bin_" + backend.name();
        for (String table : List.of(text, binary)) {
            conn.execute("DROP TABLE IF EXISTS " + table);
            conn.execute("CREATE TABLE " + table + " (" + columns + ")");
        }
        Tool.Result textLoad = session.run("load", "--table", text, "--format=text", path.toString());
        assertEquals(0, textLoad.exit(), () -> what + "\n" + textLoad);
        Tool.Result binaryLoad = session.run("load", "--table", binary, "--binary-wire", path.toString());
        if (refusal.isEmpty()) {
            assertEquals(0, binaryLoad.exit(), () -> what + "\n" + binaryLoad);
            assertEquals(Tool.content(conn, text), Tool.content(conn, binary), what);
        } else {
            assertEquals(5, binaryLoad.exit(), () -> what + "\n" + binaryLoad);
            assertTrue(binaryLoad.err().contains(refusal), () -> what + "\n" + binaryLoad);
            assertEquals(0, Tool.count(conn, binary), what);
        }
        conn.execute("DROP TABLE " + text + ", " + binary);
    }

    /** A field the converter refuses names its line and column, and says which way the server would parse it. */
    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aRefusedFieldSaysWhereItIsAndTheOtherWay(PgBackend backend, @TempDir Path dir) throws Exception {
        Tool tool = new Tool(backend);
        String table = "bw_refused_" + backend.name();
        Path file = dir.resolve("refused.txt");
        Files.writeString(file, "1\nabc\n", StandardCharsets.UTF_8);
        try (Connection conn = tool.connect()) {
            conn.execute("DROP TABLE IF EXISTS " + table);
            conn.execute("CREATE TABLE " + table + " (i int)");
            Tool.Result load = tool.run("load", "--table", table, "--binary-wire", file.toString());
            assertEquals(5, load.exit(), load::toString);
            assertTrue(load.err().contains("line 2, column i (integer): invalid input syntax for type integer: \"abc\""
                    + " (--binary-wire reads the spellings PostgreSQL prints; without --binary-wire the server parses"
                    + " the text itself, by its own rules)"), load.err());
            assertEquals(0, Tool.count(conn, table));
            conn.execute("DROP TABLE " + table);
        }
    }
}

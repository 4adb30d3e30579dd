package io.pqbridge.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pqbridge.Connection;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.Backends;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Inputs on which {@code load --binary-wire} was seen to store something else than the server
 * stores from the same bytes, or to refuse what the server stores, and COPY edge cases from
 * PostgreSQL's own regression tests (src/test/regress/sql/copy.sql, copy2.sql) and the input
 * functions: each is loaded by a plain {@code pqbridge load} (the server parses the bytes: the
 * reference) and by {@code --binary-wire} into twin tables, on every backend, and the stored rows
 * (read back as text in load order) must be identical, or both loads refused with nothing stored.
 *
 * <p>Cases marked STRICT must not be refused by --binary-wire when the server stores them (the
 * parser follows copyfromparse.c, the spellings are those the server prints or the README
 * promises); the others may be refused with exit 5 naming the line and the column.
 */
class BinaryWireDivergenceTest {

    /** One input: name, options, column definitions, the file's bytes, and whether a refusal is allowed. */
    record Case(String name, BwTwin.Options options, String columns, byte[] data, boolean refusalAllowed) {
        @Override
        public String toString() {
            return name;
        }

        List<String> columnNames() {
            return Arrays.stream(columns.split(",(?![^(]*\\))")).map(c -> c.strip().split("\\s+")[0]).toList();
        }
    }

    private static final boolean STRICT = false;
    private static final boolean MAY_REFUSE = true;

    private static Case csv(String name, String columns, String data, boolean refusalAllowed) {
        return new Case(name, BwTwin.Options.csv(), columns, BwTwin.utf8(data), refusalAllowed);
    }

    private static Case text(String name, String columns, String data, boolean refusalAllowed) {
        return new Case(name, BwTwin.Options.text(), columns, BwTwin.utf8(data), refusalAllowed);
    }

    private static Case with(String name, BwTwin.Options options, String columns, String data, boolean refusalAllowed) {
        return new Case(name, options, columns, BwTwin.utf8(data), refusalAllowed);
    }

    static List<Case> cases() {
        String name64 = "n".repeat(64);
        String name62e = "n".repeat(62) + "é";   // 64 bytes: truncated at a character boundary to 62
        List<Case> cases = new ArrayList<>(List.of(
                // ---- stored differently (must be identical or both refused)
                text("text a\\. LF: row a, end of data", "a text", "a\\.\n", STRICT),
                text("text a\\. LF b LF: 1 row", "a text", "a\\.\nb\n", STRICT),
                text("text \\.a LF: end-of-copy marker corrupt", "a text", "\\.a\n", STRICT),
                csv("csv \\. alone: end of data, 0 rows", "a text", "\\.\n", STRICT),
                csv("csv x LF \\. LF y: end of data after x", "a text", "x\n\\.\ny\n", STRICT),
                csv("csv a\"b\" is ab", "a text", "a\"b\"\n", STRICT),
                csv("csv a\"b unterminated", "a text", "a\"b\n", STRICT),
                csv("csv a\"b,c\"d: missing data for b", "a text, b text", "a\"b,c\"d\n", STRICT),
                csv("csv 1 CR LF 2 LF: unquoted newline", "a int", "1\r\n2\n", STRICT),
                csv("csv int4[] [0:1]={5,6}", "a int4[]", "\"[0:1]={5,6}\"\n", STRICT),
                csv("csv int4[] [1:3]={5,6} 22P02", "a int4[]", "\"[1:3]={5,6}\"\n", STRICT),
                text("text int4[] [1:3]={5,6} 22P02", "a int4[]", "[1:3]={5,6}\n", STRICT),
                text("text int4[] [0:1]={5,6}", "a int4[]", "[0:1]={5,6}\n", STRICT),
                csv("csv text[] {a, b}", "a text[]", "\"{a, b}\"\n", STRICT),
                text("text text[] {a, b}", "a text[]", "{a, b}\n", STRICT),
                csv("csv text[] {a\\,b}", "a text[]", "\"{a\\,b}\"\n", STRICT),
                // a three-digit month is a day of the year to the server, which the day contradicts
                text("text date[] {2016-006-20} 22007", "a date[]", "{\"2016-006-20\"}\n", STRICT),
                text("text date 2016-006-20 22007", "a date", "2016-006-20\n", STRICT),
                text("text date 2016-0006-20 is June 20", "a date", "2016-0006-20\n", STRICT),
                text("text timestamp 2016-006-20 10:00 22007", "a timestamp", "2016-006-20 10:00\n", STRICT),
                // ---- refused but the server accepts (must be identical)
                text("text CR line ends", "a int", "1\r2\r", STRICT),
                text("name of 64 characters truncated to 63", "a name", name64 + "\n", STRICT),
                csv("csv name of 64 characters", "a name", name64 + "\n", STRICT),
                text("name of 62 + é (64 bytes) truncated at the character", "a name", name62e + "\n", STRICT),
                text("\"char\" ab", "a \"char\"", "ab\n", STRICT),
                text("\"char\" \\\\351 (as PostgreSQL 15 prints it)", "a \"char\"", "\\\\351\n", STRICT),
                csv("csv \"char\" \\351", "a \"char\"", "\\351\n", STRICT),
                text("timestamp .9999999 rounds to midnight", "a timestamp", "2020-01-01 23:59:59.9999999\n", STRICT),
                text("timestamptz .9999999+00 rounds to midnight", "a timestamptz",
                        "2020-01-01 23:59:59.9999999+00\n", STRICT),
                csv("csv timestamp .9999999 rounds to midnight", "a timestamp", "2020-12-31 23:59:59.9999999\n", STRICT),
                // ---- copy2.sql: NULL look-alikes, missing and extra data
                text("copy2 \\N \\\\N \\NN", "a int, b int, c text, d text, e text", "9999\t\\N\t\\\\N\t\\NN\t\\N\n"
                        + "10000\t21\t31\t41\t51\n", STRICT),
                text("copy2 missing data", "a int, b int, c text, d text, e text", "2000\t230\t23\t23\n", STRICT),
                text("copy2 missing data with \\N", "a int, b int, c text, d text, e text", "2001\t231\t\\N\t\\N\n",
                        STRICT),
                text("copy2 extra data", "a int, b int, c text, d text, e text", "2002\t232\t40\t50\t60\t70\t80\n",
                        STRICT),
                text("copy2 empty line for 5 columns", "a int, b int, c text, d text, e text", "\n", STRICT),
                with("copy2 delimiter , null x", BwTwin.Options.text().withDelimiter(',').withNull("x"),
                        "b int, c text, d text, e text", "x,45,80,90\nx,\\x,\\\\x,\\\\\\x\nx,\\,,\\\\\\,,\\\\\n", STRICT),
                with("copy2 delimiter ; null ''", BwTwin.Options.text().withDelimiter(';').withNull(""),
                        "a int, b int, c text, d text, e text", "3000;;c;;\n", STRICT),
                with("copy2 delimiter : null \\X", BwTwin.Options.text().withDelimiter(':').withNull("\\X"),
                        "a int, b int, c text, d text, e text", "4000:\\X:C:\\X:\\X\n"
                                + "4001:1:empty::\n"
                                + "4002:2:null:\\X:\\X\n"
                                + "4003:3:Backslash:\\\\:\\\\\n"
                                + "4004:4:BackslashX:\\\\X:\\\\X\n"
                                + "4005:5:N:\\N:\\N\n"
                                + "4006:6:BackslashN:\\\\N:\\\\N\n"
                                + "4007:7:XX:\\XX:\\XX\n"
                                + "4008:8:Delimiter:\\::\\:\n", STRICT),
                csv("copy2 testnl: two LFs in a quoted field", "a int, b text, c int",
                        "1,\"a field with two LFs\n\ninside\",2\n", STRICT),
                csv("copy2 testeoc: a\\. \\.b c\\.d \"\\.\"", "a text", "a\\.\n\\.b\nc\\.d\n\"\\.\"\n", STRICT),
                with("copy2 testnull: NULL AS \\0", BwTwin.Options.text().withNull("\\0"), "a int, b text",
                        "42\t\\\\0\n\\0\t\\0\n", STRICT),
                text("copy2 check_ign_err: good rows", "n int, m int[], k int", "1\t{1}\t1\n5\t{5}\t5\n", STRICT),
                text("copy2 check_ign_err: int out of range", "n int, m int[], k int", "1\t{1}\t1\n3\t{3}\t3333333333\n",
                        STRICT),
                text("copy2 check_ign_err: {a, 4}", "n int, m int[], k int", "4\t{a, 4}\t4\n", STRICT),
                text("copy2 check_ign_err: a for int", "n int, m int[], k int", "a\t{2}\t2\n", STRICT),
                text("copy2 check_ign_err: 6 a (missing data)", "n int, m int[], k int", "6\ta\n", STRICT),
                text("copy2 copy_default: \\D is D, quoted timestamps", "id int, text_value text, ts_value timestamp",
                        "1\tvalue\t'2022-07-04'\n2\t\\D\t'2022-07-05'\n", MAY_REFUSE),
                csv("copy2 copy_default csv: \\D kept", "id int, text_value text, ts_value timestamp",
                        "1,value,2022-07-04 00:00:00\n2,\\D,2022-07-05 00:00:00\n3,\"\\D\",2022-07-04 00:00:00\n", STRICT),
                csv("copy2 copy_default csv: a date for a timestamp", "id int, text_value text, ts_value timestamp",
                        "1,value,2022-07-04\n", MAY_REFUSE),
                // ---- copy.sql: line ends inside quoted fields, headers
                csv("copy copytest: DOS, Unix, Mac and escaped line ends in quotes", "style text, test text, filler int",
                        "DOS,\"abc\r\ndef\",1\nUnix,\"abc\ndef\",2\nMac,\"abc\rdef\",3\n"
                                + "esc\\ape,\"a\\r\\\r\\\n\\nb\",4\n", STRICT),
                with("copy copytest3: csv header", BwTwin.Options.csv().withHeader(), "c1 int, c2 text, c3 int",
                        "this is just a line full of junk that would error out if parsed\n1,a,1\n2,b,2\n", STRICT),
                with("copy copytest4: text header", BwTwin.Options.text().withHeader(), "c1 int, c2 text",
                        "this is just a line full of junk that would error out if parsed\n1\ta\n2\tb\n", STRICT),
                text("copy parted_copytest rows", "a int, b int, c text", "1\t1\tstr1\n2\t2\tstr2\n", STRICT),
                // ---- more of the server's rules
                text("text \\351 makes invalid UTF-8 (text)", "a text", "\\351\n", STRICT),
                text("text \\351 makes invalid UTF-8 (bytea too: checked before the input function)", "a bytea",
                        "\\351\n", STRICT),
                text("text \\xc3\\xa9 is é", "a text", "\\xc3\\xa9\n", STRICT),
                text("text \\0 is a NUL byte: refused", "a text", "a\\0b\n", STRICT),
                text("text \\x without digits is x; \\400 wraps", "a text, b text", "\\x\\xg\t\\101\\1010\n", STRICT),
                text("text end marker with CR LF lines", "a int", "1\r\n2\r\n\\.\r\n3\r\n", STRICT),
                text("text end marker without newline at EOF", "a int", "1\n\\.", STRICT),
                text("text last line without newline", "a int, b text", "1\tx\n2\ty", STRICT),
                text("text lone backslash at the end", "a text", "a\\\n", STRICT),
                text("text bytea \\\\x escapes", "a bytea", "\\\\x41ff\n\\\\\\\\001\n", STRICT),
                csv("csv bytea hex", "a bytea", "\\x41FF\n\\x\n", STRICT),
                csv("csv quoted NULL string is not NULL", "a text, b text", "\"\",\n", STRICT),
                with("csv NULL x: \"x\" is the string", BwTwin.Options.csv().withNull("x"), "a text, b text", "x,\"x\"\n",
                        STRICT),
                csv("csv spaces around quotes", "a text", " \"a\" \n", STRICT),
                csv("csv quote after field start", "a text, b text", "ab\"c,d\"e,f\n", STRICT),
                csv("csv CR only line ends", "a int", "1\r2\r", STRICT),
                csv("csv CR LF line ends", "a int, b text", "1,x\r\n2,y\r\n", STRICT),
                csv("csv empty line is one NULL", "a text", "x\n\ny\n", STRICT),
                csv("csv empty line for 2 columns", "a text, b text", "x,y\n\n", STRICT),
                csv("csv \\. after a CR LF line", "a int", "1\r\n\\.\r\n", STRICT),
                csv("csv \"\\.\" quoted is data", "a text", "\"\\.\"\n", STRICT),
                csv("csv \\. with other columns", "a text, b text", "\\.,x\n", STRICT),
                csv("csv unicode", "a text, b varchar(3)", "é✓😀,é✓😀\n", STRICT),
                csv("csv varchar(3) trailing spaces cut", "a varchar(3)", "abc   \n", STRICT),
                csv("csv varchar(3) too long", "a varchar(3)", "abcd\n", STRICT),
                csv("csv char(3) pads and cuts spaces", "a char(3)", "a\nabc  \n", STRICT),
                csv("csv bool of is false", "a bool", "of\n", STRICT),
                csv("csv bool spellings", "a bool", " yes \nON\nt\n0\nfals\n", STRICT),
                csv("csv bool o is ambiguous", "a bool", "o\n", STRICT),
                csv("csv int spaces and signs", "a int2, b int8", " +42 , -0\n", STRICT),
                csv("csv int4 overflow", "a int4", "2147483648\n", STRICT),
                csv("csv int with underscores (PostgreSQL 16 reads them, 15 not)", "a int4", "1_000\n", STRICT),
                csv("csv float spellings", "a float8, b float4", "  1e3 ,-Infinity\nnan,  .5\n", STRICT),
                csv("csv float8 underflow refused", "a float8", "1e-400\n", STRICT),
                csv("csv float4 overflow refused", "a float4", "3.5e38\n", STRICT),
                csv("csv float8 denormal", "a float8", "4.9e-324\n", STRICT),
                csv("csv numeric spellings (README: numeric need not read every spelling)", "a numeric, b numeric(10,2)",
                        "  1.50e1 ,1.005\n.5,-0.001\nNaN,5.\n", MAY_REFUSE),
                csv("csv numeric(10,2) rounding", "a numeric(10,2)", "1.005\n-0.001\n5.\n99999999.994\n", STRICT),
                csv("csv numeric(10,2) overflow", "a numeric(10,2)", "123456789.995\n", STRICT),
                csv("csv numeric Infinity", "a numeric", "Infinity\n-Infinity\n", STRICT),
                csv("csv date spellings printed", "a date", "2024-02-29\n4713-01-01 BC\ninfinity\n", STRICT),
                csv("csv date out of range", "a date", "2024-02-30\n", STRICT),
                csv("csv date other spellings", "a date", "January 8, 1999\n19990108\nJ2451187\nepoch\n", MAY_REFUSE),
                csv("csv timestamp with an offset ignores it", "a timestamp", "2020-01-01 10:00:00+05\n", MAY_REFUSE),
                csv("csv timestamp T separator", "a timestamp", "2020-01-01T10:00:00\n", MAY_REFUSE),
                csv("csv time 24:00:00", "a time", "24:00:00\n", STRICT),
                csv("csv time 23:59:59.9999995 rounds to 24:00:00", "a time", "23:59:59.9999995\n", STRICT),
                csv("csv time 24:00:00.1 refused", "a time", "24:00:00.1\n", STRICT),
                csv("csv timetz offsets", "a timetz", "12:00:00+05:30\n00:00:00-15:59\n", STRICT),
                csv("csv interval printed", "a interval", "1 year 2 mons 3 days 04:05:06.789\n\"-1 days +01:00:00\"\n",
                        STRICT),
                csv("csv interval ISO and fraction rounding", "a interval", "P1Y2M3DT4H5M6S\n00:00:00.0000005\n",
                        MAY_REFUSE),
                csv("csv uuid spellings", "a uuid", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}\n"
                        + "a0eebc999c0b4ef8bb6d6bb9bd380a11\na0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11\n", MAY_REFUSE),
                csv("csv json keeps spaces, jsonb normalises", "a json, b jsonb",
                        "\"{ \"\"a\"\" : 1 ,\"\"a\"\":2}\",\"{ \"\"a\"\" : 1 ,\"\"a\"\":2}\"\n", STRICT),
                csv("csv json \\u0000 (json takes it, jsonb refuses)", "a json", "\"{\"\"a\"\":\"\"\\u0000\"\"}\"\n",
                        STRICT),
                csv("csv jsonb \\u0000 refused", "a jsonb", "\"{\"\"a\"\":\"\"\\u0000\"\"}\"\n", STRICT),
                csv("csv jsonb big number", "a jsonb", "1e1000\n", STRICT),
                csv("csv int8[][] nesting", "a int8[]", "\"{{1,2},{3,4}}\"\n\"{ { 1 } , { 2 } }\"\n", STRICT),
                csv("csv int4[] ragged refused", "a int4[]", "\"{{1},{2,3}}\"\n", STRICT),
                csv("csv text[] quoting and NULLs", "a text[]", "\"{\"\"a\\\"\"b\"\",NULL,\"\"NULL\"\",\"\"\"\", x }\"\n",
                        STRICT),
                csv("csv float8[] and date[]", "a float8[], b date[]", "\"{1e3, NaN,-inf}\",\"{2024-01-01, infinity}\"\n",
                        STRICT),
                csv("csv array with a dimension decoration and spaces", "a int4[]", "\"[1:2] = {1,2}\"\n", STRICT),
                csv("csv empty array with bounds", "a int4[]", "\"[1:0]={}\"\n", STRICT),
                // ---- found by BinaryWireDifferentialFuzzTest (shrunk), kept as regression cases
                text("fuzz: interval 2:61:09 out of range", "a interval", "2:61:09\n", STRICT),
                text("fuzz: interval empty string", "a interval, b text", "\tx\n", STRICT),
                csv("fuzz: interval two times", "a interval", "1 day 0:00:01 0:00:01\n", STRICT),
                csv("fuzz: date 0000-01-01 out of range", "a date", "0000-01-01\n", STRICT),
                csv("fuzz: timestamptz offset +16 out of range", "a timestamptz", "2024-01-01 00:00:00+16\n", STRICT),
                csv("fuzz: timestamptz offset -303 is -03:03", "a timestamptz", "2024-01-01 10:00:00-303\n", MAY_REFUSE),
                csv("fuzz: uuid with an opening brace only", "a uuid", "{a0eebc999c0b4ef8bb6d6bb9bd380a11\n", STRICT),
                csv("fuzz: bytea \\400 is not an octal escape", "a bytea", "\\400\n", STRICT),
                new Case("fuzz: bytea raw byte 0xFF in a text file", BwTwin.Options.text(), "a bytea",
                        new byte[] {(byte) 0xFF, '\n'}, STRICT),
                new Case("fuzz: text header line with invalid UTF-8", BwTwin.Options.text().withHeader(), "a int",
                        new byte[] {(byte) 0xFF, '\n', '1', '\n'}, STRICT),
                new Case("fuzz: csv invalid UTF-8 after the end marker", BwTwin.Options.csv(), "a int",
                        new byte[] {'1', '\n', '\\', '.', '\n', (byte) 0xFF, '\n'}, STRICT),
                text("fuzz: text CR LF then CR", "a text", "a\r\nb\r", STRICT),
                csv("fuzz: \"char\" empty string", "a \"char\", b text", "\"\",x\n", STRICT),
                text("fuzz: \"char\" empty field", "a \"char\", b text", "\tx\n", STRICT),
                csv("fuzz: jsonb[] {null} is a NULL element", "a jsonb[]", "\"{null}\"\n", STRICT),
                csv("fuzz: bytea[] {\\x01}: the array unescapes \\x to x", "a bytea[]", "\"{\\x01}\"\n", STRICT),
                text("fuzz: bytea[] {\\\\x01} in text format", "a bytea[]", "{\\\\x01}\n", STRICT),
                csv("fuzz: text[] {\\b} is {b}", "a text[]", "{\\b}\n", STRICT),
                csv("fuzz: text[] {\\} is malformed", "a text[]", "{\\}\n", STRICT),
                csv("fuzz: int4[] [={} is malformed", "a int4[]", "[={}\n", STRICT),
                csv("fuzz: time with seven fraction digits rounds as the server's double does", "a time, b timestamp",
                        "05:16:51.2599945,2024-01-01 05:16:51.2599945\n00:00:00.0000005,2024-01-01 00:00:00.0000015\n"
                        + "00:00:00.12345649999999999999,2024-01-01 00:00:00.1234565000000000001\n", STRICT),
                text("fuzz: text \\N\\ ending the input is NULL", "a int, b text", "1\t\\N\\", STRICT),
                with("fuzz: text empty NULL string, a lone backslash ending the input", BwTwin.Options.text()
                        .withDelimiter(';').withNull(""), "a int, b text", "1;\\", STRICT),
                text("fuzz: text a backslash ending the input is dropped", "a int, b text", "1\tab\\", STRICT),
                csv("fuzz: bool[] [0:0]={t} keeps its bound", "a bool[]", "[0:0]={t}\n", STRICT),
                csv("fuzz: timestamp whose first word is no day name", "a timestamp", "o Jan 8 22:48:22 8\n", STRICT),
                csv("fuzz: timestamp Mo is no day name", "a timestamp", "Mo Jan 18 22:48:22.48035 2038\n", STRICT),
                csv("fuzz: int4[] malformed field longer than 256 bytes", "a int4[]",
                        "\"{" + "1,".repeat(140) + "}\"\n", STRICT),
                new Case("fuzz: interval[] malformed 263-byte line (StringIndexOutOfBoundsException in ArrayCodec)",
                        BwTwin.Options.text().withDelimiter(','), "a interval[], b text",
                        concat(BwTwin.utf8("\"\\,-2:55:37.54\"26 d 68 day -66 mx6Es 83 inute -07:15:18.51022\"}days\"\\,-2:55:37.54\\,\"26 d 68 day -66 mons 83 minute -07:15:18.51022\"}s\"\\,-2:55:37.5x2c\"26 d 68 day -6 mons 83 minute -07:15:18.651022\"}days\"\\,-2:55:37.54\"26 d 68 dx79 -66 mons 83 minute -07:15:18.5"), new byte[] {(byte) 0xE1, (byte) 0x83, '\n'}), STRICT)));
        return cases;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static Stream<Arguments> all() {
        List<Case> cases = cases();
        return Backends.crossed(java.util.stream.IntStream.range(0, cases.size()).mapToObj(i -> Arguments.of(i,
                cases.get(i))));
    }

    @ParameterizedTest(name = "[{0}] {2}")
    @MethodSource("all")
    void binaryWireStoresWhatTheServerStores(PgBackend backend, int index, Case c) {
        Tool tool = new Tool(backend);
        String plain = "bwd_" + index + "_" + backend.name() + "_plain";
        String binary = "bwd_" + index + "_" + backend.name() + "_bin";
        String columnList = String.join(",", c.columnNames());
        try (Connection conn = tool.connect()) {
            BwTwin.createTable(conn, plain, c.columns());
            BwTwin.createTable(conn, binary, c.columns());
            BwTwin.Outcome reference = BwTwin.toolLoad(tool, conn, plain, columnList, c.options(), c.data(), false);
            assertTrue(reference.exit() == 0 || reference.exit() == 5,
                    () -> "the plain load itself failed oddly, the case is wrong: " + reference.describe());
            BwTwin.Outcome bw = BwTwin.toolLoad(tool, conn, binary, columnList, c.options(), c.data(), true);
            String problem = BwTwin.judge(reference, bw, c.columnNames(), c.refusalAllowed());
            System.out.println("[" + backend.name() + "] " + c.name() + " | " + c.options() + " | columns (" + c.columns()
                    + ") | input \"" + BwTwin.escape(c.data()) + "\"\n    server:        " + reference.describe()
                    + "\n    --binary-wire: " + bw.describe() + (problem == null ? "\n    OK" : "\n    FINDING"));
            conn.execute("DROP TABLE " + plain + ", " + binary);
            if (problem != null) {
                fail(c.name() + " (" + c.options() + ", columns " + c.columns() + ", input \"" + BwTwin.escape(c.data())
                        + "\"): " + problem);
            }
        }
    }
}

package io.pqbridge.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.Connection;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.Backends;
import java.nio.charset.Charset;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Files in other encodings than UTF-8: {@code --encoding} (or client_encoding in --dsn) for load
 * and unload, plain and --binary-wire, a single-byte and a multi-byte encoding, on every backend.
 * What is stored must be what psql with that client encoding stores: the text decoded.
 */
class EncodingTest {

    private static final String TEXT = "café,Ærø\n日本語,ｶﾀｶﾅ\n";
    private static final String LATIN1_TEXT = "café,Ærø\nnaïve,¡olé!\n";

    static Stream<Arguments> cases() {
        return Backends.crossed(Stream.of(
                Arguments.of("LATIN1", "ISO-8859-1", LATIN1_TEXT, false),
                Arguments.of("LATIN1", "ISO-8859-1", LATIN1_TEXT, true),
                Arguments.of("EUC_JP", "EUC-JP", TEXT, false),
                Arguments.of("EUC_JP", "EUC-JP", TEXT, true)));
    }

    @ParameterizedTest(name = "{0}: {1}, binary wire {4}")
    @MethodSource("cases")
    void aFileInAnotherEncodingLoadsAndUnloadsAsPsqlWould(PgBackend backend, String encoding, String charset,
            String text, boolean binaryWire) {
        Tool tool = new Tool(backend);
        String table = "enc_" + encoding.toLowerCase() + "_" + backend.name() + (binaryWire ? "_bw" : "");
        byte[] file = text.getBytes(Charset.forName(charset));
        try (Connection conn = tool.connect()) {
            conn.execute("DROP TABLE IF EXISTS " + table);
            conn.execute("CREATE TABLE " + table + " (a text, b varchar(10))");
            Tool.Result load = binaryWire
                    ? tool.runWithInput(file, "load", "--table", table, "--format", "csv", "--encoding", encoding,
                            "--binary-wire", "-")
                    : tool.runWithInput(file, "load", "--table", table, "--format", "csv", "--encoding", encoding, "-");
            assertEquals(0, load.exit(), load.toString());
            StringBuilder stored = new StringBuilder();
            conn.execute("SELECT a, b FROM " + table + " ORDER BY a COLLATE \"C\"").forEach(row -> stored
                    .append(row.getString(0)).append(',').append(row.getString(1)).append('\n'));
            assertEquals(sorted(text), stored.toString(), "the decoded text is stored");

            Tool.Result unload = tool.run("unload", "--query", "SELECT a, b FROM " + table + " ORDER BY a COLLATE \"C\"",
                    "--format", "csv", "--encoding", encoding, "-");
            assertEquals(0, unload.exit(), unload.toString());
            assertArrayEquals(sorted(text).getBytes(Charset.forName(charset)), unload.out(),
                    "the unloaded file is in the file's encoding");
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void badBytesForTheEncodingLoadNothingEitherWay(PgBackend backend) {
        Tool tool = new Tool(backend);
        String table = "enc_bad_" + backend.name();
        byte[] notEucJp = {'a', ',', (byte) 0xA4, '\n'};
        try (Connection conn = tool.connect()) {
            conn.execute("DROP TABLE IF EXISTS " + table);
            conn.execute("CREATE TABLE " + table + " (a text, b text)");
            for (boolean binaryWire : new boolean[] {false, true}) {
                Tool.Result load = binaryWire
                        ? tool.runWithInput(notEucJp, "load", "--table", table, "--format", "csv", "--encoding", "EUC_JP",
                                "--binary-wire", "-")
                        : tool.runWithInput(notEucJp, "load", "--table", table, "--format", "csv", "--encoding",
                                "EUC_JP", "-");
                assertTrue(load.exit() != 0, load.toString());
                assertEquals(0, Tool.count(conn, table));
            }
            Tool.Result unknown = tool.runWithInput(notEucJp, "load", "--table", table, "--encoding", "KLINGON", "-");
            assertEquals(ExitStatus.USAGE.code, unknown.exit(), unknown.toString());
            assertTrue(unknown.err().contains("unknown encoding 'KLINGON'"), unknown.err());
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void clientEncodingInTheDsnIsTheFilesEncodingAsInPsql(PgBackend backend) {
        Tool tool = new Tool(backend);
        String table = "enc_dsn_" + backend.name();
        try (Connection conn = tool.connect()) {
            conn.execute("DROP TABLE IF EXISTS " + table);
            conn.execute("CREATE TABLE " + table + " (a text, b text)");
            for (boolean binaryWire : new boolean[] {false, true}) {
                java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("load", "--dsn",
                        io.pqbridge.test.TestDatabase.conninfo() + " client_encoding=LATIN1", "--impl", backend.name(),
                        "--table", table, "--format", "csv"));
                if (binaryWire) {
                    args.add("--binary-wire");
                }
                args.add("-");
                Tool.Result load = Tool.runRaw(new java.io.ByteArrayInputStream(
                        LATIN1_TEXT.getBytes(Charset.forName("ISO-8859-1"))), args.toArray(String[]::new));
                assertEquals(0, load.exit(), load.toString());
            }
            assertEquals(4, Tool.count(conn, table));
            assertEquals(2, conn.execute("SELECT count(*) FROM " + table + " WHERE a = 'café'").fetchOne().getLong(0));
        }
    }

    private static String sorted(String text) {
        return String.join("\n", text.lines().sorted((x, y) -> compareUtf8(x, y)).toList()) + "\n";
    }

    /** COLLATE "C" orders by the bytes of the server's encoding (UTF-8). */
    private static int compareUtf8(String x, String y) {
        return java.util.Arrays.compareUnsigned(x.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                y.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}

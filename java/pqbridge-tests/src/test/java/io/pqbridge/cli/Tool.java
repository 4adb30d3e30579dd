package io.pqbridge.cli;

import io.pqbridge.Connection;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the real tool ({@link Main#run}) in this JVM against the test server, on one backend, with
 * captured standard streams; and the queries the tests compare tables with.
 */
final class Tool {

    /** How a run ended: exit status, standard output's bytes, standard error's text. */
    record Result(int exit, byte[] out, String err) {
        String outText() {
            return new String(out, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit " + exit + ", stderr:\n" + err;
        }
    }

    private final PgBackend backend;
    private final String conninfo;

    Tool(PgBackend backend) {
        this(backend, TestDatabase.conninfo());
    }

    private Tool(PgBackend backend, String conninfo) {
        this.backend = backend;
        this.conninfo = conninfo;
    }

    /** The same tool with another {@code --dsn} (the test server's with session options, say). */
    Tool withConninfo(String conninfo) {
        return new Tool(backend, conninfo);
    }

    /** {@code pqbridge <command> --dsn <conninfo> --impl <backend> <args>}, standard input empty. */
    Result run(String command, String... args) {
        return runWithInput(new byte[0], command, args);
    }

    /** The same with {@code stdin} as standard input (for FILE {@code -}). */
    Result runWithInput(byte[] stdin, String command, String... args) {
        List<String> all = new ArrayList<>(List.of(command, "--dsn", conninfo, "--impl", backend.name()));
        all.addAll(List.of(args));
        return runRaw(new ByteArrayInputStream(stdin), all.toArray(String[]::new));
    }

    /** The tool with exactly these arguments, standard error not a terminal. */
    static Result runRaw(InputStream stdin, String... args) {
        return runRaw(stdin, false, args);
    }

    /** The tool with exactly these arguments, standard error a terminal or not. */
    static Result runRaw(InputStream stdin, boolean errIsTerminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        int exit = Main.run(new Invocation(stdin, out, errStream, errIsTerminal), args);
        return new Result(exit, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    Connection connect() {
        Connection conn = Connection.connect(backend, TestDatabase.conninfo());
        conn.setAutocommit(true);
        return conn;
    }

    /**
     * Every row of {@code table} as text (all its columns: a qualified star, which no column name
     * can shadow), sorted, one line each: a table's content, exactly.
     */
    static String content(Connection conn, String table) {
        StringBuilder text = new StringBuilder();
        conn.execute("SELECT ROW(tbl.*)::text FROM " + table + " tbl ORDER BY 1").forEach(row -> text.append(row.getString(0))
                .append('\n'));
        return text.toString();
    }

    static long count(Connection conn, String table) {
        return conn.execute("SELECT count(*) FROM " + table).fetchOne().getLong(0);
    }
}

package io.pqbridge.cli;

import io.pqbridge.Connection;
import io.pqbridge.errors.PqException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The differential check of {@code load --binary-wire} shared by BinaryWireDivergenceTest and
 * BinaryWireDifferentialFuzzTest: the same bytes loaded by the server's own COPY (the reference)
 * and by {@code --binary-wire} into twin tables {@code (rn bigserial, <columns>)}, the rows read
 * back as text in load order, and the two outcomes judged by the README's promise.
 */
final class BwTwin {

    private BwTwin() {
    }

    /** The load options common to both sides: format, header, delimiter (null: default), NULL string (null: default). */
    record Options(String format, boolean header, Character delimiter, String nullString) {
        static Options csv() {
            return new Options("csv", false, null, null);
        }

        static Options text() {
            return new Options("text", false, null, null);
        }

        Options withDelimiter(char c) {
            return new Options(format, header, c, nullString);
        }

        Options withNull(String s) {
            return new Options(format, header, delimiter, s);
        }

        Options withHeader() {
            return new Options(format, true, delimiter, nullString);
        }

        CopyFormat copyFormat() {
            return format.equals("csv") ? CopyFormat.CSV : CopyFormat.TEXT;
        }

        /** The tool's options for these. */
        List<String> toolArgs() {
            List<String> args = new ArrayList<>(List.of("--format", format));
            if (header) {
                args.add("--header");
            }
            if (delimiter != null) {
                args.add("--delimiter");
                args.add(String.valueOf(delimiter));
            }
            if (nullString != null) {
                args.add("--null");
                args.add(nullString);
            }
            return args;
        }

        @Override
        public String toString() {
            return String.join(" ", toolArgs().stream().map(a -> a.isEmpty() || a.contains(" ") || a.contains("\\")
                    || a.contains("|") || a.contains(";") ? "'" + a + "'" : a).toList());
        }
    }

    /**
     * How one load ended: the exit status (0 stored, else refused), the message (the tool's
     * standard error, or the server's error), the rows stored (each row as {@code ROW(cols)::text},
     * in load order; empty when refused).
     */
    record Outcome(int exit, String message, List<String> rows) {
        boolean stored() {
            return exit == 0;
        }

        String describe() {
            if (exit == 0) {
                return "stored " + rows.size() + " row(s): " + rows;
            }
            return "refused (exit " + exit + "): " + firstLines(message, 4)
                    + (rows.isEmpty() ? "" : "\n  BUT THE TABLE HOLDS " + rows);
        }
    }

    static String firstLines(String text, int n) {
        String[] lines = text.strip().split("\n");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(n, lines.length); i++) {
            b.append(i == 0 ? "" : " | ").append(lines[i].strip());
        }
        return b.toString();
    }

    /** Creates (again) the twin table {@code name}: {@code (rn bigserial, <columnDefs>)}. */
    static void createTable(Connection conn, String name, String columnDefs) {
        conn.execute("DROP TABLE IF EXISTS " + name);
        conn.execute("CREATE TABLE " + name + " (rn bigserial, " + columnDefs + ")");
    }

    /** The rows of a twin table in load order, each as {@code ROW(cols)::text}; see {@link #unprintable}. */
    static List<String> rows(Connection conn, String table, String columnList) {
        List<String> rows = new ArrayList<>();
        try {
            conn.execute("SELECT ROW(" + columnList + ")::text FROM " + table + " ORDER BY rn")
                    .forEach(r -> rows.add(r.getString(0)));
        } catch (PqException e) {
            return unprintable(e);
        }
        return rows;
    }

    /**
     * What stands for the rows when the server cannot print them (a value out of its range,
     * stored in binary): one line saying so, which no load through the server produces, so the
     * comparison reports it.
     */
    private static List<String> unprintable(PqException e) {
        return List.of("stored values the server cannot print: " + e.getMessage());
    }

    /** The rows of a twin table in load order, as {@link #rows}, deleted (one round trip). */
    static List<String> takeRows(Connection conn, String table, String columnList) {
        List<Object[]> taken = new ArrayList<>();
        try {
            conn.execute("DELETE FROM " + table + " RETURNING rn, ROW(" + columnList + ")::text")
                    .forEach(r -> taken.add(new Object[] {r.getLong(0), r.getString(1)}));
        } catch (PqException e) {
            conn.execute("DELETE FROM " + table);
            return unprintable(e);
        }
        taken.sort((a, b) -> Long.compare((Long) a[0], (Long) b[0]));
        return taken.stream().map(a -> (String) a[1]).toList();
    }

    /** Loads {@code data} with the tool (FILE {@code -}); the table is emptied first. */
    static Outcome toolLoad(Tool tool, Connection conn, String table, String columnList, Options options,
            byte[] data, boolean binaryWire) {
        conn.execute("DELETE FROM " + table);
        List<String> args = new ArrayList<>(List.of("--table", table, "--columns", columnList.replace(" ", "")));
        args.addAll(options.toolArgs());
        if (binaryWire) {
            args.add("--binary-wire");
        }
        args.add("-");
        Tool.Result r = tool.runWithInput(data, "load", args.toArray(String[]::new));
        return new Outcome(r.exit(), r.err(), rows(conn, table, columnList));
    }

    /**
     * The server's own COPY of {@code data} with the statement a plain {@code pqbridge load}
     * sends (the reference), on {@code conn} (autocommit): what is stored, or the error.
     */
    static Outcome serverLoad(Connection conn, String table, String columnList, Options options, byte[] data) {
        String sql = "COPY " + table + " (" + columnList + ") FROM STDIN"
                + options.copyFormat().options(options.header(), options.delimiter(), options.nullString(), null);
        try {
            conn.cursor().copy(sql, copy -> copy.write(data, 0, data.length));
        } catch (PqException e) {
            if (e.sqlstate() == null) {
                throw e;
            }
            return new Outcome(e.sqlstate().startsWith("22") || e.sqlstate().startsWith("23") ? 5 : 4,
                    e.sqlstate() + " " + e.getMessage(), List.of());
        }
        return new Outcome(0, "", takeRows(conn, table, columnList));
    }

    private static final Pattern LINE = Pattern.compile("line \\d+");

    /**
     * Judges a pair of outcomes by the README: null when allowed, else what is wrong. Allowed:
     * the same rows; both refused (and --binary-wire stored nothing); and, only when
     * {@code refusalAllowed}, --binary-wire refused with exit 5 naming the line and the column
     * where the server stored the rows. Never allowed: exit 1 (a bug in pqbridge).
     */
    static String judge(Outcome reference, Outcome binary, List<String> columnNames, boolean refusalAllowed) {
        if (binary.exit() == 1) {
            return "INTERNAL ERROR (exit 1) in --binary-wire; server " + reference.describe() + "; --binary-wire "
                    + binary.describe();
        }
        if (!binary.stored() && !binary.rows().isEmpty()) {
            return "--binary-wire failed but STORED ROWS: " + binary.describe();
        }
        if (reference.stored()) {
            if (binary.stored()) {
                return reference.rows().equals(binary.rows()) ? null
                        : "STORED DIFFERENTLY: server " + reference.describe() + "; --binary-wire " + binary.describe();
            }
            if (!refusalAllowed) {
                return "REFUSED what the server stores: server " + reference.describe() + "; --binary-wire "
                        + binary.describe();
            }
            String message = binary.message();
            boolean namesColumn = columnNames.stream().anyMatch(c -> message.contains("column " + c));
            if (binary.exit() != 5 || !LINE.matcher(message).find() || !namesColumn) {
                return "REFUSED without exit 5 naming line and column: server " + reference.describe()
                        + "; --binary-wire " + binary.describe();
            }
            return null;
        }
        if (binary.stored()) {
            return "STORED WHERE THE SERVER REFUSES: server " + reference.describe() + "; --binary-wire "
                    + binary.describe();
        }
        return null;
    }

    /** Bytes as a Java string literal body: printable ASCII as is, the rest escaped. */
    static String escape(byte[] data) {
        StringBuilder b = new StringBuilder();
        for (byte x : data) {
            int c = x & 0xFF;
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                default -> {
                    if (c >= 0x20 && c < 0x7F) {
                        b.append((char) c);
                    } else {
                        b.append(String.format("\\x%02X", c));
                    }
                }
            }
        }
        return b.toString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

package io.pqbridge.cli;

import io.pqbridge.Connection;
import io.pqbridge.Row;
import io.pqbridge.adapt.BinaryRowTranscoder;
import io.pqbridge.adapt.PgTypes;
import java.util.ArrayList;
import java.util.List;

/**
 * The table a COPY reads or writes, and the columns it lists.
 *
 * <p>{@code --table} is SQL's qualified name: names separated by dots, each double-quoted (a
 * doubled quote inside is one quote) or plain (letters, digits, {@code _} and {@code $}, folded to
 * lower case as the server folds them). Each name goes into the COPY statement quoted again here,
 * so the user's text never becomes SQL; the server resolves it there by its own rules
 * (search_path, schema qualification) and refuses a missing table in its own words, with no
 * catalog query of the tool's own before the COPY: a small load costs one statement, as psql's
 * does. {@code --columns} names are SQL identifiers too.
 *
 * <p>For {@code --binary-wire} the column types come from the catalog ({@code pg_attribute}, which
 * any user may read; COPY FROM needs only INSERT). A domain converts as its base type, which is
 * what its binary input reads; an enum as text, its label being its binary form.
 */
final class TableTarget {

    /** One column of the COPY: its name, its type as the catalog prints it, the OID its values convert as (0 when none). */
    record TargetColumn(String name, String typeName, int conversionOid) {
    }

    private final String display;
    private final String table;
    private final List<String> columns;

    private TableTarget(String display, String table, List<String> columns) {
        this.display = display;
        this.table = table;
        this.columns = columns;
    }

    /** Parses {@code --table} and {@code --columns} (null: all columns); a malformed name is a usage error. */
    static TableTarget of(String table, List<String> columns) {
        List<String> names = new ArrayList<>();
        if (columns != null) {
            for (String column : columns) {
                names.add(identifierName(column.strip(), "--columns"));
            }
        }
        return new TableTarget(table.strip(), qualifiedName(table), names);
    }

    /** The table as SQL text: each name quoted. */
    String table() {
        return table;
    }

    /** The table as the user named it, for messages. */
    String display() {
        return display;
    }

    /** The column list of the COPY statement: empty (all columns) or {@code " (a, b)"}. */
    String columnList() {
        if (columns.isEmpty()) {
            return "";
        }
        List<String> quoted = new ArrayList<>();
        for (String column : columns) {
            quoted.add(CopyFormat.identifier(column));
        }
        return " (" + String.join(", ", quoted) + ")";
    }

    /**
     * The columns the COPY fills, in order, with their types: those named by --columns, else every
     * column COPY fills by default (not dropped, not generated). Names the table does not have
     * fail as the server would say it.
     */
    List<TargetColumn> columnTypes(Connection conn) {
        List<TargetColumn> all = new ArrayList<>();
        for (Row row : conn.execute("SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), a.atttypid::int8,"
                + " t.typtype::text, t.typbasetype::int8 FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
                + " WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''"
                + " ORDER BY a.attnum", table).fetchAll()) {
            all.add(new TargetColumn(row.getString(0), row.getString(1),
                    conversionOid(conn, row.getLong(2), row.getString(3), row.getLong(4))));
        }
        if (columns.isEmpty()) {
            return all;
        }
        List<TargetColumn> chosen = new ArrayList<>();
        for (String name : columns) {
            TargetColumn found = all.stream().filter(c -> c.name().equals(name)).findFirst()
                    .orElseThrow(() -> ToolException.notFound("column \"" + name + "\" of relation " + table
                            + " does not exist (or is a generated column, which COPY cannot fill)"));
            chosen.add(found);
        }
        return chosen;
    }

    /** The OID a column's text converts as for binary COPY, 0 when pqbridge has no conversion for it. */
    private static int conversionOid(Connection conn, long oid, String typtype, long basetype) {
        for (int depth = 0; typtype.equals("d") && depth < 32; depth++) {
            oid = basetype;
            Row base = conn.execute("SELECT typtype::text, typbasetype::int8 FROM pg_type WHERE oid = %s", oid).fetchOne();
            typtype = base.getString(0);
            basetype = base.getLong(1);
        }
        if (typtype.equals("e")) {
            return PgTypes.TEXT;
        }
        return BinaryRowTranscoder.supports((int) oid) ? (int) oid : 0;
    }

    /**
     * A qualified name ({@code table}, {@code schema.table}, {@code db.schema.table}) as SQL text,
     * each of its names quoted.
     */
    static String qualifiedName(String text) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;   // a doubled quote inside quotes closes and reopens: the same
            }
            if (c == '.' && !quoted) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        if (parts.size() > 3) {
            throw ToolException.usage("--table: '" + text + "' has more than three dot-separated names");
        }
        StringBuilder sql = new StringBuilder();
        for (String name : parts) {
            sql.append(sql.length() == 0 ? "" : ".").append(CopyFormat.identifier(identifierName(name.strip(), "--table")));
        }
        return sql.toString();
    }

    /**
     * The catalog name of a SQL identifier: the text between double quotes (a doubled quote is
     * one), otherwise the text folded to lower case as the server folds unquoted names (which may
     * hold letters, digits, {@code _} and {@code $}, and not start with a digit or {@code $}).
     *
     * @param option the option the identifier comes from, for the message
     */
    static String identifierName(String identifier, String option) {
        if (identifier.length() >= 2 && identifier.startsWith("\"") && identifier.endsWith("\"")) {
            String inner = identifier.substring(1, identifier.length() - 1);
            if (inner.replace("\"\"", "").contains("\"") || inner.isEmpty()) {
                throw ToolException.usage(option + ": bad quoted name " + identifier);
            }
            return inner.replace("\"\"", "\"");
        }
        if (!plainIdentifier(identifier)) {
            throw ToolException.usage(option + ": '" + identifier + "' is not a name"
                    + (identifier.isEmpty() ? "" : "; if it is one, double-quote it: \"" + identifier.replace("\"", "\"\"")
                    + "\""));
        }
        StringBuilder folded = new StringBuilder(identifier.length());
        for (char c : identifier.toCharArray()) {
            folded.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);   // ASCII only, as the server
        }
        return folded.toString();
    }

    /** The server's unquoted identifier: a letter, {@code _} or non-ASCII character, then also digits and {@code $}. */
    private static boolean plainIdentifier(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
            if (!letter && !(i > 0 && ((c >= '0' && c <= '9') || c == '$'))) {
                return false;
            }
        }
        return true;
    }
}

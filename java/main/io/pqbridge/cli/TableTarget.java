package io.pqbridge.cli;

import io.pqbridge.Connection;
import io.pqbridge.Row;
import io.pqbridge.adapt.BinaryRowTranscoder;
import io.pqbridge.adapt.PgTypes;
import java.util.ArrayList;
import java.util.List;

/**
 * The table a load writes into, as the server names it, and the columns its COPY lists.
 *
 * <p>{@code --table} is read by the server's own rules ({@code to_regclass}: search_path, case
 * folding, quotes, schema qualification), and the name goes back into the COPY statement in the
 * server's quoted spelling: the user's text never becomes SQL. A table that does not exist is
 * reported in the server's words. {@code --columns} names are SQL identifiers too (folded to lower case unless double-quoted),
 * quoted again here.
 *
 * <p>For {@code --binary-wire} the column types come from the catalog ({@code pg_attribute}, which
 * any user may read; COPY FROM needs only INSERT). A domain converts as its base type, which is
 * what its binary input reads; an enum as text, its label being its binary form.
 */
final class TableTarget {

    /** One column of the COPY: its name, its type as the catalog prints it, the OID its values convert as (0 when none). */
    record TargetColumn(String name, String typeName, int conversionOid) {
    }

    private final String table;
    private final List<String> columns;

    private TableTarget(String table, List<String> columns) {
        this.table = table;
        this.columns = columns;
    }

    /** Resolves {@code table} (exit status 4 when it does not exist) and parses the column names. */
    static TableTarget resolve(Connection conn, String table, List<String> columns) {
        String name = conn.execute("SELECT to_regclass(%s)::text", table).fetchone().getString(0);
        if (name == null) {
            throw ToolException.notFound("relation \"" + table + "\" does not exist");
        }
        List<String> names = new ArrayList<>();
        if (columns != null) {
            for (String column : columns) {
                names.add(identifierName(column.strip()));
            }
        }
        return new TableTarget(name, names);
    }

    /** The table as SQL text (the server's quoted spelling). */
    String table() {
        return table;
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
                + " ORDER BY a.attnum", table).fetchall()) {
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
            Row base = conn.execute("SELECT typtype::text, typbasetype::int8 FROM pg_type WHERE oid = %s", oid).fetchone();
            typtype = base.getString(0);
            basetype = base.getLong(1);
        }
        if (typtype.equals("e")) {
            return PgTypes.TEXT;
        }
        return BinaryRowTranscoder.supports((int) oid) ? (int) oid : 0;
    }

    /**
     * The catalog name of a SQL identifier: the text between double quotes (a doubled quote is
     * one), otherwise the text folded to lower case as the server folds unquoted names.
     */
    static String identifierName(String identifier) {
        if (identifier.length() >= 2 && identifier.startsWith("\"") && identifier.endsWith("\"")) {
            String inner = identifier.substring(1, identifier.length() - 1);
            if (inner.replace("\"\"", "").contains("\"") || inner.isEmpty()) {
                throw ToolException.usage("--columns: bad quoted name " + identifier);
            }
            return inner.replace("\"\"", "\"");
        }
        if (identifier.isEmpty() || identifier.contains("\"")) {
            throw ToolException.usage("--columns: bad column name '" + identifier + "'");
        }
        StringBuilder folded = new StringBuilder(identifier.length());
        for (char c : identifier.toCharArray()) {
            folded.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);   // ASCII only, as the server
        }
        return folded.toString();
    }
}

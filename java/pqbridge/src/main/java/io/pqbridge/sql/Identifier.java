package io.pqbridge.sql;

import io.pqbridge.adapt.AdaptContext;
import io.pqbridge.errors.DataException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A name of a database object (psycopg's {@code sql.Identifier}): a table, a column, a schema;
 * several strings make a qualified name, {@code schema.table} or {@code schema.table.column}.
 *
 * <p>Each part is always written in double quotes with every {@code "} doubled, as libpq's
 * {@code PQescapeIdentifier} (and so psycopg) writes it: the server reads it back as exactly that
 * string, case and all, keyword or not. That is the server's {@code quote_ident} whenever
 * {@code quote_ident} quotes; where {@code quote_ident} leaves a lower-case, non-keyword name bare,
 * the quoted form names the same object. A NUL character cannot be in a name and is refused.
 */
public final class Identifier extends Composable {

    private final List<String> strings;

    /**
     * @param strings the name's parts, at least one (several: a qualified name, joined with dots)
     * @throws IllegalArgumentException when there is no part
     * @throws DataException when a part holds a NUL character
     * @throws NullPointerException for a null part
     */
    public Identifier(String... strings) {
        if (strings == null || strings.length == 0) {
            throw new IllegalArgumentException("an Identifier needs at least one string");
        }
        for (String s : strings) {
            if (s.indexOf('\0') >= 0) {
                throw new DataException("an identifier cannot contain NUL (0x00) characters: " + repr(s));
            }
        }
        this.strings = List.copyOf(Arrays.asList(strings));
    }

    /** {@return the parts of the name, unquoted} */
    public List<String> strings() {
        return strings;
    }

    /** {@code s} in double quotes, each {@code "} doubled ({@code PQescapeIdentifier}). */
    static String quoted(String s) {
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    @Override
    void render(StringBuilder out, AdaptContext ctx, boolean forParameters) {
        for (int i = 0; i < strings.size(); i++) {
            if (i > 0) {
                out.append('.');
            }
            appendEscaped(out, quoted(strings.get(i)), forParameters);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Identifier other && strings.equals(other.strings);
    }

    @Override
    public int hashCode() {
        return strings.hashCode();
    }

    @Override
    public String toString() {
        return "Identifier(" + strings.stream().map(Composable::repr).collect(Collectors.joining(", ")) + ")";
    }
}

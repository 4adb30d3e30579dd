package io.pqbridge.sql;

import io.pqbridge.Connection;
import io.pqbridge.Query;
import io.pqbridge.adapt.AdaptContext;
import io.pqbridge.internal.ComposedQueries;

/**
 * A piece of SQL built safely from parts (psycopg's {@code sql.Composable}): raw text
 * ({@link Sql}), names ({@link Identifier}), values ({@link Literal}), parameter markers
 * ({@link Placeholder}) and sequences of them ({@link Composed}). Every {@code execute},
 * {@code stream}, {@code executeMany} and {@code copy} of the facade accepts one where it accepts
 * a SQL string.
 *
 * <p>Immutable and thread-safe. Two composables are equal when they are of the same class and
 * hold equal parts, as in psycopg.
 */
public abstract sealed class Composable implements Query permits Sql, Identifier, Literal, Placeholder, Composed {

    static {
        ComposedQueries.installRenderer((query, ctx, forParameters) ->
                query instanceof Composable c ? c.render(ctx, forParameters) : null);
    }

    Composable() {
    }

    /**
     * The SQL text as the connection's server reads it (psycopg's {@code as_string(conn)}):
     * literals are written for the connection's session settings.
     *
     * @param conn an open connection
     * @return the text
     * @throws io.pqbridge.errors.ProgrammingException when a {@link Literal}'s value cannot be
     *     adapted
     * @throws io.pqbridge.errors.DataException when a value cannot be written as SQL (a NUL
     *     character)
     */
    @Override
    public String asString(Connection conn) {
        return render(ComposedQueries.contextOf(conn), false);
    }

    /**
     * The SQL text without a connection (psycopg's {@code as_string(None)}), for SQL written to a
     * file: literals are written for PostgreSQL's default session settings (UTC, ISO dates,
     * {@code standard_conforming_strings} on).
     *
     * @return the text
     */
    public String asString() {
        return render(AdaptContext.DEFAULT, false);
    }

    /**
     * {@return this followed by {@code other} (psycopg's {@code +})}; a {@link Composed} on either
     * side is flattened into the result
     *
     * @param other what follows
     */
    public Composed concat(Composable other) {
        return Composed.of(this, other);
    }

    /**
     * The text; {@code forParameters} when it will be parsed for {@code %s} parameters, so a
     * {@code %} inside a literal or a name is doubled and stays itself.
     */
    final String render(AdaptContext ctx, boolean forParameters) {
        StringBuilder out = new StringBuilder();
        render(out, ctx, forParameters);
        return out.toString();
    }

    abstract void render(StringBuilder out, AdaptContext ctx, boolean forParameters);

    /** Appends {@code text}, with each {@code %} doubled when {@code forParameters}. */
    static void appendEscaped(StringBuilder out, String text, boolean forParameters) {
        if (!forParameters || text.indexOf('%') < 0) {
            out.append(text);
            return;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c);
            if (c == '%') {
                out.append('%');
            }
        }
    }

    /** A string as {@code toString()} shows it: in single quotes, with {@code '} and {@code \\} escaped. */
    static String repr(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}

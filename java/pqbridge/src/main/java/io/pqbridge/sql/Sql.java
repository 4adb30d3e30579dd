package io.pqbridge.sql;

import io.pqbridge.adapt.AdaptContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Raw SQL text, written as it is (psycopg's {@code sql.SQL}): the skeleton a query is built on,
 * never a value. {@link #format} fills its {@code {}} fields with other composables, and
 * {@link #join} puts it between them.
 *
 * <p>Only program text belongs here: a value from outside goes in a {@link Literal} or a
 * {@link Placeholder}, a name in an {@link Identifier}.
 */
public final class Sql extends Composable {

    /** {@code NULL} (psycopg's {@code sql.NULL}). */
    public static final Sql NULL = new Sql("NULL");
    /** {@code DEFAULT} (psycopg's {@code sql.DEFAULT}). */
    public static final Sql DEFAULT = new Sql("DEFAULT");

    private final String text;

    /**
     * @param text the SQL text, used as it is
     */
    public Sql(String text) {
        this.text = Objects.requireNonNull(text, "text");
    }

    /** {@return the text, as given} */
    public String text() {
        return text;
    }

    /**
     * Fills the fields of this text with {@code args} (psycopg's {@code SQL.format()}): {@code {}}
     * takes the next argument, {@code {0}} the argument at that index; {@code {{} and {@code }}}
     * are literal braces. An argument that is not a {@link Composable} becomes a {@link Literal}.
     * Automatic and numbered fields cannot be mixed.
     *
     * @param args the composables (or values) for the fields
     * @return the composed SQL
     * @throws IllegalArgumentException for a malformed text (a single brace, a format spec, a
     *     named field here), mixed numbering, or a field without an argument; the message names it
     */
    public Composed format(Object... args) {
        return SqlFormat.fill(text, args == null ? new Object[] {null} : args, null);
    }

    /**
     * Fills the named fields {@code {name}} of this text from {@code args}; otherwise as
     * {@link #format(Object...)}.
     *
     * @param args the composables (or values) by field name
     * @return the composed SQL
     * @throws IllegalArgumentException for a malformed text, a positional field, or a name
     *     without an entry
     */
    public Composed format(Map<String, ?> args) {
        return SqlFormat.fill(text, null, Objects.requireNonNull(args, "args"));
    }

    /**
     * {@return the elements with this text between each two (psycopg's {@code SQL.join()}), for
     * example {@code new Sql(", ").join(columns)}}; an element that is not a {@link Composable}
     * becomes a {@link Literal}
     *
     * @param seq the elements, in order
     */
    public Composed join(Iterable<?> seq) {
        List<Composable> parts = new ArrayList<>();
        Iterator<?> it = seq.iterator();
        if (it.hasNext()) {
            parts.add(Composed.wrap(it.next()));
            while (it.hasNext()) {
                parts.add(this);
                parts.add(Composed.wrap(it.next()));
            }
        }
        return new Composed(parts);
    }

    /**
     * {@return {@code value} as a SQL literal for {@code conn}'s session (psycopg's
     * {@code sql.quote()})}: {@code new Literal(value).asString(conn)}
     *
     * @param value the value, null for {@code NULL}
     * @param conn an open connection
     */
    public static String quote(Object value, io.pqbridge.Connection conn) {
        return new Literal(value).asString(conn);
    }

    @Override
    void render(StringBuilder out, AdaptContext ctx, boolean forParameters) {
        out.append(text);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sql other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return "Sql(" + repr(text) + ")";
    }
}

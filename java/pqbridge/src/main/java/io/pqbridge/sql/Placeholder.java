package io.pqbridge.sql;

import io.pqbridge.adapt.AdaptContext;
import java.util.Objects;

/**
 * A parameter marker in composed SQL (psycopg's {@code sql.Placeholder}): {@code %s}, or
 * {@code %(name)s} for a named one; the value comes with the statement's parameters and is bound
 * on the server. The format can force one: {@code 'b'} binary ({@code %b}), {@code 't'} text
 * ({@code %t}), {@code 's'} psycopg's choice for the value's type.
 */
public final class Placeholder extends Composable {

    private final String name;
    private final char format;

    /** A positional placeholder, {@code %s}. */
    public Placeholder() {
        this("", 's');
    }

    /**
     * A named placeholder, {@code %(name)s}; an empty name is a positional one.
     *
     * @param name the parameter's name, without {@code )}
     */
    public Placeholder(String name) {
        this(name, 's');
    }

    /**
     * @param name the parameter's name, empty for a positional placeholder; without {@code )}
     * @param format {@code 's'}, {@code 'b'} or {@code 't'}
     * @throws IllegalArgumentException for a name holding {@code )} or another format
     */
    public Placeholder(String name, char format) {
        Objects.requireNonNull(name, "name");
        if (name.indexOf(')') >= 0) {
            throw new IllegalArgumentException("invalid placeholder name: " + repr(name) + " (it cannot contain ')')");
        }
        if (format != 's' && format != 'b' && format != 't') {
            throw new IllegalArgumentException("invalid placeholder format: '" + format + "'; use 's', 'b' or 't'");
        }
        this.name = name;
        this.format = format;
    }

    /** {@return the parameter's name, empty for a positional placeholder} */
    public String name() {
        return name;
    }

    /** {@return {@code 's'}, {@code 'b'} or {@code 't'}} */
    public char format() {
        return format;
    }

    @Override
    void render(StringBuilder out, AdaptContext ctx, boolean forParameters) {
        out.append('%');
        if (!name.isEmpty()) {
            out.append('(').append(name).append(')');
        }
        out.append(format);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Placeholder other && name.equals(other.name) && format == other.format;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + format;
    }

    @Override
    public String toString() {
        String shown = name.isEmpty() ? "" : repr(name);
        if (format != 's') {
            shown += (shown.isEmpty() ? "" : ", ") + "format='" + format + "'";
        }
        return "Placeholder(" + shown + ")";
    }
}

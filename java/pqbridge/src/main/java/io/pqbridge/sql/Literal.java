package io.pqbridge.sql;

import io.pqbridge.adapt.AdaptContext;
import io.pqbridge.adapt.Queries;
import java.util.Arrays;
import java.util.Objects;

/**
 * A value written into the SQL text as a literal (psycopg's {@code sql.Literal}), converted as a
 * parameter of the same Java type would be and quoted as libpq's {@code PQescapeLiteral} quotes:
 * {@code 'it''s'}, {@code  E'a\\b'} (a leading space, so it cannot merge with what precedes),
 * {@code 42}, {@code '2024-01-02'::date}, {@code NULL}. A string's quoted form is what the
 * server's {@code quote_literal} returns, but for that leading space before {@code E}.
 *
 * <p>Prefer a {@link Placeholder} and a bound parameter for values; a literal serves where the
 * server takes no parameter (DDL, COPY options, SQL written to a file).
 */
public final class Literal extends Composable {

    private final Object value;

    /**
     * @param value the value, null for {@code NULL}; any type pqbridge can send as a parameter
     */
    public Literal(Object value) {
        this.value = value;
    }

    /** {@return the value, as given} */
    public Object value() {
        return value;
    }

    @Override
    void render(StringBuilder out, AdaptContext ctx, boolean forParameters) {
        appendEscaped(out, Queries.literal(value, ctx), forParameters);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Literal other && Objects.deepEquals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {value});
    }

    @Override
    public String toString() {
        return "Literal(" + (value instanceof String s ? repr(s) : String.valueOf(value)) + ")";
    }
}

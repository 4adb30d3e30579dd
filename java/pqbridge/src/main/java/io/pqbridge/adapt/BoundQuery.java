package io.pqbridge.adapt;

/**
 * A query ready for the extended protocol ({@code PgConn.sendQueryParams}): PostgreSQL
 * placeholders {@code $1..$n} and, per parameter, its type OID (0: the server infers it), its
 * value ({@code null}: SQL NULL) and its format (0 text, 1 binary). Made by
 * {@link Queries#bind(String, java.util.List, AdaptContext)}.
 *
 * <p>When {@link #parameterCount()} is 0 send {@link #sql()} with the simple protocol, as psycopg
 * does: it then may hold several statements. The arrays are owned by this object; callers pass
 * them to the connection and must not modify them.
 */
public final class BoundQuery {

    private final String sql;
    private final int[] types;
    private final byte[][] values;
    private final int[] formats;

    BoundQuery(String sql, int[] types, byte[][] values, int[] formats) {
        this.sql = sql;
        this.types = types;
        this.values = values;
        this.formats = formats;
    }

    /**
     * {@return the query with {@code $n} placeholders (or untouched, when no parameters were
     * given)}
     */
    public String sql() {
        return sql;
    }

    /** {@return the number of parameters; 0 means: send {@link #sql()} with the simple protocol} */
    public int parameterCount() {
        return values.length;
    }

    /** {@return the type OID per parameter; 0 lets the server infer the type} */
    public int[] paramTypes() {
        return types;
    }

    /** {@return the value per parameter in its format; a null element is SQL NULL} */
    public byte[][] paramValues() {
        return values;
    }

    /** {@return the format per parameter: 0 text, 1 binary} */
    public int[] paramFormats() {
        return formats;
    }

    @Override
    public String toString() {
        return "BoundQuery[" + sql + ", " + values.length + " parameters]";
    }
}

package io.pqbridge;

/**
 * SQL that a program composed rather than wrote as one string (psycopg's {@code Query} type):
 * every {@code execute}, {@code executeMany}, {@code stream} and {@code copy} that takes a SQL
 * string also takes one of these. {@link io.pqbridge.sql.Composable} and its kinds
 * ({@code Sql}, {@code Identifier}, {@code Literal}, {@code Placeholder}, {@code Composed}) are the
 * implementations to use.
 *
 * <p>When parameters go with a composable, a {@code %} inside one of its literals or names is sent
 * as that character; another implementation gives its text as it is, so a {@code %} in it must
 * follow the string rules ({@code %%} for a percent sign when there are parameters).
 */
public interface Query {

    /**
     * The SQL text as the connection's server reads it (psycopg's {@code as_string(conn)}).
     *
     * @param conn an open connection, whose session settings the text is written for
     * @return the text
     */
    String asString(Connection conn);
}

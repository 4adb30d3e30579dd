/**
 * Composing SQL from parts safely (psycopg's {@code psycopg.sql}): {@link io.pqbridge.sql.Sql}
 * for program text, {@link io.pqbridge.sql.Identifier} for names, {@link io.pqbridge.sql.Literal}
 * for values written into the text, {@link io.pqbridge.sql.Placeholder} for bound parameters,
 * {@link io.pqbridge.sql.Composed} for sequences, built with {@code Sql.format} and
 * {@code Sql.join}:
 *
 * <pre>{@code
 * Composable q = new Sql("INSERT INTO {} ({}) VALUES ({})").format(
 *         new Identifier("app", "events"),
 *         new Sql(", ").join(List.of(new Identifier("id"), new Identifier("body"))),
 *         new Sql(", ").join(List.of(new Placeholder(), new Placeholder())));
 * conn.execute(q, 1, "hello");
 * }</pre>
 *
 * <p>The facade's {@code execute}, {@code executeMany}, {@code stream} and {@code copy} take a
 * {@link io.pqbridge.sql.Composable} where they take a SQL string. When parameters go with it, a
 * {@code %} inside a literal or a name stays that character (psycopg would read it as the start
 * of a placeholder); {@code %} in {@link io.pqbridge.sql.Sql} text follows the string rules
 * ({@code %%} for a percent sign when there are parameters).
 */
package io.pqbridge.sql;

package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.errors.OperationalException;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.sql.Composable;
import io.pqbridge.sql.Identifier;
import io.pqbridge.sql.Literal;
import io.pqbridge.sql.Placeholder;
import io.pqbridge.sql.Sql;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * psycopg's {@code sql} module against the server: names and literals quoted as the server's
 * {@code quote_ident} / {@code quote_literal} quote them and read back by the server as exactly
 * the strings given, for random strings; composed statements accepted by execute, executeMany,
 * stream and copy, with {@code %} in literals and names surviving parameters.
 */
@Tag("server-matrix")
class SqlCompositionTest {

    /** Characters that quoting must get right, and some that it must leave alone. */
    private static final String[] POOL = {"a", "z", "A", "Z", "_", "0", "9", "$", "'", "\"", "\\", "%", "{", "}",
        " ", "\n", "\t", "é", "ß", "中", "😀", "-", ".", ";", "(", ")"};
    private static final String[] KEYWORDS = {"select", "user", "table", "order", "from", "current_user", "all"};

    /** Random strings of at most 63 UTF-8 bytes (longer names would be truncated by the server), never NUL. */
    private static List<String> randomStrings(long seed, int count) {
        Random random = new Random(seed);
        Set<String> out = new LinkedHashSet<>(List.of(KEYWORDS));
        out.addAll(List.of("foo", "Foo", "foo_bar1", "1abc", "a\"b", "it's", "a\\b", "100%", "%s", "%(x)s", "é"));
        while (out.size() < count) {
            StringBuilder s = new StringBuilder();
            int length = 1 + random.nextInt(14);
            for (int i = 0; i < length; i++) {
                String next = random.nextInt(10) == 0 ? KEYWORDS[random.nextInt(KEYWORDS.length)]
                        : POOL[random.nextInt(POOL.length)];
                if (s.toString().concat(next).getBytes(StandardCharsets.UTF_8).length > 63) {
                    break;
                }
                s.append(next);
            }
            out.add(s.toString());
        }
        return new ArrayList<>(out);
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void identifiersQuoteAsQuoteIdentAndReadBackExactly(PgBackend backend) {
        List<String> names = randomStrings(backend.name().hashCode(), 400);
        try (Connection conn = Db.autocommit(backend)) {
            Cursor cur = conn.execute("SELECT quote_ident(s) FROM unnest(%s::text[]) WITH ORDINALITY AS u(s, i) ORDER BY i",
                    (Object) names.toArray(new String[0]));
            for (String name : names) {
                String server = cur.fetchOne().getString(0);
                String ours = new Identifier(name).asString(conn);
                // quote_ident leaves lower-case non-keywords bare; quoted, they name the same object
                String expected = server.startsWith("\"") ? server : '"' + server + '"';
                assertEquals(expected, ours, () -> "identifier " + name);
            }
            List<Composable> columns = names.stream().map(n -> new Sql("1 AS {}").format(new Identifier(n)))
                    .collect(Collectors.toList());
            List<Column> described = conn.execute(new Sql("SELECT {}").format(new Sql(", ").join(columns))).description();
            assertEquals(names, described.stream().map(Column::name).collect(Collectors.toList()),
                    "the server reads every quoted name back as the string given");
            assertEquals("\"s\".\"t\"", new Identifier("s", "t").asString(conn));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void literalsQuoteAsQuoteLiteralAndReadBackExactly(PgBackend backend) {
        List<String> strings = randomStrings(~backend.name().hashCode(), 400);
        try (Connection conn = Db.autocommit(backend)) {
            Cursor cur = conn.execute("SELECT quote_literal(s) FROM unnest(%s::text[]) WITH ORDINALITY AS u(s, i) ORDER BY i",
                    (Object) strings.toArray(new String[0]));
            for (String s : strings) {
                String server = cur.fetchOne().getString(0);
                String ours = new Literal(s).asString(conn);
                // libpq's PQescapeLiteral, and so psycopg, put a space before E'...'
                assertEquals(server, ours.startsWith(" E'") ? ours.substring(1) : ours, () -> "literal of " + s);
            }
            for (String conforming : new String[] {"on", "off"}) {
                conn.execute("SET standard_conforming_strings TO " + conforming);
                List<Composable> literals = strings.stream().map(Literal::new).collect(Collectors.toList());
                Row row = conn.execute(new Sql("SELECT {}").format(new Sql(", ").join(literals))).fetchOne();
                for (int i = 0; i < strings.size(); i++) {
                    assertEquals(strings.get(i), row.getString(i), "standard_conforming_strings " + conforming);
                }
            }
            Object[] values = {42, -42L, new BigDecimal("-1.50"), LocalDate.of(2024, 2, 29), true, null,
                new byte[] {0, 1, (byte) 0xff}, List.of(1, 2, 3), Double.NaN};
            Row row = conn.execute(new Sql("SELECT {}").format(new Sql(", ").join(java.util.Arrays.asList(values)))).fetchOne();
            for (int i = 0; i < values.length; i++) {
                Object got = row.get(i);
                if (values[i] instanceof byte[] bytes) {
                    assertTrue(java.util.Arrays.equals(bytes, (byte[]) got), "bytea literal");
                } else if (values[i] instanceof Long l) {
                    assertEquals(l, ((Number) got).longValue());
                } else {
                    assertEquals(values[i], got, "literal " + i);
                }
            }
            assertEquals("'it''s'", Sql.quote("it's", conn));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void composedStatementsRunThroughExecuteStreamAndCopy(PgBackend backend) throws Exception {
        try (Connection conn = Db.connect(backend)) {
            Identifier table = new Identifier(Db.table("sql comp") + " \"Odd\" 50%");
            Identifier note = new Identifier("the 100% \"note\"");
            conn.execute(new Sql("CREATE TEMP TABLE {} (id int, {} text)").format(table, note));
            conn.execute(new Sql("INSERT INTO {} VALUES ({}, {})").format(table, new Placeholder(), new Literal("50% off")), 1);
            conn.cursor().execute(new Sql("INSERT INTO {} VALUES ({}, {})").format(table, new Placeholder("id"),
                    new Placeholder("note")), Map.of("id", 2, "note", "%s is not a placeholder here"));
            conn.cursor().executeMany(new Sql("INSERT INTO {} ({}, id) VALUES (%s, {})").format(table, note, new Placeholder()),
                    List.of(new Object[] {"three", 3}, new Object[] {"four", 4}));
            conn.execute(new Sql("INSERT INTO {} VALUES (5, {})").format(table, new Literal("no params: 100%")));

            List<String> notes = new ArrayList<>();
            try (RowStream rows = conn.cursor().stream(new Sql("SELECT {} FROM {} WHERE id > %s ORDER BY id").format(note, table), 0)) {
                rows.forEach(r -> notes.add(r.getString(0)));
            }
            assertEquals(List.of("50% off", "%s is not a placeholder here", "three", "four", "no params: 100%"), notes);

            StringBuilder copied = new StringBuilder();
            conn.cursor().copy(new Sql("COPY (SELECT id, {} FROM {} ORDER BY id) TO STDOUT").format(note, table),
                    copy -> {
                        for (byte[] b; (b = copy.read()).length > 0;) {
                            copied.append(new String(b, StandardCharsets.UTF_8));
                        }
                    });
            assertTrue(copied.toString().startsWith("1\t50% off\n2\t%s is not"), copied.toString());
            Cursor cur = conn.cursor();
            try (Copy copy = cur.copy(new Sql("COPY {} (id, {}) FROM STDIN").format(table, note))) {
                copy.writeRow(6, "copied, 10%");
                copy.finish();
            }
            assertEquals(1, cur.rowCount());
            try (Copy copy = cur.copy(new Sql("COPY (SELECT {} FROM {} WHERE id = {}) TO STDOUT").format(note, table,
                    new Placeholder()), 6)) {
                assertEquals("copied, 10%\n", new String(copy.read(), StandardCharsets.UTF_8));
                copy.finish();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aClosedConnectionCannotQuote(PgBackend backend) {
        Connection conn = Db.connect(backend);
        conn.close();
        OperationalException e = assertThrows(OperationalException.class, () -> new Literal("x").asString(conn));
        assertEquals("the connection is closed", e.getMessage());
    }
}

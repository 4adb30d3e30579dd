package io.pqbridge.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.errors.DataException;
import io.pqbridge.errors.ProgrammingException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** psycopg's {@code sql} module rules, without a server: format fields, joins, quoting, equality. */
class ComposableTest {

    @Test
    void formatFillsAutomaticNumberedAndNamedFields() {
        assertEquals("SELECT \"a\", \"b\" FROM \"t\"",
                new Sql("SELECT {}, {} FROM {}").format(new Identifier("a"), new Identifier("b"), new Identifier("t")).asString());
        assertEquals("\"x\" = \"x\" AND \"y\"", new Sql("{0} = {0} AND {1}").format(new Identifier("x"), new Identifier("y")).asString());
        Map<String, Object> named = new LinkedHashMap<>();
        named.put("tbl", new Identifier("s", "t"));
        named.put("v", 42);
        assertEquals("INSERT INTO \"s\".\"t\" VALUES (42)", new Sql("INSERT INTO {tbl} VALUES ({v})").format(named).asString());
        assertEquals("{literal} 'it''s'", new Sql("{{literal}} {}").format("it's").asString(), "braces doubled, a value becomes a Literal");
        assertEquals("a}b", new Sql("a}}b").format().asString());
    }

    @Test
    void formatRefusesWhatPsycopgRefuses() {
        Sql s = new Sql("{} {0}");
        assertMalformed("cannot switch from automatic field numbering to manual", () -> s.format(1, 2));
        assertMalformed("cannot switch from manual field numbering to automatic", () -> new Sql("{0} {}").format(1, 2));
        assertMalformed("no format specification allowed: {:x}", () -> new Sql("{:x}").format(1));
        assertMalformed("no format conversion allowed: {!r}", () -> new Sql("{!r}").format(1));
        assertMalformed("single '}' at offset 1", () -> new Sql("a}b").format());
        assertMalformed("'{' at offset 2 is not closed", () -> new Sql("a {b").format());
        assertMalformed("field 1 has no argument: 1 given", () -> new Sql("{} {}").format(1));
        assertMalformed("no argument named 'b'; the arguments are [a]", () -> new Sql("{a} {b}").format(Map.of("a", 1)));
        assertMalformed("the field {a} needs named arguments", () -> new Sql("{a}").format(1));
        assertMalformed("the field {0} needs positional arguments", () -> new Sql("{}").format(Map.of()));
    }

    private static void assertMalformed(String expected, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void joinAndConcat() {
        Composed cols = new Sql(", ").join(List.of(new Identifier("a"), new Identifier("b"), "c"));
        assertEquals("\"a\", \"b\", 'c'", cols.asString());
        assertEquals("", new Sql(", ").join(List.of()).asString());
        assertEquals("\"a\" | \"b\"", new Composed(List.of(new Identifier("a"), new Identifier("b"))).join(" | ").asString());
        Composed q = new Sql("SELECT ").concat(cols).concat(new Sql(" FROM t"));
        assertEquals(5 + 2, q.seq().size(), "a Composed on either side is flattened");
        assertEquals("SELECT \"a\", \"b\", 'c' FROM t", q.asString());
    }

    @Test
    void identifiersAreAlwaysQuotedAndQualified() {
        assertEquals("\"foo\"", new Identifier("foo").asString());
        assertEquals("\"Foo Bar\".\"a\"\"b\"", new Identifier("Foo Bar", "a\"b").asString());
        assertEquals("\"select\"", new Identifier("select").asString());
        assertThrows(IllegalArgumentException.class, Identifier::new);
        DataException e = assertThrows(DataException.class, () -> new Identifier("a\0b"));
        assertTrue(e.getMessage().contains("NUL"), e.getMessage());
    }

    @Test
    void literalsAsPsycopgQuotesThem() {
        assertEquals("'it''s'", new Literal("it's").asString());
        assertEquals(" E'a\\\\b'", new Literal("a\\b").asString());
        assertEquals("NULL", new Literal(null).asString());
        assertEquals("42", new Literal(42).asString());
        assertEquals(" -42", new Literal(-42).asString());
        assertEquals("'2024-01-02'::date", new Literal(LocalDate.of(2024, 1, 2)).asString());
        assertEquals("1.50", new Literal(new BigDecimal("1.50")).asString());
        assertEquals("true", new Literal(true).asString());
        assertEquals("NULL", Sql.NULL.asString());
        assertThrows(ProgrammingException.class, () -> new Literal(new Object()).asString());
        assertThrows(DataException.class, () -> new Literal("a\0b").asString());
    }

    @Test
    void placeholdersRenderPsycopgMarkers() {
        assertEquals("%s", new Placeholder().asString());
        assertEquals("%(id)s", new Placeholder("id").asString());
        assertEquals("%(id)b", new Placeholder("id", 'b').asString());
        assertEquals("%t", new Placeholder("", 't').asString());
        assertThrows(IllegalArgumentException.class, () -> new Placeholder("a)b"));
        assertThrows(IllegalArgumentException.class, () -> new Placeholder("a", 'x'));
        assertEquals("Placeholder('id', format='b')", new Placeholder("id", 'b').toString());
    }

    @Test
    void percentInLiteralsAndNamesIsDoubledOnlyForParameters() {
        Composed q = new Sql("SELECT {}, {}, %s, 100%%").format(new Literal("50%"), new Identifier("a%b"));
        assertEquals("SELECT '50%', \"a%b\", %s, 100%%", q.asString());
        assertEquals("SELECT '50%%', \"a%%b\", %s, 100%%", q.render(io.pqbridge.adapt.AdaptContext.DEFAULT, true));
    }

    @Test
    void equalityByClassAndParts() {
        assertEquals(new Sql("a"), new Sql("a"));
        assertNotEquals(new Sql("a"), new Identifier("a"));
        assertEquals(new Identifier("a", "b"), new Identifier("a", "b"));
        assertEquals(new Literal(new byte[] {1, 2}), new Literal(new byte[] {1, 2}));
        assertEquals(new Literal(new byte[] {1, 2}).hashCode(), new Literal(new byte[] {1, 2}).hashCode());
        assertEquals(new Sql("{}").format(1), new Sql("{}").format(1));
        assertEquals("Composed([Sql('a '), Literal(1)])", new Sql("a {}").format(1).toString());
    }
}

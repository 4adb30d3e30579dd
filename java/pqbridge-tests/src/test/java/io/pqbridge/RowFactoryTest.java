package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.pq.PgBackend;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * psycopg's row factories: per cursor ({@code conn.cursor(factory)}) and per connection
 * ({@code conn.withRowFactory(factory)}), the ready-made ones, and the refusals a factory makes
 * when a result becomes current (duplicate names for a map, columns and components that do not
 * match for a class), each naming the columns.
 */
@Tag("server-matrix")
class RowFactoryTest {

    record Item(long id, String name, BigDecimal price) {
    }

    /** A plain class, filled field by field. */
    static final class Bean {
        Integer id;
        String name;
    }

    private static final String ITEMS = "SELECT * FROM (VALUES (1, 'one', 1.50), (2, 'two', NULL)) AS t(id, name, price)";

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void readyMadeFactories(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            List<Object[]> tuples = conn.cursor(RowFactories.tupleRow()).execute(ITEMS).fetchAll();
            assertArrayEquals(new Object[] {1, "one", new BigDecimal("1.50")}, tuples.get(0));

            Map<String, Object> map = conn.cursor(RowFactories.dictRow()).execute(ITEMS).fetchOne();
            assertEquals(List.of("id", "name", "price"), List.copyOf(map.keySet()), "column order");
            assertEquals("one", map.get("name"));
            assertThrows(UnsupportedOperationException.class, () -> map.put("x", 1));

            Row row = conn.cursor(RowFactories.namedTupleRow()).execute(ITEMS).fetchOne();
            assertEquals("one", row.getString("name"));

            assertEquals(List.of(1, 2), conn.cursor(RowFactories.scalarRow()).execute(ITEMS).fetchAll());
            assertEquals(List.of("1:one", "2:two"), conn.cursor(RowFactories.argsRow(v -> v[0] + ":" + v[1]))
                    .execute(ITEMS).fetchAll());
            assertEquals(List.of("one", "two"), conn.cursor(RowFactories.kwargsRow(m -> m.get("name")))
                    .execute(ITEMS).fetchAll());
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void classRowMakesRecordsAndFillsClasses(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            List<Item> items = conn.cursor(RowFactories.classRow(Item.class)).execute(ITEMS).fetchAll();
            assertEquals(List.of(new Item(1, "one", new BigDecimal("1.50")), new Item(2, "two", null)), items,
                    "int4 widened to the long component, NULL to a reference");
            Bean bean = conn.cursor(RowFactories.classRow(Bean.class)).execute("SELECT 7 AS id, 'b' AS name").fetchOne();
            assertEquals(7, bean.id);
            assertEquals("b", bean.name);

            RowCursor<Item> cur = conn.cursor(RowFactories.classRow(Item.class));
            ProgrammingException extra = assertThrows(ProgrammingException.class,
                    () -> cur.execute("SELECT 1 AS id, 'x' AS name, 2.0 AS price, 3 AS colour"));
            assertTrue(extra.getMessage().contains("column(s) [colour] have no component in " + Item.class.getName()),
                    extra.getMessage());
            ProgrammingException missing = assertThrows(ProgrammingException.class,
                    () -> cur.execute("SELECT 1 AS id, 'x' AS label"));
            assertTrue(missing.getMessage().contains("[label] have no component")
                    && missing.getMessage().contains("the component(s) [name, price] of"), missing.getMessage());
            ProgrammingException nullPrimitive = assertThrows(ProgrammingException.class,
                    () -> cur.execute("SELECT NULL::int AS id, 'x' AS name, 1.0 AS price").fetchOne());
            assertTrue(nullPrimitive.getMessage().startsWith("column \"id\" is NULL, which the long of"),
                    nullPrimitive.getMessage());
            ProgrammingException wrongType = assertThrows(ProgrammingException.class,
                    () -> cur.execute("SELECT 1 AS id, 2 AS name, 1.0 AS price").fetchOne());
            assertTrue(wrongType.getMessage().startsWith("column \"name\" holds java.lang.Integer 2"), wrongType.getMessage());
            assertTrue(Db.selectOneWorks(conn));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void duplicateNamesAreRefusedAtExecuteForMapsButNotArrays(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            ProgrammingException e = assertThrows(ProgrammingException.class,
                    () -> conn.cursor(RowFactories.dictRow()).execute("SELECT 1 AS a, 2 AS b, 3 AS a"));
            assertTrue(e.getMessage().startsWith("the result has more than one column named [a]"), e.getMessage());
            assertArrayEquals(new Object[] {1, 2, 3},
                    conn.cursor(RowFactories.tupleRow()).execute("SELECT 1 AS a, 2 AS b, 3 AS a").fetchOne());
            ProgrammingException none = assertThrows(ProgrammingException.class,
                    () -> conn.cursor(RowFactories.scalarRow()).execute("SELECT"));
            assertTrue(none.getMessage().contains("at least one column"), none.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void eachResultOfSeveralStatementsGetsItsMaker(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            RowCursor<Map<String, Object>> cur = conn.cursor(RowFactories.dictRow());
            cur.execute("SELECT 1 AS a; SELECT 2 AS b, 3 AS c; SELECT 4 AS d, 5 AS d");
            assertEquals(Map.of("a", 1), cur.fetchOne());
            assertTrue(cur.nextSet());
            assertEquals(Map.of("b", 2, "c", 3), cur.fetchOne());
            ProgrammingException e = assertThrows(ProgrammingException.class, cur::nextSet);
            assertTrue(e.getMessage().contains("[d]"), e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aConnectionWideFactoryAndThePipelineAndStreamPaths(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            RowConnection<Item> items = conn.withRowFactory(RowFactories.classRow(Item.class));
            conn.execute("CREATE TEMP TABLE rf_items (id int, name text, price numeric)");
            conn.execute("INSERT INTO rf_items VALUES (1, 'one', 1.50)");
            assertEquals(new Item(1, "one", new BigDecimal("1.50")), items.execute("SELECT * FROM rf_items").fetchOne(),
                    "the handle shares the connection's transaction");
            assertEquals(TransactionStatus.INTRANS, Db.status(conn));

            RowCursor<Object> counts = conn.cursor(RowFactories.scalarRow());
            conn.pipeline(p -> {
                counts.execute("SELECT count(*) FROM rf_items");
                conn.execute("INSERT INTO rf_items VALUES (2, 'two', 2)");
            });
            assertEquals(1L, counts.fetchOne(), "the maker is made when the pipelined result arrives");

            try (Stream<Object> ids = conn.cursor(RowFactories.scalarRow()).stream("SELECT id FROM rf_items ORDER BY id")) {
                assertEquals(List.of(1, 2), ids.collect(Collectors.toList()));
            }
            assertNull(conn.cursor(RowFactories.tupleRow()).execute("SELECT 1 WHERE false").fetchOne());
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void serverSideCursorsMakeTheirRowsToo(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            try (RowServerCursor<Item> cur = conn.cursor("rf_items_cursor", RowFactories.classRow(Item.class))) {
                cur.execute(ITEMS);
                assertEquals(new Item(1, "one", new BigDecimal("1.50")), cur.fetchOne());
                assertEquals(List.of(new Item(2, "two", null)), cur.fetchAll());
                assertNull(cur.fetchOne());
            }
            try (RowServerCursor<Map<String, Object>> cur = conn.cursor("rf_maps", RowFactories.dictRow())) {
                List<Object> ids = new java.util.ArrayList<>();
                for (Map<String, Object> m : cur.execute("SELECT g AS id FROM generate_series(1, 5) g")) {
                    ids.add(m.get("id"));
                }
                assertEquals(List.of(1, 2, 3, 4, 5), ids);
            }
            RowServerCursor<Map<String, Object>> dup = conn.cursor("rf_dup", RowFactories.dictRow());
            ProgrammingException e = assertThrows(ProgrammingException.class, () -> dup.execute("SELECT 1 AS a, 2 AS a"));
            assertTrue(e.getMessage().contains("[a]"), e.getMessage());
            dup.close();
            conn.rollback();
            assertTrue(Db.selectOneWorks(conn));
        }
    }
}

package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.types.CompositeInfo;
import io.pqbridge.types.Range;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Composite types as records after a type lookup (psycopg's {@code register_composite}): fields
 * of several types (an array, a range, a timestamp, NULLs, text that needs quoting), in text and
 * binary, arrays of composites and COPY, compared with what the server reads; names that do not
 * match are refused at registration.
 */
@Tag("server-matrix")
class CompositeTypesTest {

    record Item(Integer id, String name, List<String> tags, OffsetDateTime at, Range<Integer> span) {
    }

    record Wrong(Integer id, String label) {
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void recordsRoundTripAsComposites(PgBackend backend) {
        String type = Db.table("item_t");
        try (Connection conn = Db.autocommit(backend)) {
            conn.execute("CREATE TYPE " + type + " AS (id int, name text, tags text[], at timestamptz, span int4range)");
            try {
                conn.execute("SET TimeZone TO 'UTC'");
                CompositeInfo info = TypeInfos.fetchComposite(conn, type);
                assertEquals(List.of("id", "name", "tags", "at", "span"), info.fieldNames());
                assertThrows(IllegalArgumentException.class, () -> TypeInfos.fetchComposite(conn, "int4"));
                ProgrammingException wrong = assertThrows(ProgrammingException.class,
                        () -> Composites.register(info, conn.adapters(), Wrong.class));
                assertTrue(wrong.getMessage().contains("label"), wrong.getMessage());
                Composites.register(info, conn.adapters(), Item.class);

                OffsetDateTime at = OffsetDateTime.of(2024, 5, 6, 7, 8, 9, 0, ZoneOffset.UTC);
                Item full = new Item(1, "a \"quoted\", (parenthesised) \\ name", List.of("x", "y z"), at, new Range<>(1, 5));
                Item sparse = new Item(null, "", null, null, null);
                for (Item item : new Item[] {full, sparse}) {
                    for (boolean binary : new boolean[] {false, true}) {
                        String what = item + (binary ? " (binary)" : " (text)");
                        Row row = conn.cursor(binary).execute("SELECT (%s::" + type + ").name, %s::" + type + ", %s::"
                                + type + "[]", item, item, Arrays.asList(item, null)).fetchOne();
                        assertEquals(item.name(), row.get(0), what + ": the server read the fields as given");
                        assertEquals(item, row.get(1), what);
                        assertEquals(Arrays.asList(item, null), row.get(2), what + ": in an array");
                    }
                }
                assertNull(conn.execute("SELECT NULL::" + type).fetchOne().get(0));

                conn.execute("CREATE TEMP TABLE items (i " + type + ")");
                for (String format : new String[] {"", " (FORMAT binary)"}) {
                    conn.execute("TRUNCATE items");
                    conn.cursor().copy("COPY items FROM STDIN" + format, copy -> {
                        copy.setTypes(type);
                        copy.writeRow(full);
                        copy.writeRow(sparse);
                    });
                    List<Object[]> back = new ArrayList<>();
                    conn.cursor().copy("COPY items TO STDOUT" + format, copy -> {
                        copy.setTypes(type);
                        for (Object[] r; (r = copy.readRow()) != null;) {
                            back.add(r);
                        }
                    });
                    assertArrayEquals(new Object[] {full}, back.get(0), "COPY" + format);
                    assertArrayEquals(new Object[] {sparse}, back.get(1), "COPY" + format);
                }
            } finally {
                conn.execute("DROP TABLE IF EXISTS items");
                conn.execute("DROP TYPE " + type);
            }
        }
    }
}

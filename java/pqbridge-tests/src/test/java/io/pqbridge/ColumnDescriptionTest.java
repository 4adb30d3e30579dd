package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.pqbridge.pq.PgBackend;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * psycopg's {@code cursor.description}: each column's name, type code, type display, display size,
 * internal size, precision and scale, read from the type modifiers the server sends, as psycopg
 * reads them, checked against what the server's own {@code format_type} says of each column.
 */
class ColumnDescriptionTest {

    private static final String COLUMNS = "n int4, v varchar(42), c char(3), d numeric(10,2), e numeric, f numeric(5,-2),"
            + " t timestamptz(3), u time, i interval(2), b bit(5), vb varbit(7), a date[], av varchar(9)[], x text,"
            + " j jsonb, p point";

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void eachColumnIsDescribedAsPsycopgDescribesIt(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            conn.execute("CREATE TEMP TABLE described (" + COLUMNS + ")");
            List<Column> columns = conn.execute("SELECT * FROM described").description();
            assertEquals(List.of("int4", "varchar(42)", "bpchar(3)", "numeric(10,2)", "numeric", "numeric(5,-2)",
                    "timestamptz(3)", "time", "interval(2)", "bit(5)", "varbit(7)", "date[]", "varchar(9)[]", "text",
                    "jsonb", "point"), columns.stream().map(Column::typeDisplay).toList());
            assertEquals(Arrays.asList(null, 42, 3, null, null, null, null, null, null, 5, 7, null, 9, null, null, null),
                    columns.stream().map(Column::displaySize).toList());
            assertEquals(Arrays.asList(4, null, null, null, null, null, 8, 8, 16, null, null, null, null, null, null,
                    16), columns.stream().map(Column::internalSize).toList());
            assertEquals(Arrays.asList(null, null, null, 10, null, 5, 3, null, 2, null, null, null, null, null, null,
                    null), columns.stream().map(Column::precision).toList());
            assertEquals(Arrays.asList(null, null, null, 2, null, -2, null, null, null, null, null, null, null, null,
                    null, null), columns.stream().map(Column::scale).toList());
            assertNull(columns.get(0).nullOk());
            assertEquals("Column['d', type: numeric(10,2) (oid: 1700)]", columns.get(3).toString());
            // the server's own reading of the same modifiers, for the types whose names agree
            List<?> formatted = conn.execute("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid ="
                    + " 'described'::regclass AND attnum = ANY('{2,4,6,7}') ORDER BY attnum").fetchAll().stream()
                    .map(row -> row.get(0)).toList();
            assertEquals(List.of("character varying(42)", "numeric(10,2)", "numeric(5,-2)",
                    "timestamp(3) with time zone"), formatted);
        }
    }
}

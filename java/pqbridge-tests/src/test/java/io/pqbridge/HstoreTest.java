package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.pqbridge.pq.PgBackend;
import io.pqbridge.types.Hstore;
import io.pqbridge.types.TypeInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * hstore after a type lookup (psycopg's {@code register_hstore}): maps with quotes, backslashes,
 * commas, arrows, non-ASCII, empty strings and NULL values, in text and binary, arrays and COPY,
 * compared with what the server itself reads.
 */
@Tag("server-matrix")
class HstoreTest {

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void mapsRoundTripAsHstore(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            conn.execute("CREATE EXTENSION IF NOT EXISTS hstore");
            conn.commit();
            TypeInfo info = TypeInfos.fetch(conn, "hstore");
            Hstore.register(info, conn.adapters());
            Map<String, String> tricky = new HashMap<>();
            tricky.put("a", "1");
            tricky.put("quote\"d", "back\\slash");
            tricky.put("comma, =>arrow", "");
            tricky.put("é中", null);
            tricky.put("", "empty key");
            for (boolean binary : new boolean[] {false, true}) {
                Row row = conn.cursor(binary).execute("SELECT %s::hstore -> 'quote\"d', %s, %s::hstore[], NULL::hstore,"
                        + " ('a=>1, b=>NULL')::hstore", tricky, tricky, Arrays.asList(tricky, null)).fetchOne();
                assertEquals("back\\slash", row.get(0), "the server read the map as given");
                assertEquals(tricky, row.get(1), "binary " + binary);
                assertEquals(Arrays.asList(tricky, null), row.get(2));
                assertNull(row.get(3));
                Map<String, String> ab = new LinkedHashMap<>();
                ab.put("a", "1");
                ab.put("b", null);
                assertEquals(ab, row.get(4));
            }
            conn.execute("CREATE TEMP TABLE hs (h hstore)");
            for (String format : new String[] {"", " (FORMAT binary)"}) {
                conn.execute("TRUNCATE hs");
                conn.cursor().copy("COPY hs FROM STDIN" + format, copy -> {
                    copy.setTypes("hstore");
                    copy.writeRow(tricky);
                });
                List<Object[]> back = new ArrayList<>();
                conn.cursor().copy("COPY hs TO STDOUT" + format, copy -> {
                    copy.setTypes("hstore");
                    for (Object[] r; (r = copy.readRow()) != null;) {
                        back.add(r);
                    }
                });
                assertArrayEquals(new Object[] {tricky}, back.get(0), "COPY" + format);
            }
        }
    }
}

package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.pqbridge.pq.PgBackend;
import io.pqbridge.types.JsonHooks;
import io.pqbridge.types.Jsonb;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JSON library hook (psycopg's {@code set_json_loads} / {@code set_json_dumps}): a parser and
 * a writer plugged into json and jsonb for one connection, in text and binary, parameters,
 * results, arrays and COPY; without them JSON stays text. A toy "library" stands in for a real one:
 * flat objects of string values as sorted maps.
 */
@Tag("server-matrix")
class JsonHooksTest {

    /** A flat JSON object of strings, as a sorted map (the toy library's parser). */
    private static Map<String, String> parse(String json) {
        Map<String, String> out = new TreeMap<>();
        String body = json.strip();
        body = body.substring(1, body.length() - 1).strip();
        if (!body.isEmpty()) {
            for (String pair : body.split(",")) {
                String[] kv = pair.split(":");
                out.put(kv[0].strip().replace("\"", ""), kv[1].strip().replace("\"", ""));
            }
        }
        return out;
    }

    private static String write(Map<?, ?> map) {
        StringBuilder s = new StringBuilder("{");
        map.forEach((k, v) -> s.append(s.length() > 1 ? ", " : "").append('"').append(k).append("\": \"").append(v)
                .append('"'));
        return s.append('}').toString();
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aPluggedLibraryReadsAndWritesJson(PgBackend backend) throws Exception {
        try (Connection conn = Db.connect(backend); Connection plain = Db.connect(backend)) {
            JsonHooks.setJsonLoads(conn.adapters(), JsonHooksTest::parse);
            JsonHooks.setJsonDumps(conn.adapters(), TreeMap.class, JsonHooksTest::write);
            TreeMap<String, String> doc = new TreeMap<>(Map.of("a", "1", "b", "two"));
            for (boolean binary : new boolean[] {false, true}) {
                Row row = conn.cursor(binary).execute("SELECT %s, '{\"x\": \"y\"}'::json, ARRAY[%s::jsonb], NULL::jsonb",
                        doc, doc).fetchOne();
                assertEquals(doc, row.get(0), "binary " + binary);
                assertEquals(Map.of("x", "y"), row.get(1));
                assertEquals(List.of(doc), row.get(2));
                assertNull(row.get(3));
            }
            assertEquals(new Jsonb("{\"a\": \"1\"}"), plain.execute("SELECT '{\"a\": \"1\"}'::jsonb").fetchOne().get(0),
                    "without the hook JSON stays text");

            conn.execute("CREATE TEMP TABLE docs (d jsonb)");
            for (String format : new String[] {"", " (FORMAT binary)"}) {
                conn.execute("TRUNCATE docs");
                conn.cursor().copy("COPY docs FROM STDIN" + format, copy -> {
                    copy.setTypes("jsonb");
                    copy.writeRow(doc);
                });
                List<Object[]> back = new ArrayList<>();
                conn.cursor().copy("COPY docs TO STDOUT" + format, copy -> {
                    copy.setTypes("jsonb");
                    for (Object[] r; (r = copy.readRow()) != null;) {
                        back.add(r);
                    }
                });
                assertArrayEquals(new Object[] {doc}, back.get(0), "COPY" + format);
            }
        }
    }
}

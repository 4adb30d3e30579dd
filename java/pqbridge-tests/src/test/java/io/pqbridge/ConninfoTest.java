package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.PgConninfoOption;
import io.pqbridge.test.TestDatabase;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * psycopg's {@code make_conninfo} and {@code conninfo_to_dict}: values quoted so that libpq reads
 * back exactly what was given, on both backends' parsers, and {@code Connection.connect(Map)}.
 */
class ConninfoTest {

    private static final String[] KEYWORDS = {"application_name", "options", "dbname", "user", "password",
        "fallback_application_name", "sslpassword", "service"};
    private static final String[] PIECES = {"a", "Z", "0", " ", "  ", "\t", "\n", "'", "\\", "\\'", "=", "''", "é",
        "中文", "\uD83D\uDE00", "\u00A0", "\u2003", "postgresql://", "x=y", "\"", "$", "%20", ","};

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void randomValuesComeBackAsGivenFromEitherParser(PgBackend backend) {
        Random random = new Random(20261206L);
        for (int round = 0; round < 2000; round++) {
            Map<String, String> params = new LinkedHashMap<>();
            int count = 1 + random.nextInt(4);
            for (int k = 0; k < count; k++) {
                StringBuilder value = new StringBuilder();
                int pieces = random.nextInt(6); // 0 pieces: the empty value
                for (int p = 0; p < pieces; p++) {
                    value.append(PIECES[random.nextInt(PIECES.length)]);
                }
                params.put(KEYWORDS[random.nextInt(KEYWORDS.length)], value.toString());
            }
            String built = Conninfo.makeConninfo(params);
            Map<String, String> parsed = new LinkedHashMap<>();
            for (PgConninfoOption option : backend.conninfoParse(built)) {
                if (option.value() != null) {
                    parsed.put(option.keyword(), option.value());
                }
            }
            assertEquals(params.size(), parsed.size(), built);
            for (Map.Entry<String, String> e : params.entrySet()) {
                assertEquals(e.getValue(), parsed.get(e.getKey()), "keyword " + e.getKey() + " in " + built);
            }
        }
    }

    @Test
    void valuesAreQuotedAsPsycopgQuotesThem() {
        assertEquals("''", Conninfo.quoted(""));
        assertEquals("abc", Conninfo.quoted("abc"));
        assertEquals("a\\'b", Conninfo.quoted("a'b"), "a quote is escaped, not quoted");
        assertEquals("'a b\\\\c'", Conninfo.quoted("a b\\c"));
        assertEquals("dbname=x application_name='my app' user=me", Conninfo.makeConninfo(map("dbname", "x",
                "application_name", "my app", "user", "me")));
    }

    @Test
    void parametersOverrideTheStringAndNullsAreLeftOut() {
        assertEquals("dbname=db host=h port=5433 user=me", Conninfo.makeConninfo("port=5432 host=h dbname=db",
                map("port", 5433, "user", "me", "password", null)));
        assertEquals("postgresql://h/db", Conninfo.makeConninfo("postgresql://h/db", map("user", null)),
                "without parameters the string is returned as it is");
        assertEquals(Map.of("host", "h", "dbname", "db", "port", "5"), Conninfo.conninfoToDict("postgresql://h:5/db"));
        assertEquals(java.util.List.of("dbname", "host", "port"),
                java.util.List.copyOf(Conninfo.conninfoToDict("dbname=db port=5 host=h").keySet()), "libpq's order");
    }

    @Test
    void anInvalidKeywordOrStringIsRefusedWithLibpqsMessage() {
        assertEquals("invalid connection option \"nosuch\"", assertThrows(ProgrammingException.class,
                () -> Conninfo.makeConninfo(map("nosuch", 1))).getMessage());
        assertEquals("missing \"=\" after \"host\" in connection info string", assertThrows(ProgrammingException.class,
                () -> Conninfo.conninfoToDict("host")).getMessage());
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void connectTakesTheParts(PgBackend backend) {
        Map<String, String> parts = new LinkedHashMap<>(Conninfo.conninfoToDict(TestDatabase.conninfo()));
        parts.put("application_name", "it's a \\ test");
        try (Connection conn = Connection.connect(backend, Conninfo.makeConninfo(parts))) {
            assertEquals("it's a \\ test", conn.execute("SHOW application_name").fetchOne().get(0));
        }
        try (Connection conn = Connection.connect(parts)) { // the JVM's backend
            assertEquals("it's a \\ test", conn.execute("SHOW application_name").fetchOne().get(0));
        }
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}

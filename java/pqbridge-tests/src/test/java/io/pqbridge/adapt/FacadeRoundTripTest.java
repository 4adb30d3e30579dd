package io.pqbridge.adapt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.Connection;
import io.pqbridge.Cursor;
import io.pqbridge.Row;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.TestDatabase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every value of {@link TypeCases} (every supported type, NULL elements in arrays, the extremes)
 * through the facade: as a bound parameter of {@code Cursor.execute}, and through COPY rows in
 * both directions, text and binary, with pinned types ({@code setTypes}) and, in text, without.
 * Lives beside {@link TypeCases} to share its table; only uses the public facade.
 */
class FacadeRoundTripTest {

    private static Connection session(PgBackend backend) {
        Connection conn = Connection.connect(backend, TestDatabase.conninfo());
        conn.setAutocommit(true);
        conn.execute("SET TimeZone TO 'UTC'; SET DateStyle TO ISO; SET IntervalStyle TO postgres");
        return conn;
    }

    /** The cases grouped by PostgreSQL type, in table order. */
    private static Map<String, List<TypeCases.Case>> byType() {
        Map<String, List<TypeCases.Case>> out = new LinkedHashMap<>();
        for (TypeCases.Case c : TypeCases.all()) {
            out.computeIfAbsent(c.type(), k -> new ArrayList<>()).add(c);
        }
        return out;
    }

    private static String table(String type) {
        return "rt_" + type.replaceAll("[^a-z0-9]", "_");
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void everyTypeAsAParameter(PgBackend backend) {
        List<String> failures = new ArrayList<>();
        try (Connection conn = session(backend)) {
            for (TypeCases.Case c : TypeCases.all()) {
                for (String placeholder : new String[] {"%s", "%t", "%b"}) {
                    try {
                        Row row = conn.execute("SELECT " + placeholder + "::" + c.type() + ", (" + placeholder + "::"
                                + c.type() + ")::text", c.value(), c.value())
                                .fetchOne();
                        check(failures, c + " " + placeholder, c, row.get(0), row.get(1));
                    } catch (RuntimeException e) {
                        failures.add(c + " " + placeholder + ": " + e);
                    }
                }
            }
            Row nulls = conn.execute("SELECT %s::int4, %s::text, %s::int4 IS NULL", null, null, null).fetchOne();
            if (nulls.get(0) != null || nulls.get(1) != null || !nulls.getBoolean(2)) {
                failures.add("NULL parameters: " + nulls);
            }
        }
        assertTrue(failures.isEmpty(), () -> failures.size() + " failures:\n" + String.join("\n", failures));
    }

    /** A binary cursor loads the same Java values as a text one, for every type of the table, prepared or not. */
    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void everyTypeAsABinaryResult(PgBackend backend) {
        List<String> failures = new ArrayList<>();
        try (Connection conn = session(backend)) {
            conn.setPrepareThreshold(1);
            Cursor binary = conn.cursor(true);
            Cursor text = conn.cursor();
            for (TypeCases.Case c : TypeCases.all()) {
                String sql = "SELECT %s::" + c.type() + ", (%s::" + c.type() + ")::text";
                for (int run = 0; run < 2; run++) { // the second run is prepared
                    try {
                        Row row = binary.execute(sql, c.value(), c.value()).fetchOne();
                        check(failures, c + " binary result, run " + run, c, row.get(0), row.get(1));
                        Object fromText = text.execute(sql, c.value(), c.value()).fetchOne().get(0);
                        if (!Values.same(fromText, row.get(0))) {
                            failures.add(c + ": binary " + Values.show(row.get(0)) + ", text " + Values.show(fromText));
                        }
                    } catch (RuntimeException e) {
                        failures.add(c + " binary result, run " + run + ": " + e);
                    }
                }
            }
            Row noParams = binary.execute("SELECT 42::int8, 'x'::bytea").fetchOne();
            if (!Long.valueOf(42).equals(noParams.get(0)) || !(noParams.get(1) instanceof byte[] b && b.length == 1)) {
                failures.add("binary without parameters: " + noParams);
            }
            if (!binary.isBinary() || text.isBinary()) {
                failures.add("isBinary");
            }
        }
        assertTrue(failures.isEmpty(), () -> failures.size() + " failures:\n" + String.join("\n", failures));
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void everyTypeThroughCopyRows(PgBackend backend) {
        List<String> failures = new ArrayList<>();
        try (Connection conn = session(backend)) {
            Map<String, List<TypeCases.Case>> types = byType();
            for (String type : types.keySet()) {
                conn.execute("CREATE TEMP TABLE " + table(type) + " (n int4, v " + type + ")");
            }
            for (String format : new String[] {"TEXT", "BINARY"}) {
                for (boolean pinned : format.equals("TEXT") ? new boolean[] {true, false} : new boolean[] {true}) {
                    String how = format + (pinned ? " with setTypes" : " without setTypes");
                    for (Map.Entry<String, List<TypeCases.Case>> e : types.entrySet()) {
                        copyIn(conn, e.getKey(), e.getValue(), format, pinned, how, failures);
                        copyOut(conn, e.getKey(), e.getValue(), format, pinned, how, failures);
                        copyOut(conn, e.getKey(), e.getValue(), format.equals("TEXT") ? "BINARY" : "TEXT", pinned
                                || format.equals("TEXT"), how + ", read back in the other format", failures);
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), () -> failures.size() + " failures:\n" + String.join("\n", failures));
    }

    /** Writes every case of the type (and a NULL) with writeRow, then checks what the server stored. */
    private static void copyIn(Connection conn, String type, List<TypeCases.Case> cases, String format,
            boolean pinned, String how, List<String> failures) {
        String table = table(type);
        conn.execute("TRUNCATE " + table);
        try {
            conn.cursor().copy("COPY " + table + " FROM STDIN (FORMAT " + format + ")", copy -> {
                if (pinned) {
                    copy.setTypes("int4", type);
                }
                for (int i = 0; i < cases.size(); i++) {
                    copy.writeRow(i, cases.get(i).value());
                }
                copy.writeRow(Arrays.asList(cases.size(), null));
            });
        } catch (RuntimeException e) {
            failures.add(type + " COPY IN " + how + ": " + e);
            return;
        }
        List<Row> stored = conn.execute("SELECT v::text, v IS NULL FROM " + table + " ORDER BY n").fetchAll();
        for (int i = 0; i < cases.size(); i++) {
            TypeCases.Case c = cases.get(i);
            if (!c.serverText().equals(stored.get(i).get(0))) {
                failures.add(c + " COPY IN " + how + ": stored '" + stored.get(i).get(0) + "', expected '"
                        + c.serverText() + "'");
            }
        }
        if (!stored.get(cases.size()).getBoolean(1)) {
            failures.add(type + " COPY IN " + how + ": NULL stored as " + stored.get(cases.size()).get(0));
        }
    }

    /**
     * Reads the stored values back with readRow: typed with setTypes, else the type's output text
     * (text COPY), which {@code concat(v)} also gives ({@code v::text} differs for bool).
     */
    private static void copyOut(Connection conn, String type, List<TypeCases.Case> cases, String format,
            boolean pinned, String how, List<String> failures) {
        List<Row> output = conn.execute("SELECT concat(v) FROM " + table(type) + " ORDER BY n").fetchAll();
        List<Object[]> rows = new ArrayList<>();
        try {
            conn.cursor().copy("COPY (SELECT v FROM " + table(type) + " ORDER BY n) TO STDOUT (FORMAT " + format + ")",
                    copy -> {
                        if (pinned) {
                            copy.setTypes(type);
                        }
                        copy.rows().forEach(rows::add);
                    });
        } catch (RuntimeException e) {
            failures.add(type + " COPY OUT " + how + ": " + e);
            return;
        }
        for (int i = 0; i < cases.size(); i++) {
            TypeCases.Case c = cases.get(i);
            Object expected = pinned ? c.loaded() : output.get(i).get(0);
            if (!Values.same(expected, rows.get(i)[0])) {
                failures.add(c + " COPY OUT " + how + ": read " + Values.show(rows.get(i)[0]) + ", expected "
                        + Values.show(expected));
            }
        }
        if (rows.get(cases.size())[0] != null) {
            failures.add(type + " COPY OUT " + how + ": NULL read as " + Values.show(rows.get(cases.size())[0]));
        }
    }

    private static void check(List<String> failures, String what, TypeCases.Case c, Object loaded, Object text) {
        if (!Values.same(c.loaded(), loaded)) {
            failures.add(what + ": loaded " + Values.show(loaded) + ", expected " + Values.show(c.loaded()));
        }
        if (!c.serverText().equals(text)) {
            failures.add(what + ": server read it as '" + text + "', expected '" + c.serverText() + "'");
        }
    }
}

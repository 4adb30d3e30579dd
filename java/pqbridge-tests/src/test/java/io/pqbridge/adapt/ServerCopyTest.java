package io.pqbridge.adapt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgDiagField;
import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgResult;
import io.pqbridge.test.Spi;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rows written by {@link CopyRowWriter} load into real tables (text and binary), and COPY OUT rows
 * parsed by {@link CopyRowReader} give the same values back, for every type of {@link TypeCases}.
 */
class ServerCopyTest {

    private static final String BACKENDS = "io.pqbridge.test.Backends#all";

    /** Sends COPY FROM STDIN and the writer's rows; returns the final result. */
    static PgResult copyIn(PgConn conn, String sql, CopyRowWriter writer, List<Object[]> rows) {
        PgResult start = Spi.results(conn, sql).get(0);
        assertEquals(PgExecStatus.COPY_IN, start.status(), start::errorMessage);
        assertEquals(writer.isBinary(), start.binaryTuples());
        for (Object[] row : rows) {
            writer.writeRow(row);
            if (writer.isFull()) {
                assertEquals(1, conn.putCopyData(writer.array(), 0, writer.size()));
                writer.clear();
            }
        }
        writer.finish();
        assertEquals(1, conn.putCopyData(writer.array(), 0, writer.size()));
        writer.clear();
        assertEquals(1, conn.putCopyEnd(null));
        PgResult end = conn.getResult();
        assertNull(conn.getResult());
        return end;
    }

    /** Runs COPY TO STDOUT and parses every message with the reader, up to its end. */
    static List<Object[]> copyOut(PgConn conn, String sql, CopyRowReader reader) {
        PgResult start = Spi.results(conn, sql).get(0);
        assertEquals(PgExecStatus.COPY_OUT, start.status(), start::errorMessage);
        List<Object[]> rows = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
        int[] lengths = new int[256];
        boolean trailer = false;
        for (;;) {
            buf.clear();
            int n = conn.getCopyData(buf, lengths);
            if (n == PgConn.COPY_END) {
                break;
            }
            assertTrue(n > 0, conn::errorMessage);
            int at = 0;
            for (int i = 0; i < n; i++) {
                ByteBuffer message = buf.duplicate().position(at).limit(at + lengths[i]);
                at += lengths[i];
                Object[] row = reader.parseRow(message);
                if (row == null) {
                    trailer = true;
                } else {
                    rows.add(row);
                }
            }
        }
        assertEquals(reader.isBinary(), trailer, "the binary stream ends with the trailer");
        PgResult end = conn.getResult();
        assertEquals(PgExecStatus.COMMAND_OK, end.status(), end::errorMessage);
        assertNull(conn.getResult());
        return rows;
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void everyTypeThroughCopyInAndOut(PgBackend backend) {
        Map<String, List<TypeCases.Case>> byType = new LinkedHashMap<>();
        for (TypeCases.Case c : TypeCases.all()) {
            byType.computeIfAbsent(c.type(), k -> new ArrayList<>()).add(c);
        }
        List<String> failures = new ArrayList<>();
        try (PgConn conn = ServerRoundTripTest.session(backend, "UTC")) {
            AdaptContext ctx = AdaptContext.of(conn);
            int table = 0;
            for (Map.Entry<String, List<TypeCases.Case>> e : byType.entrySet()) {
                String type = e.getKey();
                List<TypeCases.Case> cases = e.getValue();
                for (boolean binary : new boolean[] {false, true}) {
                    String t = "copy_rt_" + table++;
                    Spi.ok(conn, "CREATE TEMP TABLE " + t + " (id int4, v " + type + ")");
                    List<Object[]> rows = new ArrayList<>();
                    for (int i = 0; i < cases.size(); i++) {
                        rows.add(new Object[] {i, cases.get(i).value()});
                    }
                    rows.add(new Object[] {cases.size(), null});
                    CopyRowWriter writer = CopyRowWriter.create(binary);
                    if (binary) {
                        writer.setTypes("int4", type);   // binary COPY applies no casts
                    }
                    String format = binary ? " (FORMAT binary)" : "";
                    PgResult in = copyIn(conn, "COPY " + t + " FROM STDIN" + format, writer, rows);
                    if (in.status() != PgExecStatus.COMMAND_OK) {
                        failures.add(type + (binary ? " binary" : " text") + " COPY IN: " + in.errorMessage());
                        continue;
                    }
                    assertEquals("COPY " + rows.size(), in.cmdStatus());

                    // what the server stored, read back with a plain query
                    PgResult stored = Spi.ok(conn, "SELECT v, v::text FROM " + t + " ORDER BY id");
                    RowLoader loader = RowLoader.of(stored, ctx);
                    for (int i = 0; i < cases.size(); i++) {
                        TypeCases.Case c = cases.get(i);
                        Object loaded = loader.load(stored, i, 0);
                        if (!Values.same(c.loaded(), loaded) || !c.serverText().equals(loader.load(stored, i, 1))) {
                            failures.add(c + (binary ? " binary" : " text") + " COPY IN stored "
                                    + Values.show(loader.load(stored, i, 1)));
                        }
                    }
                    assertNull(loader.load(stored, cases.size(), 0));

                    // and COPY OUT in both formats, parsed with pinned types and without
                    for (boolean outBinary : new boolean[] {false, true}) {
                        CopyRowReader reader = CopyRowReader.create(outBinary, ctx);
                        reader.setTypes("int4", type);
                        String out = "COPY (SELECT id, v FROM " + t + " ORDER BY id) TO STDOUT"
                                + (outBinary ? " (FORMAT binary)" : "");
                        List<Object[]> got = copyOut(conn, out, reader);
                        assertEquals(rows.size(), got.size());
                        for (int i = 0; i < cases.size(); i++) {
                            if (!Values.same(cases.get(i).loaded(), got.get(i)[1]) || !got.get(i)[0].equals(i)) {
                                failures.add(cases.get(i) + " COPY OUT " + (outBinary ? "binary" : "text") + " gave "
                                        + Values.show(got.get(i)[1]));
                            }
                        }
                        assertNull(got.get(cases.size())[1]);
                    }
                    CopyRowReader untyped = CopyRowReader.create(false, ctx);
                    List<Object[]> texts = copyOut(conn, "COPY (SELECT v FROM " + t + " ORDER BY id) TO STDOUT", untyped);
                    for (int i = 0; i < cases.size(); i++) {
                        // the output function's text; only bool's differs from its ::text cast
                        String output = type.equals("bool") ? (Boolean) cases.get(i).value() ? "t" : "f"
                                : cases.get(i).serverText();
                        if (!output.equals(texts.get(i)[0])) {
                            failures.add(cases.get(i) + " untyped COPY OUT gave " + Values.show(texts.get(i)[0]));
                        }
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), () -> failures.size() + " failures:\n" + String.join("\n", failures));
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void binaryCopyAppliesNoCastSoUnpinnedValuesMustMatchTheColumn(PgBackend backend) {
        try (PgConn conn = ServerRoundTripTest.session(backend, "UTC")) {
            Spi.ok(conn, "CREATE TEMP TABLE wide (v int8)");
            CopyRowWriter unpinned = CopyRowWriter.create(true);
            PgResult r = copyIn(conn, "COPY wide FROM STDIN (FORMAT binary)", unpinned, List.<Object[]>of(new Object[] {100}));
            assertEquals(PgExecStatus.FATAL_ERROR, r.status());
            // psycopg observed the same: ProtocolViolation "insufficient data left in message"
            assertEquals("08P01", r.errorField(PgDiagField.SQLSTATE), r.errorMessage());
            assertTrue(r.errorMessage().contains("insufficient data left in message"), r.errorMessage());
            CopyRowWriter pinned = CopyRowWriter.create(true);
            pinned.setTypes("int8");
            r = copyIn(conn, "COPY wide FROM STDIN (FORMAT binary)", pinned, List.<Object[]>of(new Object[] {100}));
            assertEquals(PgExecStatus.COMMAND_OK, r.status(), r.errorMessage());
            // in text the server casts whatever it is given
            Spi.ok(conn, "CREATE TEMP TABLE loose (i int8, f float8)");
            CopyRowWriter text = CopyRowWriter.create(false);
            r = copyIn(conn, "COPY loose FROM STDIN", text, List.of(new Object[] {"2", 3.0},
                    new Object[] {(short) 4, "5.5"}, new Object[] {3, 2}));
            assertEquals("COPY 3", r.cmdStatus(), r.errorMessage());
            assertEquals("9 10.5", Spi.ok(conn, "SELECT sum(i) || ' ' || sum(f) FROM loose").text(0, 0));
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void manyRowsInChunks(PgBackend backend) {
        try (PgConn conn = ServerRoundTripTest.session(backend, "UTC")) {
            AdaptContext ctx = AdaptContext.of(conn);
            Spi.ok(conn, "CREATE TEMP TABLE big (id int8, name text, amount numeric, at timestamptz)");
            for (boolean binary : new boolean[] {false, true}) {
                Spi.ok(conn, "TRUNCATE big");
                List<Object[]> rows = new ArrayList<>();
                java.time.OffsetDateTime base = java.time.OffsetDateTime.parse("2020-01-01T00:00:00Z");
                for (int i = 0; i < 20_000; i++) {
                    rows.add(new Object[] {(long) i, "name\t" + i, java.math.BigDecimal.valueOf(i, 2),
                        base.plusSeconds(i)});
                }
                CopyRowWriter writer = CopyRowWriter.create(binary);
                writer.setTypes("int8", "text", "numeric", "timestamptz");
                PgResult in = copyIn(conn, "COPY big FROM STDIN" + (binary ? " (FORMAT binary)" : ""), writer, rows);
                assertEquals("COPY 20000", in.cmdStatus(), in.errorMessage());
                CopyRowReader reader = CopyRowReader.create(binary, ctx);
                reader.setTypes("int8", "text", "numeric", "timestamptz");
                List<Object[]> out = copyOut(conn, "COPY (SELECT * FROM big ORDER BY id) TO STDOUT"
                        + (binary ? " (FORMAT binary)" : ""), reader);
                assertEquals(rows.size(), out.size());
                for (int i = 0; i < rows.size(); i++) {
                    assertTrue(java.util.Arrays.equals(rows.get(i), out.get(i)), () -> "row differs");
                }
            }
        }
    }
}

package io.pqbridge.adapt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgResult;
import io.pqbridge.test.Spi;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The float4/float8 text that {@link FloatOut} writes is the server's own: random bit patterns of
 * every kind are stored through binary COPY (so the server holds exactly those bits), and the
 * server's {@code float8out}/{@code float4out} text of each (extra_float_digits = 1) must equal
 * ours; the same values sent through text COPY must store the same bits (a NaN's payload aside).
 */
class ServerFloatTextTest {

    private static final String BACKENDS = "io.pqbridge.test.Backends#all";
    private static final int VALUES = 4000;

    private static List<Object[]> rows() {
        Random random = new Random(20261206);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < VALUES; i++) {
            double d = switch (i % 5) {
                case 0 -> Double.longBitsToDouble(random.nextLong());                         // any, NaNs too
                case 1 -> Double.longBitsToDouble(random.nextLong() & 0x800F_FFFF_FFFF_FFFFL); // subnormal
                case 2 -> (double) (random.nextLong() >> 11);                                 // integer
                case 3 -> random.nextDouble() * 1e6;
                default -> Math.scalb(1.0, random.nextInt(2098) - 1074) * (random.nextBoolean() ? 1 : -1);
            };
            float f = i % 2 == 0 ? Float.intBitsToFloat(random.nextInt()) : (float) d;
            rows.add(new Object[] {i, d, f});
        }
        rows.add(new Object[] {VALUES, Double.MIN_VALUE, Float.MIN_VALUE});
        rows.add(new Object[] {VALUES + 1, -0.0, -0.0f});
        // halfway cases: 1e23 and 39576992 lie exactly between two neighbours' midpoints
        rows.add(new Object[] {VALUES + 2, 1e23, 39576992f});
        rows.add(new Object[] {VALUES + 3, 2e23, 1e23f});
        return rows;
    }

    private static String ours(Object v) {
        ByteSink out = new ByteSink(32);
        if (v instanceof Float f) {
            FloatOut.putFloat(out, f);
        } else {
            FloatOut.putDouble(out, (Double) v);
        }
        return new String(out.array(), 0, out.size(), StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void ourTextIsTheServersAndReadsBackToTheSameBits(PgBackend backend) {
        List<Object[]> rows = rows();
        try (PgConn conn = ServerRoundTripTest.session(backend, "UTC")) {
            Spi.ok(conn, "SET extra_float_digits TO 1");
            for (String table : new String[] {"floats_binary", "floats_text"}) {
                Spi.ok(conn, "CREATE TEMP TABLE " + table + " (id int4, d float8, f float4)");
                boolean binary = table.equals("floats_binary");
                CopyRowWriter writer = CopyRowWriter.create(binary);
                writer.setTypes("int4", "float8", "float4");
                PgResult in = ServerCopyTest.copyIn(conn, "COPY " + table + " FROM STDIN" + (binary ? " (FORMAT binary)" : ""),
                        writer, rows);
                assertEquals(PgExecStatus.COMMAND_OK, in.status(), in::errorMessage);
            }
            PgResult stored = Spi.ok(conn, "SELECT d::text, f::text FROM floats_binary ORDER BY id");
            assertEquals(rows.size(), stored.ntuples());
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                for (int column = 0; column < 2; column++) {
                    Object v = rows.get(i)[column + 1];
                    String server = stored.text(i, column);
                    if (!server.equals(ours(v))) {
                        failures.add(v + ": the server prints " + server + ", we write " + ours(v));
                    }
                }
            }
            assertTrue(failures.isEmpty(), () -> failures.size() + " differ:\n" + String.join("\n", failures));
            PgResult differing = Spi.ok(conn, "SELECT count(*) FROM floats_binary b JOIN floats_text t USING (id)"
                    + " WHERE float8send(b.d) <> float8send(t.d) AND NOT (b.d = 'NaN' AND t.d = 'NaN')"
                    + " OR float4send(b.f) <> float4send(t.f) AND NOT (b.f = 'NaN' AND t.f = 'NaN')");   // NaN payloads
            assertEquals("0", differing.text(0, 0), "values whose text COPY stored other bits than binary COPY");
        }
    }
}

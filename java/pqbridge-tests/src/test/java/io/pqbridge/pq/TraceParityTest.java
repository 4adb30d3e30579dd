package io.pqbridge.pq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pqbridge.test.Spi;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The java backend traces a conversation with the very lines libpq's own {@code PQtrace} writes
 * for it on the native backend: the same SPI calls on both, traced with timestamps suppressed and
 * in regress mode (which masks what varies: object ids, the backend's process id, an error's
 * source position), compared line by line; where the native backend's libpq writes COPY's lines
 * otherwise, the java backend's are first rewritten as that libpq writes them
 * ({@link LibpqDifferences}). The conversation has a simple and an extended query, an
 * error, a notice, a notification, COPY IN and COPY OUT, and ends with the trace stopped.
 */
@Tag("server-matrix")
@Tag("libpq-matrix")
@Tag("native")
class TraceParityTest {


    @Test
    void theJavaBackendWritesLibpqsTraceLines() {
        assumeTrue(Pq.availableBackends().containsAll(List.of("native", "java")), "needs both backends");
        String expected = LibpqDifferences.nativeAsJava(traced(Pq.backend("native")));
        String actual = LibpqDifferences.javaAsNative(traced(Pq.backend("java")));
        assertTrue(expected.split("\n").length > 30, "libpq traced the whole conversation:\n" + expected);
        assertEquals(expected, actual);
    }

    private static String traced(PgBackend backend) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PgConn conn = Spi.connect(backend)) {
            Spi.ok(conn, "CREATE TEMP TABLE traced (n int, t text)");
            conn.trace(out, PgConn.TRACE_SUPPRESS_TIMESTAMPS | PgConn.TRACE_REGRESS_MODE);
            Spi.ok(conn, "SELECT 1 AS one, 'two' AS two, NULL AS three");
            Spi.results(conn, "SELECT 1/0");
            Spi.ok(conn, "DO $$BEGIN RAISE NOTICE 'a notice with \"quotes\"'; END$$");
            Spi.ok(conn, "LISTEN traced; NOTIFY traced, 'payload'");
            assertTrue(conn.sendQueryParams("SELECT $1::int + 1, $2::text", null,
                    new byte[][] {"41".getBytes(StandardCharsets.UTF_8), null}, null, 0));
            Spi.drain(conn);
            Spi.results(conn, "COPY traced FROM STDIN");
            byte[] rows = "1\tone\n2\ttwo\\twith tab\n".getBytes(StandardCharsets.UTF_8);
            assertEquals(1, conn.putCopyData(rows, 0, rows.length));
            assertEquals(1, conn.putCopyEnd(null));
            Spi.drain(conn);
            Spi.results(conn, "COPY traced TO STDOUT");
            Spi.copyOutMessages(conn);
            Spi.drain(conn);
            conn.trace(null, 0);
            Spi.ok(conn, "SELECT 'after the trace'");
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(!text.contains("after the trace"), "nothing is traced once the trace is stopped:\n" + text);
        return text;
    }
}

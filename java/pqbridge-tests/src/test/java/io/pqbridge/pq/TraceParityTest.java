package io.pqbridge.pq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pqbridge.test.Spi;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The java backend traces a conversation with the very lines libpq's own {@code PQtrace} writes
 * for it on the native backend: the same SPI calls on both, traced with timestamps suppressed and
 * in regress mode (which masks what varies: object ids, the backend's process id, an error's
 * source position), compared line by line; on a libpq older than 18, whose COPY lines differ, the
 * java backend's are first rewritten as that libpq writes them. The conversation has a simple and an extended query, an
 * error, a notice, a notification, COPY IN and COPY OUT, and ends with the trace stopped.
 */
@Tag("server-matrix")
@Tag("libpq-matrix")
@Tag("native")
class TraceParityTest {

    private static final Pattern COPY_DATA = Pattern.compile("([FB])\t(\\d+)\tCopyData\t.*");

    @Test
    void theJavaBackendWritesLibpqsTraceLines() {
        assumeTrue(Pq.availableBackends().containsAll(List.of("native", "java")), "needs both backends");
        PgBackend nativeBackend = Pq.backend("native");
        List<String> expected = traced(nativeBackend);
        List<String> actual = traced(Pq.backend("java"));
        if (nativeBackend.libpqVersion() < 180000) {
            actual = asAnOlderLibpqWritesIt(actual);
        }
        assertTrue(expected.size() > 30, "libpq traced the whole conversation: " + expected);
        assertEquals(String.join("\n", expected), String.join("\n", actual));
    }

    /**
     * The java backend's lines (libpq 18's) as libpq 15 writes the same conversation: no line for
     * a CopyData received, and for one sent only direction and length, then a complaint about the
     * length. Every other line is compared as it is. Checked against libpq 15.18; 16 and 17 are
     * not in the test matrix.
     */
    private static List<String> asAnOlderLibpqWritesIt(List<String> lines) {
        List<String> older = new ArrayList<>();
        for (String line : lines) {
            Matcher copyData = COPY_DATA.matcher(line);
            if (!copyData.matches()) {
                older.add(line);
            } else if (copyData.group(1).equals("F")) {
                older.add("F\t" + copyData.group(2) + "\t");
                older.add("mismatched message length: consumed 4, expected " + copyData.group(2));
            }
        }
        return older;
    }

    private static List<String> traced(PgBackend backend) {
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
        return Arrays.asList(text.split("\n"));
    }
}

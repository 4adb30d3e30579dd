package io.pqbridge.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgConnStatus;
import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Small SPI-level helpers for tests: connect, run a statement to completion, drain a COPY. */
public final class Spi {

    private Spi() {
    }

    /** A connection to the test database that must succeed. */
    public static PgConn connect(PgBackend backend) {
        return connect(backend, TestDatabase.conninfo());
    }

    public static PgConn connect(PgBackend backend, String conninfo) {
        PgConn conn = backend.connect(conninfo);
        assertEquals(PgConnStatus.OK, conn.status(), () -> backend.name() + ": " + conn.errorMessage());
        return conn;
    }

    /**
     * Sends {@code sql} and collects its results up to the final null, stopping early at a COPY
     * result (which is then the last element).
     */
    public static List<PgResult> results(PgConn conn, String sql) {
        assertTrue(conn.sendQuery(sql), () -> "sendQuery refused: " + conn.errorMessage());
        return drain(conn);
    }

    /** Collects results up to the final null, stopping early at a COPY result (libpq hands it out again and again). */
    public static List<PgResult> drain(PgConn conn) {
        List<PgResult> results = new ArrayList<>();
        PgResult r;
        while ((r = conn.getResult()) != null) {
            results.add(r);
            if (r.status().isCopy()) {
                break;
            }
        }
        return results;
    }

    /** Runs one statement that must succeed, returning its last result. */
    public static PgResult ok(PgConn conn, String sql) {
        List<PgResult> results = results(conn, sql);
        PgResult last = results.get(results.size() - 1);
        assertTrue(last.status() == PgExecStatus.COMMAND_OK || last.status() == PgExecStatus.TUPLES_OK,
                () -> "'" + sql + "' failed: " + last.errorMessage());
        return last;
    }

    /** Reads a COPY OUT to its end, returning each message as text; the final result is not read. */
    public static List<String> copyOutMessages(PgConn conn) {
        List<String> messages = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
        int[] lengths = new int[1024];
        for (;;) {
            buf.clear();
            int n = conn.getCopyData(buf, lengths);
            if (n == PgConn.COPY_END) {
                return messages;
            }
            assertTrue(n > 0, () -> "getCopyData failed: " + n + " " + conn.errorMessage());
            buf.flip();
            for (int i = 0; i < n; i++) {
                byte[] bytes = new byte[lengths[i]];
                buf.get(bytes);
                messages.add(new String(bytes, StandardCharsets.ISO_8859_1));
            }
        }
    }
}

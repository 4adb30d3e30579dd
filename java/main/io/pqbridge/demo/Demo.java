package io.pqbridge.demo;

import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgConnStatus;
import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.Pq;
import io.pqbridge.testing.ThrowawayPostgres;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The main job, shown end to end: start a throwaway PostgreSQL (or use the conninfo given as the
 * first argument), then on every backend that loads, load one million rows with COPY FROM STDIN
 * and unload them with COPY TO STDOUT, printing what happened and how fast.
 */
public final class Demo {

    private static final int ROWS = Integer.getInteger("pqbridge.demo.rows", 1_000_000);

    private Demo() {
    }

    public static void main(String[] args) {
        ThrowawayPostgres server = null;
        String conninfo;
        if (args.length > 0) {
            conninfo = args[0];
        } else {
            long t0 = System.nanoTime();
            server = ThrowawayPostgres.start();
            conninfo = server.conninfo();
            System.out.printf(Locale.ROOT, "started a throwaway PostgreSQL in %.1f s (%s)%n", seconds(t0), server);
        }
        try {
            System.out.println("backends available: " + Pq.availableBackends());
            for (String name : Pq.availableBackends()) {
                run(Pq.backend(name), conninfo);
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private static void run(PgBackend backend, String conninfo) {
        System.out.println();
        System.out.println("== backend " + backend.name() + " (libpq " + backend.libpqVersion() + ")");
        try (PgConn conn = backend.connect(conninfo)) {
            if (conn.status() != PgConnStatus.OK) {
                throw new IllegalStateException("connection failed: " + conn.errorMessage());
            }
            System.out.println("connected to PostgreSQL " + conn.parameterStatus("server_version") + ", backend pid "
                    + conn.backendPid());
            exec(conn, "DROP TABLE IF EXISTS pqbridge_demo");
            exec(conn, "CREATE UNLOGGED TABLE pqbridge_demo (id int8, name text, score float8, at timestamptz, n int4)");

            long t0 = System.nanoTime();
            start(conn, "COPY pqbridge_demo FROM STDIN", PgExecStatus.COPY_IN);
            ByteBuffer chunk = ByteBuffer.allocateDirect(128 * 1024);
            long bytes = 0;
            for (int i = 1; i <= ROWS; i++) {
                byte[] row = ("" + i + "\tname-" + (i % 1000) + "-abcdefghij\t" + (i * 0.25) + "\t2024-01-01 00:00:00+00\t"
                        + (i % 100) + "\n").getBytes(StandardCharsets.UTF_8);
                if (chunk.remaining() < row.length) {
                    bytes += put(conn, chunk);
                }
                chunk.put(row);
            }
            bytes += put(conn, chunk);
            if (conn.putCopyEnd(null) != 1) {
                throw new IllegalStateException("ending COPY failed: " + conn.errorMessage());
            }
            PgResult end = finish(conn);
            report("COPY FROM STDIN", end.cmdStatus(), bytes, t0);

            t0 = System.nanoTime();
            start(conn, "COPY pqbridge_demo TO STDOUT", PgExecStatus.COPY_OUT);
            ByteBuffer out = ByteBuffer.allocateDirect(256 * 1024);
            int[] lengths = new int[8192];
            long messages = 0;
            bytes = 0;
            int n;
            while (true) {
                out.clear();
                n = conn.getCopyData(out, lengths);
                if (n <= 0) {
                    break;
                }
                messages += n;
                bytes += out.position();
            }
            if (n != PgConn.COPY_END) {
                throw new IllegalStateException("reading COPY failed: " + conn.errorMessage());
            }
            end = finish(conn);
            report("COPY TO STDOUT", end.cmdStatus() + ", " + messages + " messages", bytes, t0);
            exec(conn, "DROP TABLE pqbridge_demo");
        }
    }

    private static long put(PgConn conn, ByteBuffer chunk) {
        chunk.flip();
        int size = chunk.remaining();
        if (conn.putCopyData(chunk) != 1) {
            throw new IllegalStateException("sending COPY data failed: " + conn.errorMessage());
        }
        chunk.clear();
        return size;
    }

    private static void start(PgConn conn, String sql, PgExecStatus expected) {
        if (!conn.sendQuery(sql)) {
            throw new IllegalStateException(sql + ": " + conn.errorMessage());
        }
        PgResult r = conn.getResult();
        if (r == null || r.status() != expected) {
            throw new IllegalStateException(sql + ": " + (r == null ? conn.errorMessage() : r.errorMessage()));
        }
    }

    private static PgResult finish(PgConn conn) {
        PgResult last = null;
        for (PgResult r = conn.getResult(); r != null; r = conn.getResult()) {
            if (r.status() == PgExecStatus.FATAL_ERROR) {
                throw new IllegalStateException(r.errorMessage());
            }
            last = r;
        }
        return last;
    }

    private static void exec(PgConn conn, String sql) {
        if (!conn.sendQuery(sql)) {
            throw new IllegalStateException(sql + ": " + conn.errorMessage());
        }
        finish(conn);
    }

    private static void report(String what, String tag, long bytes, long t0) {
        double s = seconds(t0);
        System.out.printf(Locale.ROOT, "%-16s %-28s %6.2f s  %,12.0f rows/s  %7.1f MB/s%n", what, tag, s, ROWS / s,
                bytes / s / 1e6);
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}

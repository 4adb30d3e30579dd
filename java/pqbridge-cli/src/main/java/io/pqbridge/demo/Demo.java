package io.pqbridge.demo;

import io.pqbridge.Connection;
import io.pqbridge.Copy;
import io.pqbridge.Cursor;
import io.pqbridge.errors.PqException;
import io.pqbridge.Rollback;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.Pq;
import io.pqbridge.testing.ThrowawayPostgres;
import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The main job, shown end to end with the public API: start a throwaway PostgreSQL (or use the
 * conninfo given as the first argument), then on every backend that loads:
 * <ol>
 *   <li>load one million rows with COPY FROM STDIN ({@code writeRow}) and unload them with COPY TO
 *       STDOUT ({@code readInto}), printing how fast;</li>
 *   <li>play the three situations of psycopg issue #1008 (a COPY TO STDOUT left before its end)
 *       and print what the connection does after each.</li>
 * </ol>
 */
public final class Demo {

    private static final int ROWS = Integer.getInteger("pqbridge.demo.rows", 1_000_000);
    private static final String UNLOAD = "COPY pqbridge_demo TO STDOUT";

    private Demo() {
    }

    /**
     * Runs the demo, printing to the standard output.
     *
     * @param args optionally a conninfo of the server to use; without it a throwaway server is
     *     started and removed at the end
     */
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
                PgBackend backend = Pq.backend(name);
                System.out.println();
                System.out.println("== backend " + backend.name() + " (libpq " + backend.libpqVersion() + ")");
                loadAndUnload(backend, conninfo);
                issue1008(backend, conninfo);
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private static void loadAndUnload(PgBackend backend, String conninfo) {
        try (Connection conn = Connection.connect(backend, conninfo)) {
            conn.setAutocommit(true);
            System.out.println("connected to PostgreSQL " + conn.info().parameterStatus("server_version")
                    + ", backend pid " + conn.info().backendPid());
            conn.execute("DROP TABLE IF EXISTS pqbridge_demo");
            conn.execute("CREATE UNLOGGED TABLE pqbridge_demo (id int8, name text, score float8, at timestamptz, n int4)");

            Cursor cur = conn.cursor();
            OffsetDateTime at = OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
            long t0 = System.nanoTime();
            cur.copy("COPY pqbridge_demo FROM STDIN", copy -> {
                for (long i = 1; i <= ROWS; i++) {
                    copy.writeRow(i, "name-" + (i % 1000) + "-abcdefghij", i * 0.25, at, (int) (i % 100));
                }
            });
            report("COPY FROM STDIN", cur.statusMessage(), -1, t0);

            t0 = System.nanoTime();
            long[] bytes = {0};
            cur.copy(UNLOAD, copy -> {
                ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
                for (int n; (n = copy.readInto(buffer.clear())) >= 0;) {
                    bytes[0] += n;
                }
            });
            report("COPY TO STDOUT", "COPY " + cur.rowCount(), bytes[0], t0);
        }
    }

    /** The three situations of psycopg #1008, each on a fresh connection, and what happens after. */
    private static void issue1008(PgBackend backend, String conninfo) {
        System.out.println("-- psycopg #1008: a COPY TO STDOUT left before its end (" + UNLOAD + ", " + ROWS + " rows)");

        System.out.println("1. read 10 rows, leave the block normally");
        try (Connection conn = Connection.connect(backend, conninfo)) {
            AtomicReference<Copy> left = new AtomicReference<>();
            conn.cursor().copy(UNLOAD, copy -> {
                left.set(copy);
                for (int i = 0; i < 10; i++) {
                    copy.read();
                }
            });
            System.out.println("   after the block: status " + conn.info().transactionStatus());
            selectOne(conn, "   SELECT 1");
            long rest = 0;
            while (left.get().read().length > 0) {
                rest++;
            }
            System.out.println("   read the remaining " + rest + " rows with copy.read(): status "
                    + conn.info().transactionStatus());
            selectOne(conn, "   SELECT 1");
        }

        System.out.println("2. read 10 rows, leave the block with an exception");
        try (Connection conn = Connection.connect(backend, conninfo)) {
            try {
                conn.cursor().copy(UNLOAD, copy -> {
                    for (int i = 0; i < 10; i++) {
                        copy.read();
                    }
                    throw new IllegalStateException("found what I was looking for");
                });
            } catch (IllegalStateException e) {
                System.out.println("   the block's exception came out unchanged: " + e);
            }
            System.out.println("   the COPY was cancelled and drained: status " + conn.info().transactionStatus());
            conn.rollback();
            System.out.println("   after rollback(): status " + conn.info().transactionStatus());
            selectOne(conn, "   SELECT 1");
        }

        System.out.println("3. inside conn.transaction, read 10 rows, throw new Rollback()");
        try (Connection conn = Connection.connect(backend, conninfo)) {
            conn.transaction(tx -> conn.cursor().copy(UNLOAD, copy -> {
                for (int i = 0; i < 10; i++) {
                    copy.read();
                }
                throw new Rollback();
            }));
            System.out.println("   no exception escaped; status " + conn.info().transactionStatus());
            selectOne(conn, "   SELECT 1");
            conn.execute("CREATE TEMP TABLE earlier (n int)");
            conn.execute("INSERT INTO earlier VALUES (42)");
            conn.transaction(tx -> conn.cursor().copy(UNLOAD, copy -> {
                copy.read();
                throw new Rollback();
            }));
            System.out.println("   again inside an open transaction: status " + conn.info().transactionStatus()
                    + ", the earlier INSERT survived: " + conn.execute("SELECT n FROM earlier").fetchOne().get(0));
            conn.rollback();
            conn.setAutocommit(true);
            conn.execute("DROP TABLE pqbridge_demo");
        }
    }

    private static void selectOne(Connection conn, String label) {
        try {
            System.out.println(label + " -> " + conn.execute("SELECT 1").fetchOne().get(0));
        } catch (PqException e) {
            System.out.println(label + " -> " + e.getClass().getSimpleName() + ": "
                    + e.getMessage().replace("\n", "\n" + " ".repeat(label.length() + 4)));
        }
    }

    private static void report(String what, String tag, long bytes, long t0) {
        double s = seconds(t0);
        System.out.printf(Locale.ROOT, "%-16s %-14s %6.2f s  %,12.0f rows/s%s%n", what, tag, s, ROWS / s,
                bytes < 0 ? "" : String.format(Locale.ROOT, "  %7.1f MB/s", bytes / s / 1e6));
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}

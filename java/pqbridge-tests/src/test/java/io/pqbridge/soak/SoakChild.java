package io.pqbridge.soak;

import io.pqbridge.Connection;
import io.pqbridge.Copy;
import io.pqbridge.Rollback;
import io.pqbridge.errors.DivisionByZero;
import io.pqbridge.errors.QueryCanceled;
import io.pqbridge.pq.Pq;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The child JVM of {@link SoakTest}: {@code CONNINFO OPS WARMUP} runs OPS operations on the
 * backend of {@code -Dpqbridge.impl}, a fixed mix of every kind the library offers (see
 * {@link Kind}), and measures the process's resident set size: at the end of the first WARMUP
 * operations (the JIT has settled, the heap is committed: the parent pre-touches it) and every
 * 1,000 operations after. Each operation checks its own answer; a wrong one ends the run with
 * exit status 1.
 *
 * <p>The last line is {@value #REPORT} followed by {@code key=value} figures: {@code growth_mb} is
 * the largest RSS seen after warm-up minus the RSS at its end, {@code sessions} the server
 * sessions this child holds at the end (1: every reconnect's predecessor is gone).
 */
final class SoakChild {

    static final String REPORT = "SOAK";

    /**
     * The operations, one per slot of a cycle of 100; the kinds that cost a cancel request (a new
     * server process each) or a new connection replace a slot once every 1,000 or 10,000.
     */
    enum Kind {
        PARAMETER_QUERY, SIMPLE_QUERY, COPY_IN, COPY_IN_ABORTED, COPY_OUT_ROWS, COPY_OUT_INTO, COPY_OUT_PARTIAL,
        ERROR, TRANSACTION_ROLLBACK, CANCEL, RECONNECT
    }

    private final String conninfo;
    private final String applicationName = "pqbridge-soak-" + Pq.backend().name();
    private final Map<Kind, Long> counts = new EnumMap<>(Kind.class);
    private final Map<Kind, Long> nanos = new EnumMap<>(Kind.class);
    /** RSS at each tenth of the run, to tell a steady climb (a leak) from a step (JIT, arenas). */
    private final StringBuilder trajectory = new StringBuilder();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private Connection conn;

    private SoakChild(String conninfo) {
        this.conninfo = conninfo;
    }

    public static void main(String[] args) throws Exception {
        long ops = Long.parseLong(args[1]);
        long warmup = Long.parseLong(args[2]);
        new SoakChild(args[0]).run(ops, warmup);
    }

    private void run(long ops, long warmup) throws IOException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        connect();
        long started = System.nanoTime();
        long rssStart = rssKb();
        long rssWarm = -1;
        long rssMax = 0;
        long heapWarm = 0;
        for (long i = 0; i < ops; i++) {
            Kind kind = kindOf(i);
            long t0 = System.nanoTime();
            perform(kind, i);
            nanos.merge(kind, System.nanoTime() - t0, Long::sum);
            counts.merge(kind, 1L, Long::sum);
            if ((i + 1) % Math.max(1, ops / 10) == 0) {
                trajectory.append(trajectory.isEmpty() ? "" : ",").append(rssKb() / 1024);
            }
            if (i + 1 == warmup) {
                System.gc();
                heapWarm = memory.getHeapMemoryUsage().getUsed();
                rssWarm = rssKb();
                rssMax = rssWarm;
            } else if (rssWarm >= 0 && (i + 1) % 1000 == 0) {
                rssMax = Math.max(rssMax, rssKb());
            }
        }
        System.gc();
        long heapEnd = memory.getHeapMemoryUsage().getUsed();
        long rssEnd = rssKb();
        long sessions = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                applicationName).fetchOne().getLong(0);
        conn.close();
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("%s backend=%s ops=%d warmup=%d seconds=%.1f ops_per_s=%.0f rss_start_mb=%.1f"
                + " rss_warm_mb=%.1f rss_max_mb=%.1f rss_end_mb=%.1f growth_mb=%.1f heap_warm_mb=%.1f"
                + " heap_end_mb=%.1f sessions=%d rss_by_tenth_mb=%s mix=%s%n", REPORT, Pq.backend().name(), ops, warmup, seconds,
                ops / seconds, rssStart / 1024.0, rssWarm / 1024.0, rssMax / 1024.0, rssEnd / 1024.0,
                (rssMax - rssWarm) / 1024.0, heapWarm / 1048576.0, heapEnd / 1048576.0, sessions, trajectory,
                mix());
        System.out.flush();
        System.exit(0);
    }

    /** Each kind's count and mean time: KIND=count/microseconds. */
    private String mix() {
        StringBuilder mix = new StringBuilder();
        counts.forEach((kind, n) -> mix.append(mix.isEmpty() ? "" : ",").append(kind).append('=').append(n)
                .append('/').append(nanos.get(kind) / n / 1000).append("us"));
        return mix.toString();
    }

    static Kind kindOf(long i) {
        if (i % 10_000 == 9_999) {
            return Kind.RECONNECT;
        }
        if (i % 1_000 == 999) {
            return Kind.CANCEL;
        }
        if (i % 1_000 == 499) {
            return Kind.COPY_OUT_PARTIAL; // rarer: its cancel costs the server a fork (about 30 ms here)
        }
        int slot = (int) (i % 100);
        if (slot < 40) {
            return Kind.PARAMETER_QUERY;
        }
        if (slot < 50) {
            return Kind.SIMPLE_QUERY;
        }
        if (slot < 60) {
            return Kind.COPY_IN;
        }
        if (slot < 63) {
            return Kind.COPY_IN_ABORTED;
        }
        if (slot < 70) {
            return Kind.COPY_OUT_ROWS;
        }
        if (slot < 80) {
            return Kind.COPY_OUT_INTO;
        }
        if (slot < 90) {
            return Kind.ERROR;
        }
        return Kind.TRANSACTION_ROLLBACK;
    }

    private void perform(Kind kind, long i) {
        switch (kind) {
            case PARAMETER_QUERY -> expect(i + 1, conn.execute("SELECT %s::int8 + 1", i).fetchOne().getLong(0));
            case SIMPLE_QUERY -> expect(3, conn.execute("SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3")
                    .fetchAll().size());
            case COPY_IN -> {
                if (i % 1000 == 50) {
                    conn.execute("TRUNCATE soak"); // keeps the server's side of the soak small
                }
                long before = count();
                conn.cursor().copy("COPY soak (n, t, f) FROM STDIN", copy -> {
                    for (int r = 0; r < 20; r++) {
                        copy.writeRow(i, "row " + r, r / 4.0);
                    }
                });
                expect(before + 20, count());
            }
            case COPY_IN_ABORTED -> {
                long before = count();
                try {
                    conn.cursor().copy("COPY soak (n, t, f) FROM STDIN", copy -> {
                        copy.writeRow(i, "never stored", 0.0);
                        throw new IllegalStateException("abandoned by the soak");
                    });
                    throw new AssertionError("the COPY block's exception was swallowed");
                } catch (IllegalStateException expected) {
                    expect(before, count());
                }
            }
            case COPY_OUT_ROWS -> {
                long[] sum = {0};
                conn.cursor().copy("COPY (SELECT n::int8, n::text FROM generate_series(1, 50) n) TO STDOUT (FORMAT BINARY)",
                        copy -> {
                            copy.setTypes("int8", "text");
                            for (Object[] row : copy.rows()) {
                                sum[0] += (Long) row[0];
                            }
                        });
                expect(1275, sum[0]);
            }
            case COPY_OUT_INTO -> {
                long[] bytes = {0};
                conn.cursor().copy("COPY (SELECT repeat('x', 100) FROM generate_series(1, 100)) TO STDOUT", copy -> {
                    int n;
                    while ((n = copy.readInto(readBuffer.clear())) > 0) {
                        bytes[0] += n;
                    }
                });
                expect(101 * 100, bytes[0]);
            }
            case COPY_OUT_PARTIAL -> {
                // read a little, then leave by an exception: the COPY is cancelled and drained
                try {
                    conn.cursor().copy("COPY (SELECT generate_series(1, 5000)) TO STDOUT", copy -> {
                        copy.read();
                        throw new IllegalStateException("left early by the soak");
                    });
                    throw new AssertionError("the COPY block's exception was swallowed");
                } catch (IllegalStateException expected) {
                    expect(1, conn.execute("SELECT 1").fetchOne().getLong(0));
                }
            }
            case ERROR -> {
                try {
                    conn.execute("SELECT 1 / (%s::int - %s::int)", i, i);
                    throw new AssertionError("no division by zero");
                } catch (DivisionByZero expected) {
                    expect(1, conn.execute("SELECT 1").fetchOne().getLong(0));
                }
            }
            case TRANSACTION_ROLLBACK -> {
                long before = count();
                conn.transaction(outer -> {
                    conn.execute("INSERT INTO soak VALUES (%s, 'outer', 0)", i);
                    conn.transaction(inner -> {
                        conn.execute("INSERT INTO soak VALUES (%s, 'inner', 0)", i);
                        throw new Rollback(inner);
                    });
                });
                expect(before + 1, count());
            }
            case CANCEL -> cancelASleep();
            case RECONNECT -> {
                conn.close();
                connect();
            }
        }
    }

    /** Cancels a running pg_sleep from another thread, repeating until it ends (a cancel can beat the query). */
    private void cancelASleep() {
        AtomicBoolean running = new AtomicBoolean(true);
        Thread canceller = new Thread(() -> {
            while (running.get()) {
                conn.cancel();
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "soak-canceller");
        canceller.start();
        try {
            conn.execute("SELECT pg_sleep(30)");
            throw new AssertionError("pg_sleep was not cancelled");
        } catch (QueryCanceled expected) {
            // the cancel arrived
        } finally {
            running.set(false);
            try {
                canceller.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        expect(1, conn.execute("SELECT 1").fetchOne().getLong(0));
    }

    private void connect() {
        conn = Connection.connect(conninfo + " application_name=" + applicationName);
        conn.setAutocommit(true);
        conn.execute("CREATE TEMP TABLE soak (n int8, t text, f float8)");
    }

    private long count() {
        return conn.execute("SELECT count(*) FROM soak").fetchOne().getLong(0);
    }

    private static void expect(long expected, long actual) {
        if (expected != actual) {
            throw new AssertionError("expected " + expected + ", got " + actual);
        }
    }

    /** The resident set size, from /proc (Linux). */
    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }
}

import io.pqbridge.Connection;
import io.pqbridge.errors.QueryCanceled;
import io.pqbridge.pq.Pq;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The smoke test of scripts/cross-arm64 --smoke, run by an emulated (qemu-user) linux-arm64 JVM:
 * loads the arm64 libjniPqShim.so through the project's classes and, given a conninfo, connects
 * with the native backend, COPYs rows in and out and cancels a query. Compiled on the host: the
 * bytecode is the same on every platform. Prints one "step ... ms" line per step and exits non-zero
 * on the first failure.
 *
 * <p>usage: java -cp PLATFORM_JAR:TOOL_JAR Arm64Smoke [conninfo [rows]] (the native backend's linux-arm64
 * jar, then the tool's self-contained jar for the library and JavaCPP)
 */
public final class Arm64Smoke {

    private static long last = System.nanoTime();

    public static void main(String[] args) throws Exception {
        step("jvm-start (to main)", java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
        System.out.println("os.arch=" + System.getProperty("os.arch") + " java.vm.version="
                + System.getProperty("java.vm.version") + " javacpp-platform="
                + org.bytedeco.javacpp.Loader.getPlatform());
        last = System.nanoTime();

        int libpq = Pq.backend("native").libpqVersion();
        step("load libjniPqShim.so + pqs_lib_version (libpq " + libpq + ")");
        if (libpq < 100000) {
            throw new AssertionError("implausible libpq version " + libpq);
        }
        if (args.length == 0) {
            System.out.println("no conninfo given: load check only");
            return;
        }
        String conninfo = args[0];
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;

        try (Connection conn = Connection.connect(Pq.backend("native"), conninfo)) {
            conn.setAutocommit(true);
            step("connect (backend " + conn.backend() + ", server " + conn.info().serverVersion() + ")");
            if (!conn.backend().equals("native")) {
                throw new AssertionError("expected the native backend, got " + conn.backend());
            }

            conn.execute("DROP TABLE IF EXISTS arm64_smoke");
            conn.execute("CREATE TABLE arm64_smoke (id int PRIMARY KEY, name text NOT NULL)");
            step("create table");

            conn.cursor().copy("COPY arm64_smoke (id, name) FROM STDIN", copy -> {
                for (int i = 1; i <= rows; i++) {
                    copy.writeRow(i, "row " + i);
                }
            });
            long count = ((Number) conn.execute("SELECT count(*) FROM arm64_smoke").fetchOne().get(0)).longValue();
            step("COPY FROM STDIN " + rows + " rows (count(*) = " + count + ")");
            if (count != rows) {
                throw new AssertionError("COPY IN: expected " + rows + " rows, the table has " + count);
            }

            long[] seen = {0, 0};
            conn.cursor().copy("COPY arm64_smoke (id, name) TO STDOUT", copy -> {
                for (Object[] row : copy.rows()) {
                    int id = Integer.parseInt((String) row[0]);
                    if (!("row " + id).equals(row[1])) {
                        throw new AssertionError("COPY OUT: row " + id + " came back as " + row[1]);
                    }
                    seen[0]++;
                    seen[1] += id;
                }
            });
            step("COPY TO STDOUT " + seen[0] + " rows");
            long expectedSum = (long) rows * (rows + 1) / 2;
            if (seen[0] != rows || seen[1] != expectedSum) {
                throw new AssertionError("COPY OUT: " + seen[0] + " rows, id sum " + seen[1] + ", expected " + rows
                        + " and " + expectedSum);
            }

            CountDownLatch started = new CountDownLatch(1);
            Thread canceller = new Thread(() -> {
                try {
                    started.await();
                    Thread.sleep(1000);
                    conn.cancel();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "arm64-smoke-cancel");
            canceller.start();
            long t0 = System.nanoTime();
            try {
                started.countDown();
                conn.execute("SELECT pg_sleep(60)");
                throw new AssertionError("pg_sleep(60) was not cancelled");
            } catch (QueryCanceled expected) {
                step("cancel pg_sleep(60) after 1 s (" + expected.getClass().getSimpleName() + ": "
                        + expected.getMessage().strip().lines().findFirst().orElse("") + ")");
            }
            canceller.join(TimeUnit.SECONDS.toMillis(10));
            if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(30)) {
                throw new AssertionError("the cancel took too long");
            }
            Object one = conn.execute("SELECT 1").fetchOne().get(0);
            step("SELECT 1 after the cancel = " + one);
            conn.execute("DROP TABLE arm64_smoke");
        }
        System.out.println("arm64 smoke: OK");
    }

    private static void step(String what) {
        long now = System.nanoTime();
        step(what, (now - last) / 1_000_000);
        last = System.nanoTime();
    }

    private static void step(String what, long millis) {
        System.out.println(String.format(Locale.ROOT, "step %-70s %8d ms", what, millis));
    }
}

package io.pqbridge.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pqbridge.test.ChildJvms;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.Backends;
import io.pqbridge.test.TestDatabase;
import io.pqbridge.testing.ChildJvm;
import io.pqbridge.testing.ChildResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The soak test (issue 6): a long mix of operations on every backend (queries with and without
 * parameters, COPY IN and COPY OUT blocks left normally, by an exception and part-read, errors,
 * nested transactions with Rollback, cancels from another thread, reconnects), each backend in a
 * child JVM with a fixed 64 MB heap, checking that the resident set size grows by less than
 * {@value #RSS_GROWTH_LIMIT_MB} MB after warm-up and that no server session is left behind.
 *
 * <p>The heap is committed and touched at start-up ({@code -Xms64m -XX:+AlwaysPreTouch}), so RSS
 * growth after warm-up is native memory (libpq, the shim, direct buffers, threads) or code the JIT
 * still compiles, not the heap filling up to its limit.
 *
 * <p>Size: {@code -Dpqbridge.soak.ops} (default 100,000 per backend in the suite, warm-up a fifth of
 * it up to 50,000). The full run of the issue, one million operations per backend:
 * {@code mvn -B -ntp -o surefire:test -Dtest=SoakTest -Dpqbridge.soak.ops=1000000} after a build
 * (see the README).
 */
@Tag("heavy")
class SoakTest {

    static final int RSS_GROWTH_LIMIT_MB = 20;

    @Test
    void aMillionOperationsKeepMemoryBoundedOnEveryBackend() throws InterruptedException {
        long ops = Long.getLong("pqbridge.soak.ops", 100_000);
        long warmup = Math.min(50_000, ops / 5);
        Map<String, ChildResult> results = ChildJvms.perBackend(backend -> ChildJvm.of(SoakChild.class)
                .jvmOptions(jvmOptions(backend))
                .args(TestDatabase.conninfo(), Long.toString(ops), Long.toString(warmup))
                .timeout(Duration.ofMinutes(30)).run());

        List<String> problems = new ArrayList<>();
        results.forEach((backend, r) -> {
            String report = r.stdoutTail().lines().filter(l -> l.startsWith(SoakChild.REPORT + " ")).findFirst()
                    .orElse(null);
            if (r.exitCode() != 0 || report == null) {
                problems.add(backend + ": " + r.describe() + "\nstdout: " + r.stdoutTail() + "\nstderr: "
                        + r.stderrTail());
                return;
            }
            System.out.println(report);
            Map<String, String> figures = figures(report);
            double growth = Double.parseDouble(figures.get("growth_mb"));
            if (growth >= RSS_GROWTH_LIMIT_MB) {
                problems.add(backend + ": RSS grew by " + growth + " MB after warm-up (limit " + RSS_GROWTH_LIMIT_MB
                        + " MB): " + report);
            }
            if (!figures.get("sessions").equals("1")) {
                problems.add(backend + ": server sessions left behind by reconnects: " + report);
            }
        });
        if (!problems.isEmpty()) {
            fail(String.join("\n\n", problems));
        }
        assertEquals(Backends.all().count(), results.size());
        assertTrue(results.size() >= 1, "no backend ran");
    }

    private static Map<String, String> figures(String report) {
        Map<String, String> figures = new HashMap<>();
        for (String field : report.split(" ")) {
            int eq = field.indexOf('=');
            if (eq > 0) {
                figures.put(field.substring(0, eq), field.substring(eq + 1));
            }
        }
        return figures;
    }

    private static List<String> jvmOptions(PgBackend backend) {
        return ChildJvms.options("-Dpqbridge.impl=" + backend.name(), "-Xms64m", "-Xmx64m", "-XX:+AlwaysPreTouch",
                "-XX:+UseSerialGC");
    }
}

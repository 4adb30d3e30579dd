package io.pqbridge.vthreads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pqbridge.Connection;
import io.pqbridge.test.ChildJvms;
import io.pqbridge.test.Jdk21;
import io.pqbridge.test.TestDatabase;
import io.pqbridge.testing.ChildJvm;
import io.pqbridge.testing.ChildResult;
import io.pqbridge.testing.ThrowawayPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The java backend on virtual threads (JDK 21+): {@value #THREADS} virtual threads, each on its
 * own connection through the public facade, run queries that wait on the server and a small COPY
 * IN and COPY OUT (see {@link VirtualThreadsChild}), and none of them parks while pinned to its
 * carrier: no {@code jdk.VirtualThreadPinned} event, nor a {@code jdk.tracePinnedThreads} trace on
 * JDK 21-23. The child warms up first: a virtual thread waiting for another thread's class
 * initialiser is pinned, a JVM limit any library shares on first use. It also reports the most
 * carrier threads it saw at once ({@code carriers_peak}), not asserted: more than the scheduler's
 * parallelism means a carrier was blocked and replaced, which JFR does not report as pinning (a
 * selector wait on JDK 21, a file read).
 *
 * <p>The build runs on Java 17, so the child runs on the JDK {@link Jdk21} finds; without one the
 * test is skipped with the way to provide one. Its server is a throwaway one of its own, restarted
 * with {@code max_connections} {@value #MAX_CONNECTIONS} (the suite's server allows 100 and other
 * tests hold it); where the suite's server is not a throwaway one (a DSN, a container) it is used
 * if it accepts that many connections, else the test is skipped saying so.
 *
 * <p>Tagged {@code jdk21}, what it needs, and {@code heavy}: it loads the machine (a thousand
 * server processes) and runs in the first run of the suite only; it forces the java backend itself,
 * so the java-only run would repeat it to no purpose.
 */
@Tag("jdk21")
@Tag("heavy")
class VirtualThreadsTest {

    static final int THREADS = 1_000;

    static final int MAX_CONNECTIONS = 1_100;

    @Test
    void aThousandVirtualThreadsQueryAndCopyOnTheJavaBackendWithoutPinning() throws IOException {
        Path jdk = Jdk21.home().orElse(null);
        assumeTrue(jdk != null, Jdk21.HOW_TO_PROVIDE);
        int feature = Jdk21.feature(jdk).orElseThrow();
        if (TestDatabase.throwaway().isPresent()) {
            try (ThrowawayPostgres server = ThrowawayPostgres.start()) {
                server.appendConfig("max_connections = " + MAX_CONNECTIONS + "\n");
                server.stopImmediately();
                server.restart();
                runChild(jdk, feature, server.tcpConninfo(), server.conninfo());
            }
        } else {
            long allowed;
            try (Connection conn = Connection.connect(TestDatabase.conninfo())) {
                allowed = conn.execute("SELECT setting::int FROM pg_settings WHERE name = 'max_connections'")
                        .fetchOne().getLong(0);
            }
            assumeTrue(allowed >= MAX_CONNECTIONS, "needs a server accepting " + MAX_CONNECTIONS
                    + " connections, and " + TestDatabase.origin() + " has max_connections = " + allowed
                    + ": raise it, or install the PostgreSQL server binaries so the test starts its own");
            runChild(jdk, feature, TestDatabase.tcpConninfo(), TestDatabase.conninfo());
        }
    }

    private static void runChild(Path jdk, int feature, String tcpConninfo, String unixConninfo) throws IOException {
        Path reportFile = Files.createTempFile("pqbridge-vthreads", ".txt");
        try {
            List<String> options = new ArrayList<>(ChildJvms.options("-Dpqbridge.impl=java", "-Xmx512m"));
            if (feature < 24) {
                // JDK 24 removed the option (monitors no longer pin); JFR's event covers every release
                options.add("-Djdk.tracePinnedThreads=full");
            }
            ChildResult r = ChildJvm.of(VirtualThreadsChild.class).javaHome(jdk).jvmOptions(options)
                    .args(tcpConninfo, unixConninfo, Integer.toString(THREADS), reportFile.toString())
                    .timeout(Duration.ofMinutes(3)).run();
            String report = Files.readString(reportFile, StandardCharsets.UTF_8);
            if (r.exitCode() != 0 || !report.startsWith(VirtualThreadsChild.REPORT + " ")) {
                fail("the child on " + jdk + " ended without a report: " + r.describe() + "\nstdout: "
                        + r.stdoutTail() + "\nstderr: " + r.stderrTail());
            }
            String summary = report.lines().findFirst().orElseThrow();
            System.out.println(summary + " java_home=" + jdk);
            Map<String, String> figures = figures(summary);
            String details = "\n" + report + "\nchild stderr: " + r.stderrTail();
            assertEquals(Integer.toString(THREADS), figures.get("virtual"), "tasks on a virtual thread" + details);
            assertEquals(Integer.toString(THREADS), figures.get("completed"), "completed" + details);
            assertEquals("0", figures.get("failed"), "failed" + details);
            assertEquals("0", figures.get("pinned"), "jdk.VirtualThreadPinned events" + details);
            assertEquals("0", figures.get("traced"), "jdk.tracePinnedThreads traces" + details);
        } finally {
            Files.deleteIfExists(reportFile);
        }
    }

    private static Map<String, String> figures(String summary) {
        Map<String, String> figures = new HashMap<>();
        for (String field : summary.split(" ")) {
            int eq = field.indexOf('=');
            if (eq > 0) {
                figures.put(field.substring(0, eq), field.substring(eq + 1));
            }
        }
        return figures;
    }
}

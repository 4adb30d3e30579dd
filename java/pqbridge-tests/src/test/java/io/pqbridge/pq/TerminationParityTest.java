package io.pqbridge.pq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pqbridge.test.TestDatabase;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The server ends the session (pg_terminate_backend) at different moments (reference section
 * 3.3): the java backend must give the native backend's sequence of results, statuses and error
 * texts, over a Unix socket and over TCP. Both sessions are terminated the same way and observed
 * with the same {@link Observation} log. A mismatch is retried a few times before it counts.
 *
 * <p>Three scenarios are racy in libpq itself (reference 3.3 documents the COPY OUT one): whether
 * the kernel reports the peer's reset or end of stream before or after libpq's own read decides
 * whether a client-made error result says "server closed the connection unexpectedly", "invalid
 * socket", or both, and, during COPY IN, whether the writes after the loss notice it; native gives
 * either from run to run. For those the comparison leaves out exactly these two texts (and the
 * COPY IN scenario does not record its write calls' return codes): the number, status and fields
 * of every result and the final state must still match.
 */
@Tag("server-matrix")
@Tag("libpq-matrix")
@Tag("native")
class TerminationParityTest {

    private static PgConn admin;

    @BeforeAll
    static void bothBackends() {
        assumeTrue(Pq.availableBackends().containsAll(List.of("native", "java")), "needs both backends");
        admin = Pq.backend("native").connect(TestDatabase.conninfo());
    }

    static Stream<Arguments> scenarios() {
        return Stream.of(TestDatabase.conninfo(), TestDatabase.tcpConninfo()).flatMap(conninfo -> Stream.of(
                Arguments.of(conninfo, "terminated while idle, then a query (racy)", (BiConsumer<Observation, Runnable>) (o, kill) -> {
                    kill.run();
                    o.query("SELECT 1");
                    o.state();
                    o.query("SELECT 2");
                    o.putCopyData("x");
                    o.copyOut(64, 4);
                }),
                Arguments.of(conninfo, "terminated during a running query", (BiConsumer<Observation, Runnable>) (o, kill) -> {
                    o.line("sendQuery -> " + o.conn().sendQuery("SELECT pg_sleep(30)"));
                    sleep(200);
                    kill.run();
                    o.drain();
                    o.state();
                    o.query("SELECT 1");
                }),
                Arguments.of(conninfo, "terminated during COPY IN (racy)", (BiConsumer<Observation, Runnable>) (o, kill) -> {
                    o.query("CREATE TEMP TABLE life (a int)");
                    o.query("COPY life FROM STDIN");
                    o.putCopyData("1\n");
                    sleep(100); // the backend reaches its read of line 1, so its CONTEXT names that line
                    kill.run();
                    byte[] rows = "2\n".repeat(10_000).getBytes();
                    int r = 1;
                    for (int i = 0; i < 100 && r == 1; i++) {
                        r = o.conn().putCopyData(rows, 0, rows.length);
                    }
                    // whether the writes notice the loss, and when, is the kernel's timing (native too)
                    o.conn().putCopyEnd(null);
                    o.drain();
                    o.state();
                }),
                Arguments.of(conninfo, "terminated during COPY OUT (racy)", (BiConsumer<Observation, Runnable>) (o, kill) -> {
                    o.query("COPY (SELECT g, pg_sleep(0.001) FROM generate_series(1, 100000) g) TO STDOUT");
                    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocateDirect(1 << 16);
                    int[] lengths = new int[64];
                    o.line("first read > 0: " + (o.conn().getCopyData(buf, lengths) > 0));
                    kill.run();
                    int n;
                    do {
                        buf.clear();
                        n = o.conn().getCopyData(buf, lengths);
                    } while (n > 0);
                    o.line("copy ended with " + n);
                    o.drain();
                    o.state();
                })));
    }

    @ParameterizedTest(name = "{1} ({0})")
    @MethodSource("scenarios")
    void theJavaBackendEndsLikeNative(String conninfo, String name, BiConsumer<Observation, Runnable> scenario) {
        String expected = null;
        String actual = null;
        boolean racy = name.endsWith("(racy)");
        for (int attempt = 0; attempt < 3; attempt++) {
            expected = run("native", conninfo, scenario);
            actual = run("java", conninfo, scenario);
            if (racy) {
                expected = withoutRacyTexts(expected);
                actual = withoutRacyTexts(actual);
            }
            if (expected.equals(actual)) {
                return;
            }
        }
        assertEquals(expected, actual, name);
    }

    /** The two client-made texts whose presence depends on the kernel's timing (see the class comment). */
    private static String withoutRacyTexts(String log) {
        String closed = "server closed the connection unexpectedly\\n\\tThis probably means the server terminated "
                + "abnormally\\n\\tbefore or while processing the request.\\n";
        return log.replace(closed, "").replace("invalid socket\\n", "");
    }

    private static String run(String backend, String conninfo, BiConsumer<Observation, Runnable> scenario) {
        try (PgConn conn = Pq.backend(backend).connect(conninfo)) {
            assertEquals(PgConnStatus.OK, conn.status(), conn.errorMessage());
            Observation o = new Observation(conn, (catalog, oid) -> "?");
            int pid = conn.backendPid();
            scenario.accept(o, () -> terminate(pid));
            o.state();
            return o.text();
        }
    }

    private static void terminate(int pid) {
        query("SELECT pg_terminate_backend(" + pid + ")");
        for (int i = 0; i < 200; i++) {
            if (query("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid).equals("0")) {
                return;
            }
            sleep(10);
        }
        assertTrue(false, "backend " + pid + " did not end");
    }

    private static String query(String sql) {
        assertTrue(admin.sendQuery(sql), admin.errorMessage());
        String value = null;
        PgResult r;
        while ((r = admin.getResult()) != null) {
            if (r.status() == PgExecStatus.TUPLES_OK && r.ntuples() > 0) {
                value = r.text(0, 0);
            }
        }
        return value;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

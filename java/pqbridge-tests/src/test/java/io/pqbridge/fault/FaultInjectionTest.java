package io.pqbridge.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pqbridge.Connection;
import io.pqbridge.Copy;
import io.pqbridge.errors.OperationalException;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.TestDatabase;
import io.pqbridge.testing.ThrowawayPostgres;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Network and server faults on every backend (issue 6): a proxy cut or stall during connect,
 * query, COPY IN, COPY OUT and cancel, {@code pg_terminate_backend} from a second connection,
 * and an immediate server stop. Each case must end within {@link #BOUND} with an
 * {@link OperationalException} whose message says what happened, the connection
 * {@link Connection#isBroken() broken} where it is gone, and COPY IN all or nothing: checked
 * from a second connection straight to the server, the table holds no row of the failed COPY.
 */
@Tag("heavy")
class FaultInjectionTest {

    /** Every case ends within this; a hang fails the test instead of the suite. */
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final String BIG_OUT = "COPY (SELECT a * 1000 + b, repeat('x', 50) FROM generate_series(0, 999) a,"
            + " generate_series(1, 1000) b) TO STDOUT";
    /** What libpq says when the peer vanished, in its several wordings (reset, EOF, terminated, lost). */
    private static final Pattern GONE = Pattern.compile("(?s).*(server closed the connection unexpectedly"
            + "|Connection reset by peer|connection is lost|connection is closed|could not receive data from server"
            + "|could not send data to server|terminating connection|no connection to the server|broken pipe"
            + "|Broken pipe|EOF).*");

    private static void bounded(Executable body) {
        assertTimeoutPreemptively(BOUND, body);
    }

    private static void assertGone(Connection conn, Throwable e) {
        OperationalException op = assertInstanceOf(OperationalException.class, e, () -> describe(e));
        assertTrue(GONE.matcher(op.getMessage()).matches(), "the message says the connection went away: "
                + op.getMessage());
        assertTrue(conn.isClosed(), "closed after the fault");
        assertTrue(conn.isBroken(), "broken, not closed by the user");
    }

    private static String describe(Throwable e) {
        return e == null ? "no exception" : e.getClass().getName() + ": " + e.getMessage();
    }

    private static Throwable thrownBy(Executable body) {
        try {
            body.execute();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    // ---- connect ----

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void connectThroughAStalledNetworkEndsAtConnectTimeout(PgBackend backend) throws Exception {
        try (FaultProxy proxy = FaultProxy.toTestServer()) {
            proxy.stall();
            bounded(() -> {
                long started = System.nanoTime();
                Throwable e = thrownBy(() -> Connection.connect(backend, proxy.conninfo() + " connect_timeout=2").close());
                OperationalException op = assertInstanceOf(OperationalException.class, e, () -> describe(e));
                assertTrue(op.getMessage().contains("timeout expired"), op.getMessage());
                // libpq sets its deadline as time(NULL) + 2, whole seconds: it may end after just over one
                assertTrue(System.nanoTime() - started >= 900_000_000L, "waited for connect_timeout");
            });
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void connectCutMidHandshakeFailsSayingSo(PgBackend backend) throws Exception {
        try (FaultProxy proxy = FaultProxy.toTestServer()) {
            // the startup packet passes, the connection is reset in the middle of the server's answer
            proxy.cutAfter(FaultProxy.Direction.TO_CLIENT, 20);
            bounded(() -> {
                Throwable e = thrownBy(() -> Connection.connect(backend, proxy.conninfo()).close());
                OperationalException op = assertInstanceOf(OperationalException.class, e, () -> describe(e));
                assertTrue(op.getMessage().startsWith("connection failed: ") || GONE.matcher(op.getMessage()).matches(),
                        op.getMessage());
                assertTrue(GONE.matcher(op.getMessage()).matches(), op.getMessage());
            });
        }
    }

    // ---- query ----

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void queryCutBeforeItsAnswerBreaksTheConnection(PgBackend backend) throws Exception {
        try (FaultProxy proxy = FaultProxy.toTestServer(); Connection conn = Connection.connect(backend, proxy.conninfo())) {
            proxy.cutAfter(FaultProxy.Direction.TO_CLIENT, 0);
            bounded(() -> assertGone(conn, thrownBy(() -> conn.execute("SELECT pg_sleep(0.2)"))));
            assertEquals(1L, directCount("SELECT 1"), "the server itself is fine");
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void queryStalledEndsWhenAnotherThreadClosesTheConnection(PgBackend backend) throws Exception {
        try (FaultProxy proxy = FaultProxy.toTestServer(); Connection conn = Connection.connect(backend, proxy.conninfo())) {
            proxy.stallAfter(FaultProxy.Direction.TO_CLIENT, 3); // mid-message
            bounded(() -> {
                Thread closer = closeLater(conn, 500);
                Throwable e = thrownBy(() -> conn.execute("SELECT repeat('x', 100000)"));
                closer.join();
                OperationalException op = assertInstanceOf(OperationalException.class, e, () -> describe(e));
                assertTrue(op.getMessage().contains("closed") || GONE.matcher(op.getMessage()).matches(), op.getMessage());
                assertTrue(conn.isClosed());
                assertFalse(conn.isBroken(), "closed by the user, not broken");
            });
        }
    }

    // ---- COPY IN ----

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void copyInCutMidwayStoresNothing(PgBackend backend) throws Exception {
        String table = freshTable("fault_in_cut_" + backend.name());
        try (FaultProxy proxy = FaultProxy.toTestServer(); Connection conn = Connection.connect(backend, proxy.conninfo())) {
            proxy.cutAfter(FaultProxy.Direction.TO_SERVER, 300_000);
            bounded(() -> assertGone(conn, thrownBy(() -> conn.cursor().copy("COPY " + table + " FROM STDIN", copy -> {
                for (int i = 0; i < 1_000_000; i++) {
                    copy.writeRow(i, "row " + i);
                }
            }))));
        }
        assertNothingStored(table);
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void copyInTerminatedByTheServerStoresNothing(PgBackend backend) throws Exception {
        String table = freshTable("fault_in_term_" + backend.name());
        try (Connection conn = Connection.connect(backend, TestDatabase.conninfo())) {
            int pid = conn.info().backendPid();
            bounded(() -> {
                Throwable e = thrownBy(() -> conn.cursor().copy("COPY " + table + " FROM STDIN", copy -> {
                    for (int i = 0; i < 10_000_000; i++) {
                        copy.writeRow(i, "row " + i);
                        if (i == 50_000) {
                            terminate(pid);
                        }
                    }
                }));
                assertGone(conn, e);
            });
        }
        assertNothingStored(table);
    }

    // ---- COPY OUT ----

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void copyOutCutMidStreamBreaksTheConnection(PgBackend backend) throws Exception {
        try (FaultProxy proxy = FaultProxy.toTestServer(); Connection conn = Connection.connect(backend, proxy.conninfo())) {
            proxy.cutAfter(FaultProxy.Direction.TO_CLIENT, 500_000);
            bounded(() -> assertGone(conn, thrownBy(() -> readAll(conn))));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void copyOutStalledEndsWhenAnotherThreadClosesTheConnection(PgBackend backend) throws Exception {
        try (FaultProxy proxy = FaultProxy.toTestServer(); Connection conn = Connection.connect(backend, proxy.conninfo())) {
            proxy.stallAfter(FaultProxy.Direction.TO_CLIENT, 200_001);
            bounded(() -> {
                Thread closer = closeLater(conn, 1000);
                Throwable e = thrownBy(() -> readAll(conn));
                closer.join();
                assertInstanceOf(OperationalException.class, e, () -> describe(e));
                assertTrue(conn.isClosed());
            });
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void copyOutTerminatedByTheServerSaysSo(PgBackend backend) throws Exception {
        try (Connection conn = Connection.connect(backend, TestDatabase.conninfo())) {
            int pid = conn.info().backendPid();
            bounded(() -> {
                Throwable e = thrownBy(() -> conn.cursor().copy(BIG_OUT, copy -> {
                    copy.read();
                    terminate(pid);
                    while (copy.read().length > 0) {
                        // until the termination arrives
                    }
                }));
                assertGone(conn, e);
                assertTrue(e.getMessage().contains("terminating connection due to administrator command")
                        || GONE.matcher(e.getMessage()).matches(), e.getMessage());
            });
        }
    }

    // ---- cancel ----

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void cancelThroughACutNetworkFailsSayingSoAndLeavesTheConnection(PgBackend backend) throws Exception {
        try (FaultProxy proxy = FaultProxy.toTestServer(); Connection conn = Connection.connect(backend, proxy.conninfo())) {
            conn.setAutocommit(true);
            // the host went away: the session's connection is reset, the cancel request's is refused
            proxy.refuseNewConnections();
            proxy.cut();
            bounded(() -> {
                Throwable e = thrownBy(conn::cancel);
                OperationalException op = assertInstanceOf(OperationalException.class, e, () -> describe(e));
                assertEquals("cancel failed: PQcancel() -- connect() failed: error 111", op.getMessage());
                assertGone(conn, thrownBy(() -> conn.execute("SELECT 1")));
            });
        }
    }

    // ---- the server stops ----

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void anImmediateServerStopDuringCopyOutBreaksTheConnection(PgBackend backend) throws Exception {
        try (ThrowawayPostgres server = ThrowawayPostgres.start();
                Connection conn = Connection.connect(backend, server.conninfo())) {
            bounded(() -> {
                Throwable e = thrownBy(() -> conn.cursor().copy(BIG_OUT, copy -> {
                    copy.read();
                    server.stopImmediately();
                    while (copy.read().length > 0) {
                        // until the server's end arrives
                    }
                }));
                assertGone(conn, e);
            });
        }
    }

    // ---- helpers ----

    private static void readAll(Connection conn) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        conn.cursor().copy(BIG_OUT, (Copy copy) -> {
            while (copy.readInto(buffer) > 0) {
                buffer.clear();
            }
        });
    }

    private static Thread closeLater(Connection conn, long millis) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return;
            }
            conn.close();
        }, "fault-closer");
        t.start();
        return t;
    }

    private static void terminate(int pid) {
        try (Connection admin = Connection.connect(TestDatabase.conninfo())) {
            if (!admin.execute("SELECT pg_terminate_backend(%s)", pid).fetchOne().getBoolean(0)) {
                fail("pg_terminate_backend(" + pid + ") found no such backend");
            }
        }
    }

    private static String freshTable(String name) {
        try (Connection conn = Connection.connect(TestDatabase.conninfo())) {
            conn.setAutocommit(true);
            conn.execute("DROP TABLE IF EXISTS " + name);
            conn.execute("CREATE TABLE " + name + " (n int, t text)");
        }
        return name;
    }

    private static long directCount(String sql) {
        try (Connection conn = Connection.connect(TestDatabase.conninfo())) {
            return conn.execute(sql).fetchOne().getLong(0);
        }
    }

    /** All or nothing: once the server has ended the failed COPY's session, the table is empty. */
    private static void assertNothingStored(String table) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (directCount("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY " + table + "%%'"
                + " AND pid <> pg_backend_pid()") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0L, directCount("SELECT count(*) FROM " + table), "rows of a failed COPY were stored");
    }
}

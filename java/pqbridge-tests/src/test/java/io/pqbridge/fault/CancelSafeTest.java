package io.pqbridge.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.Connection;
import io.pqbridge.errors.CancellationTimeout;
import io.pqbridge.errors.OperationalException;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.CancelScenario;
import io.pqbridge.test.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code Connection.cancelSafe(timeout)}, psycopg's {@code cancel_safe}, on both backends: it
 * cancels a running statement; against a server that takes the cancel connection but never
 * answers (a stalled proxy) it raises {@link CancellationTimeout} once the bound passes, not
 * later; a cancel that cannot be delivered is "cancellation failed". Under the libpq-18 run the
 * native backend uses libpq 17's cancel connection, on the system's libpq its fallback.
 */
@Tag("libpq-matrix")
class CancelSafeTest {

    private static final Duration BOUND = Duration.ofSeconds(20);

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void cancelsTheRunningStatement(PgBackend backend) {
        assertTimeoutPreemptively(BOUND, () -> {
            try (Connection conn = Connection.connect(backend, TestDatabase.conninfo())) {
                CancelScenario.cancelSafeEndsARunningSleep(backend, conn);
                assertEquals(1, conn.execute("SELECT 1").fetchOne().get(0), "the connection is usable after the cancel");
            }
        });
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aServerThatNeverAnswersEndsInCancellationTimeoutAtTheBound(PgBackend backend) {
        assertTimeoutPreemptively(BOUND, () -> {
            try (FaultProxy proxy = FaultProxy.toTestServer(); Connection conn = Connection.connect(backend, proxy.conninfo())) {
                proxy.stall();
                long start = System.nanoTime();
                CancellationTimeout e = assertThrows(CancellationTimeout.class,
                        () -> conn.cancelSafe(Duration.ofMillis(500)));
                long tookMs = (System.nanoTime() - start) / 1_000_000;
                assertTrue(tookMs >= 450 && tookMs < 10_000, "ended after " + tookMs + " ms, bound 500 ms");
                assertTrue(e.getMessage().startsWith("cancellation timeout expired (500 ms)"), e.getMessage());
                proxy.cut();
            }
        });
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void anInterruptNeitherEndsTheBoundedWaitNorIsLost(PgBackend backend) {
        assertTimeoutPreemptively(BOUND, () -> {
            try (FaultProxy proxy = FaultProxy.toTestServer(); Connection conn = Connection.connect(backend, proxy.conninfo())) {
                proxy.stall();
                java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
                Thread.currentThread().interrupt();
                long start = System.nanoTime();
                long cpuStart = threads.getCurrentThreadCpuTime();
                assertThrows(CancellationTimeout.class, () -> conn.cancelSafe(Duration.ofMillis(500)));
                long cpuMs = (threads.getCurrentThreadCpuTime() - cpuStart) / 1_000_000;
                long tookMs = (System.nanoTime() - start) / 1_000_000;
                assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
                assertTrue(cpuMs < 250, "waited, not spun: " + cpuMs + " ms of CPU in " + tookMs + " ms");
                assertTrue(tookMs >= 450 && tookMs < 10_000, "ended after " + tookMs + " ms, bound 500 ms");
                proxy.cut();
            }
        });
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void anUndeliverableCancelIsCancellationFailed(PgBackend backend) {
        assertTimeoutPreemptively(BOUND, () -> {
            try (FaultProxy proxy = FaultProxy.toTestServer(); Connection conn = Connection.connect(backend, proxy.conninfo())) {
                proxy.refuseNewConnections();
                OperationalException e = assertThrows(OperationalException.class,
                        () -> conn.cancelSafe(Duration.ofSeconds(5)));
                assertTrue(e.getMessage().startsWith("cancellation failed: "), e.getMessage());
                assertEquals(1, conn.execute("SELECT 1").fetchOne().get(0), "the connection itself is untouched");
            }
        });
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aClosedConnectionHasNothingToCancel(PgBackend backend) {
        Connection conn = Connection.connect(backend, TestDatabase.conninfo());
        conn.close();
        conn.cancelSafe(Duration.ofMillis(1));
        conn.cancelSafe();
    }
}

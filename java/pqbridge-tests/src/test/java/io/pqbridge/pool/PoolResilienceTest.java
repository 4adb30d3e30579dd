package io.pqbridge.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.Connection;
import io.pqbridge.errors.OperationalException;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.TestDatabase;
import io.pqbridge.testing.ThrowawayPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What HikariCP's users throw at a pool, on both backends: many threads borrowing at once with
 * nothing leaked, backends terminated while idle and while in use, the server stopped and started
 * again under load. Each pool names its connections ({@code application_name}) so that the
 * server's own count of them, in {@code pg_stat_activity}, can be held against the pool's.
 */
class PoolResilienceTest {

    private static long serverCount(PgBackend backend, String conninfo, String applicationName) {
        try (Connection other = Connection.connect(backend, conninfo)) {
            return (Long) other.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                    applicationName).fetchOne().get(0);
        }
    }

    private static void terminate(PgBackend backend, String conninfo, String applicationName) {
        try (Connection other = Connection.connect(backend, conninfo)) {
            other.setAutocommit(true);
            other.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
                    applicationName);
        }
    }

    private static void terminateAll(PgBackend backend, String conninfo, String applicationName) throws Exception {
        terminate(backend, conninfo, applicationName);
        PoolTest.waitUntil(() -> serverCount(backend, conninfo, applicationName) == 0);
    }

    /** Waits until the pool is back at its size, every connection idle, and the server agrees. */
    private static void assertSettled(ConnectionPool pool, PgBackend backend, String conninfo, String name)
            throws Exception {
        PoolTest.waitUntil(() -> {
            Map<String, Long> s = pool.getStats();
            return s.get("pool_available").equals(s.get("pool_size"))
                    && serverCount(backend, conninfo, name) == s.get("pool_size");
        });
    }

    private static int selectOne(Connection conn) {
        return ((Number) conn.execute("SELECT 1").fetchOne().get(0)).intValue();
    }

    @Tag("heavy")
    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void sixtyFourThreadsOfTenThousandCyclesLeakNothing(PgBackend backend) throws Exception {
        String name = PoolTest.table("pool_load");
        int threads = 64;
        int cycles = 10_000;
        try (ConnectionPool pool = PoolTest.pool(backend).minSize(4).maxSize(16)
                .kwargs(Map.of("application_name", name, "autocommit", true)).timeout(Duration.ofSeconds(60)).open()) {
            ExecutorService executor = Executors.newFixedThreadPool(threads);
            List<Future<Long>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(executor.submit(() -> {
                    long sum = 0;
                    for (int i = 0; i < cycles; i++) {
                        sum += pool.connectionResult(PoolResilienceTest::selectOne);
                    }
                    return sum;
                }));
            }
            for (Future<Long> f : done) {
                assertEquals(cycles, f.get(10, TimeUnit.MINUTES));
            }
            executor.shutdown();
            Map<String, Long> stats = pool.getStats();
            assertEquals((long) threads * cycles, stats.get("requests_num"));
            assertEquals(0L, stats.get("requests_errors") + stats.get("returns_bad"), stats.toString());
            assertEquals(16L, stats.get("pool_size"), "grown to maxSize under the load");
            assertSettled(pool, backend, TestDatabase.conninfo(), name);
        }
        PoolTest.waitUntil(() -> serverCount(backend, TestDatabase.conninfo(), name) == 0);
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void idleConnectionsWhoseBackendsWereTerminatedAreReplacedUnseen(PgBackend backend) throws Exception {
        String name = PoolTest.table("pool_term_idle");
        String conninfo = TestDatabase.conninfo();
        try (ConnectionPool pool = PoolTest.pool(backend).minSize(4)
                .kwargs(Map.of("application_name", name)).open()) {
            pool.waitReady(Duration.ofSeconds(10));
            terminateAll(backend, conninfo, name);
            Thread.sleep(ConnectionPool.PROBE_AFTER_MS + 100);
            for (int i = 0; i < 8; i++) {
                assertEquals(1, pool.connectionResult(PoolResilienceTest::selectOne), "request " + i);
            }
            assertEquals(4L, pool.getStats().get("connections_lost"), "each dead one found without a round trip");
            assertSettled(pool, backend, conninfo, name);
            assertEquals(4L, pool.getStats().get("pool_size"));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void connectionsTerminatedInUseFailTheirBorrowerOnlyAndAreReplaced(PgBackend backend) throws Exception {
        String name = PoolTest.table("pool_term_busy");
        String conninfo = TestDatabase.conninfo();
        try (ConnectionPool pool = PoolTest.pool(backend).minSize(4)
                .kwargs(Map.of("application_name", name, "autocommit", true)).open()) {
            pool.waitReady(Duration.ofSeconds(10));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong ok = new AtomicLong();
            ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
            AtomicLong lost = new AtomicLong();
            ExecutorService executor = Executors.newFixedThreadPool(8);
            for (int t = 0; t < 8; t++) {
                executor.submit(() -> {
                    while (!stop.get()) {
                        try {
                            pool.connection(c -> c.execute("SELECT pg_sleep(0.002)"));
                            ok.incrementAndGet();
                        } catch (OperationalException e) {
                            lost.incrementAndGet(); // the borrower whose backend went away
                        } catch (Throwable e) {
                            unexpected.add(e);
                        }
                    }
                });
            }
            for (int round = 0; round < 5; round++) {
                Thread.sleep(300);
                terminate(backend, conninfo, name);
            }
            Thread.sleep(500);
            stop.set(true);
            executor.shutdown();
            assertTrue(executor.awaitTermination(60, TimeUnit.SECONDS), "no borrower hangs");
            assertTrue(unexpected.isEmpty(), () -> "unexpected failures: " + unexpected);
            assertTrue(lost.get() > 0 && ok.get() > lost.get(), "ok " + ok + ", lost " + lost);
            assertSettled(pool, backend, conninfo, name);
            assertEquals(4L, pool.getStats().get("pool_size"));
        }
    }

    @Tag("heavy")
    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void theServerStoppedAndRestartedUnderLoad(PgBackend backend) throws Exception {
        String name = PoolTest.table("pool_restart");
        try (ThrowawayPostgres server = ThrowawayPostgres.start();
                ConnectionPool pool = ConnectionPool.builder(server.conninfo()).backend(backend).minSize(4)
                        .timeout(Duration.ofSeconds(1)).reconnectTimeout(Duration.ofSeconds(60))
                        .kwargs(Map.of("application_name", name, "autocommit", true)).open()) {
            pool.waitReady(Duration.ofSeconds(10));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong ok = new AtomicLong();
            AtomicLong timeouts = new AtomicLong();
            AtomicLong longestFailureMs = new AtomicLong();
            ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
            ExecutorService executor = Executors.newFixedThreadPool(8);
            for (int t = 0; t < 8; t++) {
                executor.submit(() -> {
                    while (!stop.get()) {
                        long start = System.nanoTime();
                        try {
                            pool.connection(PoolResilienceTest::selectOne);
                            ok.incrementAndGet();
                        } catch (PoolTimeout e) {
                            timeouts.incrementAndGet();
                            longestFailureMs.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
                        } catch (OperationalException e) {
                            longestFailureMs.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
                        } catch (Throwable e) {
                            unexpected.add(e);
                        }
                    }
                });
            }
            Thread.sleep(500);
            server.stopImmediately();
            Thread.sleep(3000);
            long okWhileDown = ok.get();
            Thread.sleep(100);
            assertEquals(okWhileDown, ok.get(), "nothing succeeds while the server is down");
            assertTrue(timeouts.get() > 0, "requests time out while the server is down");
            server.restart();
            long before = ok.get();
            PoolTest.waitUntil(() -> ok.get() > before + 100);
            stop.set(true);
            executor.shutdown();
            assertTrue(executor.awaitTermination(30, TimeUnit.SECONDS), "no request hangs");
            assertTrue(unexpected.isEmpty(), () -> "unexpected failures: " + unexpected);
            assertTrue(longestFailureMs.get() < 5000, "a failing request waited " + longestFailureMs + " ms");
            assertSettled(pool, backend, server.conninfo(), name);
            assertEquals(4L, pool.getStats().get("pool_size"));
            assertTrue(pool.getStats().get("connections_errors") > 0, "reconnections were attempted and failed");
        }
    }
}

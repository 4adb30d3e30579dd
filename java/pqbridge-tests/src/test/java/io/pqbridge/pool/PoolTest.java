package io.pqbridge.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.Connection;
import io.pqbridge.Copy;
import io.pqbridge.TransactionStatus;
import io.pqbridge.errors.OperationalException;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.errors.UndefinedTable;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * psycopg_pool's rules on both backends: the scoped form's commit and rollback, what happens to a
 * connection given back in each state, the callbacks, sizes, timeouts, statistics, and the
 * lifecycle (open, waitReady, close with requests waiting).
 */
class PoolTest {

    static PoolBuilder pool(PgBackend backend) {
        return ConnectionPool.builder(TestDatabase.conninfo()).backend(backend).timeout(Duration.ofSeconds(10));
    }

    static String table(String prefix) {
        return prefix + "_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
    }

    private static long count(ConnectionPool pool, String table) {
        return pool.connectionResult(c -> (Long) c.execute("SELECT count(*) FROM " + table).fetchOne().get(0));
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void theScopedFormCommitsOnNormalExitAndRollsBackOnAnException(PgBackend backend) {
        String t = table("pool_scope");
        try (ConnectionPool pool = pool(backend).minSize(1).open()) {
            pool.connection(c -> c.execute("CREATE TABLE " + t + " (x int)"));
            pool.connection(c -> c.execute("INSERT INTO " + t + " VALUES (1)"));
            IllegalStateException boom = new IllegalStateException("boom");
            assertSame(boom, assertThrows(IllegalStateException.class, () -> pool.connection(c -> {
                c.execute("INSERT INTO " + t + " VALUES (2)");
                throw boom;
            })));
            assertEquals(1L, count(pool, t), "the second insert was rolled back");
            assertThrows(UndefinedTable.class, () -> pool.connection(c -> c.execute("SELECT * FROM nope_" + t)));
            assertEquals(TransactionStatus.IDLE, pool.connectionResult(c -> c.info().transactionStatus()));
            Map<String, Long> stats = pool.getStats();
            assertEquals(List.of("pool_min", "pool_max", "pool_size", "pool_available", "requests_waiting",
                    "requests_num", "requests_queued", "requests_wait_ms", "requests_errors", "usage_ms", "returns_bad",
                    "connections_num", "connections_ms", "connections_errors", "connections_lost"),
                    List.copyOf(stats.keySet()));
            assertEquals(6L, stats.get("requests_num"));
            assertEquals(1L, stats.get("pool_size"));
            assertEquals(6L, pool.popStats().get("requests_num"));
            assertEquals(0L, pool.getStats().get("requests_num"), "popStats resets the counters");
            assertEquals(1L, pool.getStats().get("pool_size"), "but not the measures");
            pool.connection(c -> c.execute("DROP TABLE " + t));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aConnectionGivenBackInATransactionIsRolledBackAndKept(PgBackend backend) {
        String t = table("pool_intrans");
        try (ConnectionPool pool = pool(backend).minSize(1).open(); LogCapture log = new LogCapture()) {
            pool.connection(c -> c.execute("CREATE TABLE " + t + " (x int)"));
            Connection conn = pool.getconn();
            conn.execute("INSERT INTO " + t + " VALUES (1)");
            assertEquals(TransactionStatus.INTRANS, conn.info().transactionStatus());
            pool.putconn(conn);
            assertTrue(log.contains("rolling back returned connection"), log.messages().toString());
            assertEquals(0L, count(pool, t));
            Connection failed = pool.getconn();
            assertSame(conn, failed, "the rolled-back connection was kept");
            assertThrows(UndefinedTable.class, () -> failed.execute("SELECT * FROM nope_" + t));
            assertEquals(TransactionStatus.INERROR, failed.info().transactionStatus());
            pool.putconn(failed);
            Connection again = pool.getconn();
            assertSame(conn, again);
            assertEquals(TransactionStatus.IDLE, again.info().transactionStatus());
            assertEquals(0L, pool.getStats().get("returns_bad"));
            pool.putconn(again);
            pool.connection(c -> c.execute("DROP TABLE " + t));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aConnectionGivenBackWithACopyOpenOrBrokenIsDiscardedAndReplaced(PgBackend backend) throws Exception {
        try (ConnectionPool pool = pool(backend).minSize(1).open(); LogCapture log = new LogCapture()) {
            pool.waitReady(Duration.ofSeconds(10));
            Connection conn = pool.getconn();
            Copy copy = conn.cursor().copy("COPY (SELECT generate_series(1, 100000)) TO STDOUT");
            copy.read();
            assertEquals(TransactionStatus.ACTIVE, conn.info().transactionStatus());
            pool.putconn(conn);
            assertTrue(conn.isClosed(), "a connection with a command in progress is closed");
            assertTrue(log.contains("closing returned connection"), log.messages().toString());
            Connection next = pool.getconn();
            assertNotSame(conn, next, "a new connection replaced it");
            assertTrue(next.execute("SELECT 1").fetchOne() != null);
            int pid = next.info().backendPid();
            try (Connection other = Connection.connect(backend, TestDatabase.conninfo())) {
                other.execute("SELECT pg_terminate_backend(%s)", pid);
            }
            assertThrows(io.pqbridge.errors.OperationalException.class, () -> next.execute("SELECT 1"));
            assertTrue(next.isBroken());
            pool.putconn(next);
            assertTrue(log.contains("discarding closed connection"), log.messages().toString());
            assertEquals(2L, pool.getStats().get("returns_bad"));
            pool.connection(c -> assertEquals(1, ((Number) c.execute("SELECT 1").fetchOne().get(0)).intValue()));
            assertEquals(1L, pool.getStats().get("pool_size"), "the pool stayed at its size");
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void putconnRefusesAConnectionItDidNotLend(PgBackend backend) {
        try (ConnectionPool pool = pool(backend).minSize(1).name("lender").open();
                Connection stranger = Connection.connect(backend, TestDatabase.conninfo())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.putconn(stranger));
            assertTrue(e.getMessage().startsWith("can't return connection to pool 'lender', it was not taken from it"),
                    e.getMessage());
            Connection conn = pool.getconn();
            pool.putconn(conn);
            assertThrows(IllegalArgumentException.class, () -> pool.putconn(conn), "twice");
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void requestsTimeOutOrAreRefusedWhenEveryConnectionIsLent(PgBackend backend) throws Exception {
        try (ConnectionPool pool = pool(backend).minSize(1).maxWaiting(1).open()) {
            pool.waitReady(Duration.ofSeconds(10));
            Connection only = pool.getconn();
            long start = System.nanoTime();
            PoolTimeout timeout = assertThrows(PoolTimeout.class, () -> pool.getconn(Duration.ofMillis(300)));
            long waitedMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals("couldn't get a connection after 0.30 sec", timeout.getMessage());
            assertTrue(waitedMs >= 290 && waitedMs < 3000, "waited " + waitedMs + " ms");
            CompletableFuture<Connection> queued = CompletableFuture.supplyAsync(() -> pool.getconn(Duration.ofSeconds(10)));
            waitUntil(() -> pool.getStats().get("requests_waiting") == 1);
            TooManyRequests refused = assertThrows(TooManyRequests.class, () -> pool.getconn());
            assertTrue(refused.getMessage().contains("has already 1 requests waiting"), refused.getMessage());
            pool.putconn(only);
            Connection handed = queued.get(10, TimeUnit.SECONDS);
            assertSame(only, handed, "the returned connection went to the waiting request");
            pool.putconn(handed);
            Map<String, Long> stats = pool.getStats();
            assertEquals(2L, stats.get("requests_errors"), stats.toString());
            assertEquals(2L, stats.get("requests_queued"));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void thePoolGrowsToMaxSizeWhileRequestsWaitAndResizes(PgBackend backend) throws Exception {
        try (ConnectionPool pool = pool(backend).minSize(1).maxSize(3).open()) {
            pool.waitReady(Duration.ofSeconds(10));
            Connection a = pool.getconn();
            Connection b = pool.getconn();
            Connection c = pool.getconn();
            assertEquals(3L, pool.getStats().get("pool_size"));
            assertThrows(PoolTimeout.class, () -> pool.getconn(Duration.ofMillis(200)));
            pool.putconn(a);
            pool.putconn(b);
            pool.putconn(c);
            pool.resize(4, 6);
            // psycopg_pool's arithmetic: the 3 minSize grew by are added to the 3 open
            waitUntil(() -> pool.getStats().get("pool_available") == 6);
            assertEquals(4, pool.minSize());
            assertEquals(6, pool.maxSize());
            assertThrows(IllegalArgumentException.class, () -> pool.resize(3, 2));
            pool.drain();
            waitUntil(() -> pool.getStats().get("pool_available") == 6);
            assertTrue(a.isClosed() && b.isClosed() && c.isClosed(), "drained connections are closed");
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void connectionsUnusedForMaxIdleAreClosedDownToMinSize(PgBackend backend) throws Exception {
        try (ConnectionPool pool = pool(backend).minSize(1).maxSize(3).maxIdle(Duration.ofMillis(300)).open();
                LogCapture log = new LogCapture()) {
            pool.waitReady(Duration.ofSeconds(10));
            Connection a = pool.getconn();
            Connection b = pool.getconn();
            Connection c = pool.getconn();
            assertEquals(3L, pool.getStats().get("pool_size"));
            pool.putconn(a);
            pool.putconn(b);
            pool.putconn(c);
            waitUntil(() -> pool.getStats().get("pool_size") == 1);
            Thread.sleep(700);
            assertEquals(1L, pool.getStats().get("pool_size"), "never below minSize");
            assertEquals(1L, pool.getStats().get("pool_available"));
            assertTrue(log.contains("shrinking pool"), log.messages().toString());
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void configureResetAndCheckRunWhereTheySay(PgBackend backend) throws Exception {
        AtomicInteger resets = new AtomicInteger();
        AtomicInteger checks = new AtomicInteger();
        try (ConnectionPool pool = pool(backend).minSize(1)
                .kwargs(Map.of("application_name", "pool_callbacks", "autocommit", true))
                .configure(c -> c.execute("SET statement_timeout TO '7s'"))
                .reset(c -> {
                    resets.incrementAndGet();
                    c.execute("RESET search_path");
                })
                .check(c -> {
                    checks.incrementAndGet();
                    ConnectionPool.checkConnection(c);
                }).open()) {
            pool.connection(c -> {
                assertTrue(c.isAutocommit());
                assertEquals("7s", c.execute("SHOW statement_timeout").fetchOne().get(0));
                assertEquals("pool_callbacks", c.execute("SHOW application_name").fetchOne().get(0));
                c.execute("SET search_path TO elsewhere");
            });
            waitUntil(() -> resets.get() == 1);
            pool.connection(c -> assertEquals("\"$user\", public", c.execute("SHOW search_path").fetchOne().get(0)));
            assertEquals(2, checks.get());
        }
        try (ConnectionPool pool = pool(backend).minSize(1).reconnectTimeout(Duration.ZERO)
                .configure(c -> c.execute("SELECT 1")).open(); LogCapture log = new LogCapture()) {
            PoolTimeout e = assertThrows(PoolTimeout.class, () -> pool.waitReady(Duration.ofSeconds(2)));
            assertTrue(e.getMessage().startsWith("pool initialization incomplete after 2.0 sec: 0 of 1 connections ready;"
                    + " the last attempt to connect failed: connection left in status INTRANS by configure function"),
                    e.getMessage());
            assertTrue(log.contains("by configure function"), log.messages().toString());
            assertTrue(pool.isClosed(), "waitReady closes a pool that did not fill");
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aConnectionFailingTheCheckIsNotHandedOut(PgBackend backend) {
        AtomicInteger calls = new AtomicInteger();
        try (ConnectionPool pool = pool(backend).minSize(2).check(c -> {
            if (calls.incrementAndGet() == 1) {
                c.close();
                throw new IllegalStateException("failed on purpose");
            }
        }).open()) {
            pool.waitReady(Duration.ofSeconds(10));
            Connection conn = pool.getconn();
            assertFalse(conn.isClosed());
            assertEquals(1L, pool.getStats().get("connections_lost"));
            pool.putconn(conn);
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void anExpiredConnectionIsReplacedWhenItComesBack(PgBackend backend) throws Exception {
        try (ConnectionPool pool = pool(backend).minSize(1).maxLifetime(Duration.ofMillis(300)).open()) {
            Connection first = pool.getconn();
            Thread.sleep(400);
            pool.putconn(first);
            assertTrue(first.isClosed());
            pool.connection(c -> assertNotSame(first, c));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aBorrowerThatNeverReturnsIsReportedWithItsStack(PgBackend backend) throws Exception {
        try (ConnectionPool pool = pool(backend).minSize(1).leakDetectionThreshold(Duration.ofMillis(200)).open();
                LogCapture log = new LogCapture()) {
            Connection kept = pool.getconn();
            waitUntil(() -> log.contains("has not been returned after 0.2 sec"));
            LogCapture.Entry warning = log.find("has not been returned");
            assertTrue(warning.message().contains("by thread '" + Thread.currentThread().getName() + "'"));
            assertTrue(warning.thrown() != null && List.of(warning.thrown().getStackTrace()).stream()
                    .anyMatch(f -> f.getMethodName().equals("aBorrowerThatNeverReturnsIsReportedWithItsStack")),
                    "the borrower's stack is attached");
            pool.putconn(kept);
            Connection prompt = pool.getconn();
            pool.putconn(prompt);
            Thread.sleep(400);
            assertEquals(1, log.count("has not been returned"), "a connection given back in time is not reported");
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void closeFailsWaitingRequestsAtOnceAndClosesReturnedConnections(PgBackend backend) throws Exception {
        ConnectionPool pool = pool(backend).minSize(1).name("closing").open();
        Connection lent = pool.getconn();
        List<CompletableFuture<Connection>> waiters = List.of(
                CompletableFuture.supplyAsync(() -> pool.getconn(Duration.ofSeconds(60))),
                CompletableFuture.supplyAsync(() -> pool.getconn(Duration.ofSeconds(60))));
        waitUntil(() -> pool.getStats().get("requests_waiting") == 2);
        long start = System.nanoTime();
        pool.close();
        for (CompletableFuture<Connection> waiter : waiters) {
            Throwable e = assertThrows(Exception.class, () -> waiter.get(5, TimeUnit.SECONDS)).getCause();
            assertTrue(e instanceof PoolClosed && e.getMessage().equals("the pool 'closing' is closed"), String.valueOf(e));
        }
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        assertFalse(lent.isClosed(), "a lent connection stays open until it comes back");
        pool.putconn(lent);
        assertTrue(lent.isClosed());
        assertEquals("the pool 'closing' is already closed", assertThrows(PoolClosed.class, pool::getconn).getMessage());
        assertThrows(io.pqbridge.errors.OperationalException.class, pool::open);
    }

    @Test
    void aPoolNotOpenedRefusesRequestsAndSizesAreChecked() {
        ConnectionPool pool = ConnectionPool.builder(TestDatabase.conninfo()).name("idle").build();
        assertEquals("the pool 'idle' is not open yet", assertThrows(PoolClosed.class, pool::getconn).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConnectionPool.builder("").minSize(3).maxSize(2).build());
        assertThrows(IllegalArgumentException.class, () -> ConnectionPool.builder("").minSize(0).build());
        assertThrows(IllegalArgumentException.class, () -> ConnectionPool.builder("").minSize(-1).build());
        assertThrows(IllegalArgumentException.class, () -> ConnectionPool.builder("").numWorkers(0));
        assertThrows(IllegalArgumentException.class, () -> NullConnectionPool.builder("").minSize(1).build());
        assertThrows(IllegalArgumentException.class, () -> ConnectionPool.builder("").kwargs(Map.of("autocommit", "yes")));
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void theNullPoolOpensAConnectionPerRequestAndClosesItAfter(PgBackend backend) throws Exception {
        try (ConnectionPool pool = NullConnectionPool.builder(TestDatabase.conninfo()).backend(backend).maxSize(1)
                .timeout(Duration.ofSeconds(10)).open()) {
            pool.waitReady(Duration.ofSeconds(10));
            Connection first = pool.getconn();
            assertEquals(1L, pool.getStats().get("pool_size"));
            CompletableFuture<Connection> queued = CompletableFuture.supplyAsync(() -> pool.getconn());
            waitUntil(() -> pool.getStats().get("requests_waiting") == 1);
            pool.putconn(first);
            Connection handed = queued.get(10, TimeUnit.SECONDS);
            assertSame(first, handed, "a waiting request gets the returned connection");
            pool.putconn(handed);
            assertTrue(handed.isClosed(), "with nobody waiting it is closed");
            assertEquals(0L, pool.getStats().get("pool_size"));
            int a = pool.connectionResult(c -> c.info().backendPid());
            int b = pool.connectionResult(c -> c.info().backendPid());
            assertTrue(a != b, "each request has a connection of its own");
            pool.check();
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aRequestQueuedBehindAFailingConnectOpensItsOwn(PgBackend backend) throws Exception {
        // a server that accepts, says nothing for a second, then hangs up: every connect fails after 1 s
        try (java.net.ServerSocket mute = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!mute.isClosed()) {
                    try (java.net.Socket s = mute.accept()) {
                        Thread.sleep(1000);
                    } catch (java.io.IOException | InterruptedException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            try (ConnectionPool pool = NullConnectionPool.builder("host=127.0.0.1 port=" + mute.getLocalPort()
                    + " user=nobody dbname=none sslmode=disable gssencmode=disable").backend(backend).maxSize(1)
                    .timeout(Duration.ofSeconds(30)).open()) {
                CompletableFuture<Connection> first = CompletableFuture.supplyAsync(() -> pool.getconn());
                waitUntil(() -> pool.getStats().get("pool_size") == 1);
                long start = System.nanoTime();
                CompletableFuture<Connection> queued = CompletableFuture.supplyAsync(() -> pool.getconn());
                ExecutionException firstFailed = assertThrows(ExecutionException.class, () -> first.get(10, TimeUnit.SECONDS));
                assertTrue(firstFailed.getCause() instanceof OperationalException, firstFailed.getCause().toString());
                ExecutionException queuedFailed = assertThrows(ExecutionException.class,
                        () -> queued.get(20, TimeUnit.SECONDS));
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                assertFalse(queuedFailed.getCause() instanceof PoolTimeout, "the queued request waited out its"
                        + " 30 s instead of connecting when the place came free: " + queuedFailed.getCause());
                assertTrue(queuedFailed.getCause().getMessage().contains("server closed the connection"),
                        queuedFailed.getCause().toString());
                assertTrue(seconds < 15, "the queued request ended after " + seconds + " s");
                assertEquals(0L, pool.getStats().get("pool_size"));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aTransactionBlockInsideTheScopedFormFollowsPsycopg(PgBackend backend) {
        String t = table("pool_tx");
        try (ConnectionPool pool = pool(backend).minSize(1).open()) {
            pool.connection(c -> {
                c.execute("CREATE TABLE " + t + " (x int)");
                c.transaction(tx -> c.execute("INSERT INTO " + t + " VALUES (1)"));
            });
            assertEquals(1L, count(pool, t));
            assertThrows(ProgrammingException.class, () -> pool.connection(c -> c.transaction(tx -> c.commit())));
            pool.connection(c -> c.execute("DROP TABLE " + t));
        }
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 20 s");
            }
            Thread.sleep(10);
        }
    }
}

package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.errors.OperationalException;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.pq.PgBackend;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LISTEN/NOTIFY on the facade, both backends: {@code notifies(timeout, stopAfter)} waits on the
 * socket (no CPU spent while waiting), ends at the count, the timeout, another thread's cancel()
 * or close(), or an interrupt; notify handlers get what arrives during other work; nothing is
 * lost between the two.
 */
@Tag("server-matrix")
class NotifyTest {

    private static Connection listening(PgBackend backend, String channel) {
        Connection conn = Db.autocommit(backend);
        conn.execute("LISTEN " + channel);
        return conn;
    }

    private static void notify(PgBackend backend, String channel, String... payloads) {
        try (Connection other = Db.autocommit(backend)) {
            for (String payload : payloads) {
                other.execute("SELECT pg_notify(%s, %s)", channel, payload);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void notifiesStopsAfterTheCountAndKeepsTheRestQueued(PgBackend backend) {
        String channel = Db.table("ch");
        try (Connection conn = listening(backend, channel); Connection other = Db.autocommit(backend)) {
            // one transaction: the three arrive together, so the third is surely in when the first two are read
            other.execute("SELECT pg_notify(%(c)s, 'one'), pg_notify(%(c)s, 'two'), pg_notify(%(c)s, 'three')",
                    java.util.Map.of("c", channel));
            List<Notify> first = conn.notifies(Duration.ofSeconds(10), 2).collect(Collectors.toList());
            assertEquals(List.of("one", "two"), first.stream().map(Notify::payload).collect(Collectors.toList()));
            assertEquals(channel, first.get(0).channel());
            assertEquals(other.info().backendPid(), first.get(0).pid());
            assertEquals(List.of("three"), conn.notifies(Duration.ZERO, null).map(Notify::payload)
                    .collect(Collectors.toList()), "the third stayed queued for the next call");
            assertEquals(0, conn.notifies(Duration.ofSeconds(10), 0).count(), "stopAfter 0 returns at once");
            assertThrows(IllegalArgumentException.class, () -> conn.notifies(Duration.ofSeconds(-1), null));
            assertThrows(IllegalArgumentException.class, () -> conn.notifies(null, -1));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aWaitSpendsNoCpuAndWakesWhenTheNotificationComes(PgBackend backend) throws Exception {
        String channel = Db.table("ch");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (Connection conn = listening(backend, channel)) {
            long start = System.nanoTime();
            AtomicLong cpu = new AtomicLong();
            CompletableFuture<List<Notify>> got = CompletableFuture.supplyAsync(() -> {
                long before = threads.getCurrentThreadCpuTime();
                List<Notify> n = conn.notifies(Duration.ofSeconds(30), 1).collect(Collectors.toList());
                cpu.set(threads.getCurrentThreadCpuTime() - before);
                return n;
            });
            Thread.sleep(1500);
            notify(backend, channel, "wake");
            List<Notify> n = got.get(10, TimeUnit.SECONDS);
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals("wake", n.get(0).payload());
            assertTrue(elapsedMs < 5000, "woke when the notification came, not at the timeout: " + elapsedMs + " ms");
            assertTrue(cpu.get() < 300_000_000L, "waiting 1.5 s cost " + cpu.get() / 1_000_000 + " ms of CPU: a busy loop");
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void theTimeoutEndsAnEmptyWait(PgBackend backend) {
        try (Connection conn = listening(backend, Db.table("ch"))) {
            long start = System.nanoTime();
            assertEquals(0, conn.notifies(Duration.ofMillis(400), null).count());
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(elapsedMs >= 400 && elapsedMs < 3000, elapsedMs + " ms");
            assertTrue(Db.selectOneWorks(conn));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void cancelCloseAndInterruptEndAWaitWithoutTimeout(PgBackend backend) throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        try (Connection conn = listening(backend, Db.table("ch"))) {
            Future<Long> waiting = pool.submit(() -> conn.notifies(null, null).count());
            Thread.sleep(300);
            conn.cancel();
            assertEquals(0L, waiting.get(3, TimeUnit.SECONDS), "cancel() ended the wait");
            assertTrue(Db.selectOneWorks(conn), "the connection is usable after a cancelled wait");

            CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
            Thread waiter = new Thread(() -> {
                conn.notifies(null, null).count();
                interrupted.complete(Thread.currentThread().isInterrupted());
            });
            waiter.start();
            Thread.sleep(300);
            waiter.interrupt();
            assertTrue(interrupted.get(3, TimeUnit.SECONDS), "an interrupt ends the wait and stays set");

            Future<Long> closing = pool.submit(() -> conn.notifies(Duration.ofSeconds(60), null).count());
            Thread.sleep(300);
            conn.close();
            assertEquals(0L, closing.get(3, TimeUnit.SECONDS), "close() ended the wait quietly");
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void otherThreadsUseTheConnectionWhileOneWaits(PgBackend backend) throws Exception {
        String channel = Db.table("ch");
        try (Connection conn = listening(backend, channel)) {
            CompletableFuture<List<Notify>> got = CompletableFuture.supplyAsync(
                    () -> conn.notifies(Duration.ofSeconds(20), 1).collect(Collectors.toList()));
            Thread.sleep(200);
            long start = System.nanoTime();
            assertEquals(1, conn.execute("SELECT 1").fetchOne().getInt(0));
            assertTrue((System.nanoTime() - start) / 1_000_000 < 2000, "the query waited for one slice at most");
            conn.execute("NOTIFY " + channel + ", 'self'"); // received during this thread's command
            assertEquals("self", got.get(10, TimeUnit.SECONDS).get(0).payload());
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void handlersGetNotificationsThatArriveDuringOtherWork(PgBackend backend) {
        String channel = Db.table("ch");
        try (Connection conn = listening(backend, channel)) {
            List<String> seen = new CopyOnWriteArrayList<>();
            conn.addNotifyHandler(n -> {
                throw new IllegalStateException("a handler's own bug");
            });
            conn.addNotifyHandler(n -> seen.add(n.channel() + ":" + n.payload()));
            conn.execute("NOTIFY " + channel + ", 'during work'");
            notify(backend, channel, "from elsewhere");
            long deadline = System.nanoTime() + 10_000_000_000L; // another session's notification comes when it comes
            do {
                conn.execute("SELECT 1");
            } while (seen.size() < 2 && System.nanoTime() < deadline);
            assertEquals(List.of(channel + ":during work", channel + ":from elsewhere"), seen);
            assertEquals(0, conn.notifies(Duration.ZERO, null).count(), "handled notifications are not queued too");
            assertTrue(Db.selectOneWorks(conn), "a throwing handler broke nothing");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> conn.removeNotifyHandler(n -> { }));
            assertTrue(e.getMessage().startsWith("this notify handler is not registered"), e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void withoutHandlersNotificationsFromOtherWorkWaitForNotifies(PgBackend backend) {
        String channel = Db.table("ch");
        try (Connection conn = listening(backend, channel)) {
            conn.execute("NOTIFY " + channel + ", 'kept'");
            conn.execute("SELECT 1");
            assertEquals(List.of("kept"), conn.notifies(Duration.ZERO, null).map(Notify::payload)
                    .collect(Collectors.toList()));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aLostConnectionFailsTheWaitAndPipelinesRefuseIt(PgBackend backend) throws Exception {
        try (Connection conn = listening(backend, Db.table("ch"))) {
            assertThrows(ProgrammingException.class, () -> conn.pipeline(p -> conn.notifies(Duration.ZERO, null).count()));
            int pid = conn.info().backendPid();
            CompletableFuture<Long> waiting = CompletableFuture.supplyAsync(() -> conn.notifies(Duration.ofSeconds(20), null).count());
            Thread.sleep(300);
            try (Connection other = Db.autocommit(backend)) {
                other.execute("SELECT pg_terminate_backend(%s)", pid);
            }
            Exception e = assertThrows(Exception.class, () -> waiting.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof OperationalException, String.valueOf(e.getCause()));
            assertTrue(e.getCause().getMessage().startsWith("consuming input failed: "), e.getCause().getMessage());
            assertTrue(conn.isBroken());
        }
    }
}

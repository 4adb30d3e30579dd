package io.pqbridge.test;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.Connection;
import io.pqbridge.errors.QueryCanceled;
import io.pqbridge.pq.PgBackend;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One scenario the cancel tests share: a statement sleeps on a connection, another connection
 * watches pg_stat_activity until it is really running, then {@code cancelSafe} from this thread
 * must end it with QueryCanceled.
 */
public final class CancelScenario {

    private CancelScenario() {
    }

    /**
     * Runs {@code pg_sleep(60)} on {@code conn} (in autocommit) on another thread and cancels it.
     *
     * @param backend the backend of the watching connection
     * @param conn the connection to cancel on, connected to the test server
     * @throws Exception when waiting is interrupted or the sleeping thread fails unexpectedly
     */
    public static void cancelSafeEndsARunningSleep(PgBackend backend, Connection conn) throws Exception {
        // a thread of its own, interrupted when the scenario ends however it ends
        ExecutorService sleeper = Executors.newSingleThreadExecutor();
        try (Connection watcher = Connection.connect(backend, TestDatabase.conninfo())) {
            // in autocommit: inside one transaction pg_stat_activity is a snapshot, and a watcher
            // whose first look came before the sleep started would see "idle" forever
            watcher.setAutocommit(true);
            conn.setAutocommit(true);
            int pid = conn.info().backendPid();
            Future<Throwable> sleeping = sleeper.submit(() -> {
                try {
                    conn.execute("SELECT pg_sleep(60)");
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!"active".equals(watcher.execute("SELECT state FROM pg_stat_activity WHERE pid = %s", pid)
                    .fetchOne().get(0))) {
                if (sleeping.isDone()) {
                    throw new AssertionError("the sleep ended before it was seen running", sleeping.get());
                }
                assertTrue(System.nanoTime() < deadline, "the sleep did not start running within 30 s");
                Thread.sleep(20);
            }
            conn.cancelSafe(Duration.ofSeconds(10));
            assertInstanceOf(QueryCanceled.class, sleeping.get(30, TimeUnit.SECONDS));
        } finally {
            sleeper.shutdownNow();
        }
    }
}

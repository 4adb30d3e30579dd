package io.pqbridge.test;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.pqbridge.Connection;
import io.pqbridge.errors.QueryCanceled;
import io.pqbridge.pq.PgBackend;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

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
        try (Connection watcher = Connection.connect(backend, TestDatabase.conninfo())) {
            conn.setAutocommit(true);
            int pid = conn.info().backendPid();
            CompletableFuture<Throwable> sleeping = CompletableFuture.supplyAsync(() -> {
                try {
                    conn.execute("SELECT pg_sleep(60)");
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            while (!"active".equals(watcher.execute("SELECT state FROM pg_stat_activity WHERE pid = %s", pid)
                    .fetchOne().get(0))) {
                Thread.sleep(20);
            }
            conn.cancelSafe(Duration.ofSeconds(10));
            assertInstanceOf(QueryCanceled.class, sleeping.get());
        }
    }
}

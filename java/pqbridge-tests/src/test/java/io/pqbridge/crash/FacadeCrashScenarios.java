package io.pqbridge.crash;

import io.pqbridge.Connection;
import io.pqbridge.Copy;
import io.pqbridge.Cursor;
import io.pqbridge.errors.PqException;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.Pq;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Misuse of the facade that would crash a careless binding, each run in a child JVM by
 * {@link FacadeCrashSafetyTest}: every call must end in a return or a {@link PqException}, never a
 * JVM crash, a hang or another exception. The child prints {@value #OK} and exits 0 on success.
 *
 * <p>Usage: {@code FacadeCrashScenarios <scenario> <backend> <conninfo>}.
 */
public final class FacadeCrashScenarios {

    static final String OK = "FACADE SCENARIO OK";
    private static final String BIG_OUT = "COPY (SELECT a, g FROM generate_series(1, 1000) a, generate_series(1, 100000) g)"
            + " TO STDOUT";

    private FacadeCrashScenarios() {
    }

    public static void main(String[] args) throws Exception {
        String scenario = args[0];
        PgBackend backend = Pq.backend(args[1]);
        String conninfo = args[2];
        switch (scenario) {
            case "misuse-after-close" -> misuseAfterClose(backend, conninfo);
            case "close-during-copy-out" -> closeDuringCopy(backend, conninfo, true);
            case "close-during-copy-in" -> closeDuringCopy(backend, conninfo, false);
            case "cancel-storm" -> cancelStorm(backend, conninfo);
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        }
        System.out.println(OK);
        System.exit(0);
    }

    /** Every facade call on a closed connection, its cursor and its open COPY, from two threads. */
    private static void misuseAfterClose(PgBackend backend, String conninfo) throws Exception {
        for (int i = 0; i < 10; i++) {
            Connection conn = Connection.connect(backend, conninfo);
            Cursor cur = conn.cursor();
            Copy copy = i % 2 == 0 ? cur.copy(BIG_OUT) : cur.copy("COPY (SELECT 1) TO STDOUT");
            copy.read();
            conn.close();
            List<Runnable> calls = everyCall(conn, cur, copy);
            calls.forEach(FacadeCrashScenarios::expectCleanOutcome);
            Thread other = new Thread(() -> everyCall(conn, cur, copy).forEach(FacadeCrashScenarios::expectCleanOutcome));
            other.start();
            other.join();
            check(conn.isClosed() && !conn.isBroken(), "closed, not broken");
        }
    }

    /** Another thread closes the connection while this one is inside a COPY block. */
    private static void closeDuringCopy(PgBackend backend, String conninfo, boolean out) throws Exception {
        for (int round = 0; round < 10; round++) {
            int delay = 50 + 20 * (round % 5);
            Connection conn = Connection.connect(backend, conninfo);
            if (!out) {
                conn.execute("CREATE TEMP TABLE t (n int, s text)");
            }
            CountDownLatch started = new CountDownLatch(1);
            Thread closer = new Thread(() -> {
                await(started);
                sleep(delay);
                conn.close();
            });
            closer.start();
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            try {
                conn.cursor().copy(out ? BIG_OUT : "COPY t FROM STDIN", copy -> {
                    ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
                    for (int n = 0;; n++) {
                        if (out) {
                            if (copy.readInto(buffer.clear()) < 0) {
                                break;
                            }
                        } else {
                            copy.writeRow(n, "row to be interrupted by close");
                        }
                        started.countDown();
                    }
                });
            } catch (Throwable t) {
                outcome.set(t);
            }
            closer.join();
            check(outcome.get() instanceof PqException, "ended with a PqException: " + outcome.get());
            everyCall(conn, conn.isClosed() ? null : conn.cursor(), null).forEach(FacadeCrashScenarios::expectCleanOutcome);
        }
    }

    /** Many cancels and status reads from another thread while COPY OUT runs and is drained. */
    private static void cancelStorm(PgBackend backend, String conninfo) throws Exception {
        try (Connection conn = Connection.connect(backend, conninfo)) {
            for (int round = 0; round < 3; round++) {
                CountDownLatch reading = new CountDownLatch(1);
                Thread storm = new Thread(() -> {
                    await(reading);
                    for (int i = 0; i < 50; i++) {
                        conn.cancel();
                        conn.info().transactionStatus();
                        conn.isClosed();
                    }
                });
                storm.start();
                try {
                    conn.cursor().copy(BIG_OUT, copy -> {
                        ByteBuffer buffer = ByteBuffer.allocate(8192);
                        while (copy.readInto(buffer.clear()) >= 0) {
                            reading.countDown();
                        }
                    });
                } catch (PqException expected) {
                    // QueryCanceled
                }
                reading.countDown();
                storm.join();
                conn.rollback();
                check(conn.execute("SELECT 1").fetchOne().getInt(0) == 1, "usable after the storm");
                conn.rollback();
            }
        }
    }

    private static List<Runnable> everyCall(Connection conn, Cursor cur, Copy copy) {
        List<Runnable> calls = new ArrayList<>(List.of(conn::commit, conn::rollback, conn::cancel, conn::close,
                conn::isBroken, () -> conn.setAutocommit(true), () -> conn.execute("SELECT 1"),
                () -> conn.transaction(tx -> {
                }), () -> conn.info().transactionStatus(), () -> conn.info().backendPid(),
                () -> conn.info().dsn(), conn::cursor, conn::toString));
        if (cur != null) {
            calls.addAll(List.of(() -> cur.execute("SELECT %s", 1), cur::fetchOne, cur::rowCount, cur::close,
                    () -> cur.copy("COPY (SELECT 1) TO STDOUT")));
        }
        if (copy != null) {
            calls.addAll(List.of(copy::read, () -> copy.readInto(ByteBuffer.allocateDirect(1024)),
                    () -> copy.readInto(ByteBuffer.allocate(1024)), copy::readRow, copy::cancel, copy::finish,
                    copy::close, () -> copy.write("x\n"), () -> copy.asInputStream(), copy::toString));
        }
        return calls;
    }

    private static void expectCleanOutcome(Runnable call) {
        try {
            call.run();
        } catch (PqException expected) {
            // the documented outcome of a misuse
        }
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("check failed: " + what);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out waiting");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}

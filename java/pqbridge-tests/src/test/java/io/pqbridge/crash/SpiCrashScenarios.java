package io.pqbridge.crash;

import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.PgCancel;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgConnStatus;
import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.Pq;
import io.pqbridge.testing.CrashNatives;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Crash-prone uses of the SPI, each run in a child JVM by {@link SpiCrashSafetyTest}: the child
 * prints {@value #OK} and exits 0 when the scenario ended in clean returns and exceptions; a JVM
 * crash, a hang or any other exit is a failure the parent sees.
 *
 * <p>Usage: {@code SpiCrashScenarios <scenario> <backend> <conninfo>}.
 */
public final class SpiCrashScenarios {

    static final String OK = "SCENARIO OK";

    private SpiCrashScenarios() {
    }

    public static void main(String[] args) throws Exception {
        String scenario = args[0];
        PgBackend backend = Pq.backend(args[1]);
        String conninfo = args[2];
        switch (scenario) {
            case "use-after-close" -> useAfterClose(backend, conninfo);
            case "double-close" -> doubleClose(backend, conninfo);
            case "cancel-during-copy" -> cancelDuringCopy(backend, conninfo);
            case "close-while-reading" -> closeWhileReading(backend, conninfo);
            case "unclosed-garbage" -> unclosedGarbage(backend, conninfo);
            case "deliberate-crash" -> CrashNatives.crash();
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        }
        System.out.println(OK);
        System.exit(0);
    }

    private static PgConn connect(PgBackend backend, String conninfo) {
        PgConn conn = backend.connect(conninfo);
        if (conn.status() != PgConnStatus.OK) {
            throw new IllegalStateException("connect failed: " + conn.errorMessage());
        }
        return conn;
    }

    /** Every call after finish, from this thread and another, answers without touching freed memory. */
    private static void useAfterClose(PgBackend backend, String conninfo) throws Exception {
        for (int i = 0; i < 20; i++) {
            PgConn conn = connect(backend, conninfo);
            PgCancel cancel = conn.cancelHandle();
            if (i % 2 == 0) {
                conn.sendQuery("COPY (SELECT generate_series(1, 100000)) TO STDOUT");
            }
            conn.finish();
            exerciseEverything(conn);
            Thread other = new Thread(() -> {
                exerciseEverything(conn);
                cancel.cancel();
            });
            other.start();
            other.join();
            check(conn.status() == PgConnStatus.BAD, "status after finish");
        }
    }

    private static void exerciseEverything(PgConn conn) {
        conn.status();
        conn.transactionStatus();
        conn.errorMessage();
        conn.parameterStatus("server_version");
        conn.backendPid();
        conn.serverVersion();
        conn.protocolVersion();
        conn.conninfo();
        conn.sendQuery("SELECT 1");
        conn.sendQueryParams("SELECT $1", null, new byte[][] {"1".getBytes()}, null, 0);
        conn.getResult();
        conn.putCopyData(new byte[] {1, 2, 3}, 0, 3);
        conn.putCopyData(ByteBuffer.allocateDirect(16));
        conn.putCopyEnd("x");
        conn.putCopyEnd(null);
        conn.flush();
        conn.getCopyData(ByteBuffer.allocateDirect(64), new int[4]);
        conn.getCopyData(ByteBuffer.allocate(64), new int[4]);
        conn.pendingCopyDataLength();
        conn.notifies();
        conn.setNotifyHandler(n -> { });
        conn.awaitInput(0);
        conn.awaitInput(50);
        conn.isFinished();
    }

    /** Finish twice, concurrently from many threads, in every state. */
    private static void doubleClose(PgBackend backend, String conninfo) throws Exception {
        for (int i = 0; i < 20; i++) {
            PgConn conn = connect(backend, conninfo);
            switch (i % 4) {
                case 1 -> conn.sendQuery("SELECT pg_sleep(0.01)");
                case 2 -> conn.sendQuery("COPY (SELECT generate_series(1, 100000)) TO STDOUT");
                case 3 -> {
                    conn.sendQuery("CREATE TEMP TABLE t (x int); COPY t FROM STDIN");
                    drainUntilCopy(conn);
                    conn.putCopyData(new byte[] {'1', '\n'}, 0, 2);
                }
                default -> { }
            }
            CountDownLatch go = new CountDownLatch(1);
            Thread[] closers = new Thread[4];
            for (int t = 0; t < closers.length; t++) {
                closers[t] = new Thread(() -> {
                    await(go);
                    conn.finish();
                    conn.close();
                });
                closers[t].start();
            }
            go.countDown();
            for (Thread t : closers) {
                t.join();
            }
            conn.finish();
            check(conn.isFinished(), "finished");
        }
    }

    /** Cancel hammered from another thread while this one reads a COPY OUT, then finish racing the cancels. */
    private static void cancelDuringCopy(PgBackend backend, String conninfo) throws Exception {
        for (int i = 0; i < 10; i++) {
            PgConn conn = connect(backend, conninfo);
            PgCancel cancel = conn.cancelHandle();
            conn.sendQuery("COPY (SELECT g, repeat('x', 50) FROM generate_series(1, 2000000) g) TO STDOUT");
            drainUntilCopy(conn);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread canceller = new Thread(() -> {
                try {
                    for (int k = 0; k < 30; k++) {
                        cancel.cancel();
                        Thread.sleep(2);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            canceller.start();
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
            int[] lengths = new int[512];
            int n;
            do {
                buf.clear();
                n = conn.getCopyData(buf, lengths);
            } while (n > 0);
            for (PgResult r = conn.getResult(); r != null; r = conn.getResult()) {
                check(r.status() == PgExecStatus.FATAL_ERROR || r.status() == PgExecStatus.COMMAND_OK, r.toString());
            }
            if (i % 2 == 0) {
                conn.finish(); // while the canceller may still be sending
            }
            canceller.join();
            conn.finish();
            cancel.cancel();
            if (failure.get() != null) {
                throw new AssertionError("cancel thread failed", failure.get());
            }
        }
    }

    /** Finish from another thread while this one is blocked in getCopyData, getResult or putCopyData. */
    private static void closeWhileReading(PgBackend backend, String conninfo) throws Exception {
        for (int i = 0; i < 6; i++) {
            PgConn conn = connect(backend, conninfo);
            switch (i % 3) {
                case 0 -> {
                    conn.sendQuery("COPY (SELECT g, pg_sleep(0.01) FROM generate_series(1, 100000) g) TO STDOUT");
                    drainUntilCopy(conn);
                }
                case 1 -> conn.sendQuery("SELECT pg_sleep(30)");
                default -> {
                    conn.sendQuery("CREATE TEMP TABLE t (x int); COPY t FROM STDIN");
                    drainUntilCopy(conn);
                }
            }
            int mode = i % 3;
            Thread closer = new Thread(() -> {
                sleep(300);
                conn.finish();
            });
            long start = System.nanoTime();
            closer.start();
            if (mode == 0) {
                ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
                int[] lengths = new int[64];
                int n;
                do {
                    buf.clear();
                    n = conn.getCopyData(buf, lengths);
                } while (n > 0);
            } else if (mode == 1) {
                while (conn.getResult() != null) {
                    // until the connection is gone
                }
            } else {
                byte[] rows = "1\n".repeat(4096).getBytes();
                while (conn.putCopyData(rows, 0, rows.length) == 1) {
                    // until the connection is gone
                }
            }
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            closer.join();
            check(waited < 1300, "a blocked caller noticed the close after " + waited + " ms");
            check(conn.isFinished(), "finished");
        }
    }

    /** Connections dropped without finish are reclaimed by the GC safety net without a crash. */
    private static void unclosedGarbage(PgBackend backend, String conninfo) throws Exception {
        for (int i = 0; i < 30; i++) {
            PgConn conn = connect(backend, conninfo);
            conn.sendQuery("COPY (SELECT generate_series(1, 1000)) TO STDOUT");
        }
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
        }
        PgConn survivor = connect(backend, conninfo);
        survivor.sendQuery("SELECT 1");
        check(survivor.getResult().status() == PgExecStatus.TUPLES_OK, "a new connection still works");
        survivor.finish();
    }

    private static void drainUntilCopy(PgConn conn) {
        for (PgResult r = conn.getResult(); r != null; r = conn.getResult()) {
            if (r.status().isCopy()) {
                return;
            }
        }
        throw new IllegalStateException("no COPY started: " + conn.errorMessage());
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.errors.DatabaseException;
import io.pqbridge.errors.Errors;
import io.pqbridge.errors.OperationalException;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.pq.PgBackend;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A connection shared by threads: the COPY block holds it, the same thread fails fast, cancel from anywhere. */
class ConcurrencyTest {

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void anotherThreadWaitsForTheCopyBlockToEnd(PgBackend backend) throws Exception {
        try (Connection conn = Db.connect(backend)) {
            conn.setAutocommit(true);
            conn.execute("CREATE TEMP TABLE t (n int)");
            CountDownLatch inBlock = new CountDownLatch(1);
            long[] blockEnd = new long[1];
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                conn.cursor().copy("COPY t FROM STDIN", copy -> {
                    copy.writeRow(1);
                    inBlock.countDown();
                    sleep(500);
                    copy.writeRow(2);
                    blockEnd[0] = System.nanoTime();
                });
            });
            assertTrue(inBlock.await(30, TimeUnit.SECONDS));
            long count = conn.execute("SELECT count(*) FROM t").fetchOne().getLong(0);
            long answered = System.nanoTime();
            writer.get(30, TimeUnit.SECONDS);
            assertTrue(answered >= blockEnd[0], "the query ran only after the block ended");
            assertEquals(2, count, "and saw the whole COPY");
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void theSameThreadFailsFastInsideItsCopyBlock(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            Cursor cur = conn.cursor();
            cur.copy("COPY (SELECT g FROM generate_series(1, 3) g) TO STDOUT", copy -> {
                copy.read();
                List<ProgrammingException> refusals = new ArrayList<>();
                refusals.add(assertThrows(ProgrammingException.class, () -> conn.execute("SELECT 1")));
                refusals.add(assertThrows(ProgrammingException.class, conn::commit));
                refusals.add(assertThrows(ProgrammingException.class, conn::rollback));
                refusals.add(assertThrows(ProgrammingException.class, () -> conn.transaction(tx -> {
                })));
                refusals.add(assertThrows(ProgrammingException.class, () -> conn.setAutocommit(true)));
                refusals.add(assertThrows(ProgrammingException.class, () -> conn.cursor().copy(
                        "COPY (SELECT 1) TO STDOUT", inner -> {
                        })));
                for (ProgrammingException e : refusals) {
                    assertTrue(e.getMessage().startsWith("the connection is held by the open COPY block of the COPY TO"
                            + " STDOUT started by \"COPY (SELECT g FROM generate_series(1, 3) g) TO STDOUT\" in this same"
                            + " thread"), e.getMessage());
                }
                assertEquals(TransactionStatus.ACTIVE, conn.info().transactionStatus(), "no-lock calls still work");
                while (copy.read().length > 0) {
                    // the copy itself is unaffected
                }
            });
            assertEquals(3, cur.rowCount());
            assertTrue(Db.selectOneWorks(conn));

            try (Copy open = cur.copy("COPY (SELECT 1) TO STDOUT")) {
                assertThrows(ProgrammingException.class, () -> conn.execute("SELECT 1"));
                open.finish();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void copyBlocksOfTwoThreadsAreSerialised(PgBackend backend) throws Exception {
        try (Connection conn = Db.connect(backend)) {
            conn.setAutocommit(true);
            conn.execute("CREATE TEMP TABLE t (thread int, n int)");
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int thread = 0; thread < 2; thread++) {
                    int id = thread;
                    done.add(pool.submit(() -> {
                        for (int round = 0; round < 5; round++) {
                            conn.cursor().copy("COPY t FROM STDIN", copy -> {
                                for (int i = 0; i < 1000; i++) {
                                    copy.writeRow(id, i);
                                    if (i % 250 == 0) {
                                        Thread.yield();
                                    }
                                }
                            });
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(10000, conn.execute("SELECT count(*) FROM t").fetchOne().getLong(0));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void cancelFromAnotherThreadDuringCopyOut(PgBackend backend) throws Exception {
        try (Connection conn = Db.connect(backend)) {
            long[] bytes = {0};
            CountDownLatch streaming = new CountDownLatch(1);
            long[] cancelledAt = {0};
            CompletableFuture<Void> canceller = CompletableFuture.runAsync(() -> {
                await(streaming);
                sleep(300);
                cancelledAt[0] = System.nanoTime();
                conn.cancel();
            });
            DatabaseException e = assertThrows(DatabaseException.class, () -> conn.cursor().copy(
                    "COPY (SELECT a, g FROM generate_series(1, 10000) a, generate_series(1, 100000) g) TO STDOUT",
                    copy -> {
                        ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
                        for (int n; (n = copy.readInto(buffer.clear())) >= 0;) {
                            bytes[0] += n;
                            streaming.countDown();
                        }
                    }));
            double seconds = (System.nanoTime() - cancelledAt[0]) / 1e9;
            canceller.get(30, TimeUnit.SECONDS);
            assertInstanceOf(Errors.lookup("query_canceled"), e);
            assertEquals("57014", e.sqlstate());
            assertEquals("canceling statement due to user request", e.getMessage());
            assertTrue(bytes[0] > 0);
            assertTrue(seconds < 5, "the error came " + seconds + " s after the cancel");
            assertEquals(TransactionStatus.INERROR, Db.status(conn));
            conn.rollback();
            assertTrue(Db.selectOneWorks(conn));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void cancelFromAnotherThreadDuringCopyIn(PgBackend backend) throws Exception {
        try (Connection conn = Db.connect(backend)) {
            conn.execute("CREATE TEMP TABLE t (n int, s text)");
            conn.commit();
            CountDownLatch writing = new CountDownLatch(1);
            CompletableFuture<Void> canceller = CompletableFuture.runAsync(() -> {
                await(writing);
                sleep(300);
                conn.cancel();
            });
            DatabaseException e = assertThrows(DatabaseException.class, () -> conn.cursor().copy(
                    "COPY t FROM STDIN", copy -> {
                        long end = System.nanoTime() + 1_500_000_000L;
                        for (int i = 0; System.nanoTime() < end; i++) {
                            copy.writeRow(i, "some text to make the rows longer");
                            if (i == 1000) {
                                writing.countDown();
                            }
                        }
                    }));
            canceller.get(30, TimeUnit.SECONDS);
            assertInstanceOf(Errors.lookup("57014"), e);
            assertEquals("canceling statement due to user request", e.diag().messagePrimary());
            assertTrue(e.diag().context().startsWith("COPY t, line "), e.diag().context());
            assertEquals(TransactionStatus.INERROR, Db.status(conn));
            conn.rollback();
            assertEquals(0, conn.execute("SELECT count(*) FROM t").fetchOne().getLong(0));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void cancelOfAnIdleConnectionIsHarmless(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            conn.cancel();
            sleep(100);
            assertTrue(Db.selectOneWorks(conn));
            assertEquals(TransactionStatus.INTRANS, Db.status(conn));
        }
    }

    /** Found by the misuse fuzzer: an open-form COPY dropped unfinished, then close(): "closed", not "held by the COPY". */
    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void afterCloseTheThreadOfADroppedOpenCopyIsToldTheConnectionIsClosed(PgBackend backend) {
        Connection conn = Db.connect(backend);
        Copy dropped = conn.cursor().copy("COPY (SELECT generate_series(1, 100000)) TO STDOUT");
        dropped.read();
        ProgrammingException held = assertThrows(ProgrammingException.class, () -> conn.execute("SELECT 1"));
        assertTrue(held.getMessage().startsWith("the connection is held by the open COPY block"), held.getMessage());
        conn.close();
        OperationalException closed = assertThrows(OperationalException.class, () -> conn.execute("SELECT 1"));
        assertEquals("the connection is closed", closed.getMessage());
        assertThrows(OperationalException.class, () -> conn.transaction(tx -> {
        }));
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package io.pqbridge.pq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.test.Backends;
import io.pqbridge.test.Spi;
import io.pqbridge.test.TestDatabase;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What blocking calls owe other threads (PgConn's "Threads" contract), over a Unix socket and over
 * TCP: an interrupt neither closes nor corrupts the connection and is still set when the call
 * returns; finish() from another thread releases a caller blocked in a read or in COPY IN
 * back-pressure within a second.
 */
class BlockingCallsTest {

    static Stream<Arguments> backendsAndTransports() {
        return Backends.crossed(Stream.of(Arguments.of("unix", TestDatabase.conninfo()),
                Arguments.of("tcp", TestDatabase.tcpConninfo())));
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("backendsAndTransports")
    void anInterruptLeavesABlockedQueryAndTheConnectionIntact(PgBackend backend, String transport, String conninfo)
            throws Exception {
        try (PgConn conn = Spi.connect(backend, conninfo)) {
            assertTrue(conn.sendQuery("SELECT pg_sleep(0.6), 'done'"));
            CompletableFuture<Thread> started = new CompletableFuture<>();
            CompletableFuture<Object[]> reader = CompletableFuture.supplyAsync(() -> {
                started.complete(Thread.currentThread());
                PgResult r = conn.getResult();
                boolean interrupted = Thread.interrupted();
                return new Object[] {r, interrupted};
            });
            Thread thread = started.get(5, TimeUnit.SECONDS);
            Thread.sleep(200);
            thread.interrupt();
            Object[] outcome = reader.get(10, TimeUnit.SECONDS);
            PgResult r = (PgResult) outcome[0];
            assertEquals(PgExecStatus.TUPLES_OK, r.status(), r.errorMessage());
            assertEquals("done", r.text(0, 1));
            assertTrue((Boolean) outcome[1], "the interrupt is still pending when the call returns");
            assertEquals(null, conn.getResult());
            assertEquals(PgConnStatus.OK, conn.status());
            assertEquals("1", Spi.ok(conn, "SELECT 1").text(0, 0), "the connection still works");
        }
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("backendsAndTransports")
    void aThreadWithAPendingInterruptConnectsAndKeepsTheInterrupt(PgBackend backend, String transport,
            String conninfo) throws Exception {
        CompletableFuture<String> outcome = CompletableFuture.supplyAsync(() -> {
            Thread.currentThread().interrupt();
            try (PgConn conn = backend.connect(conninfo)) {
                String status = conn.status() + " " + conn.errorMessage();
                return status + " interrupted=" + Thread.interrupted();
            }
        });
        assertEquals("OK  interrupted=true", outcome.get(30, TimeUnit.SECONDS));
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("backendsAndTransports")
    void anInterruptDuringCopyOutLosesNoData(PgBackend backend, String transport, String conninfo) throws Exception {
        try (PgConn conn = Spi.connect(backend, conninfo)) {
            Spi.results(conn, "COPY (SELECT g, pg_sleep(0.0002) FROM generate_series(1, 3000) g) TO STDOUT");
            CompletableFuture<Thread> started = new CompletableFuture<>();
            CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
                started.complete(Thread.currentThread());
                ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
                int[] lengths = new int[512];
                int rows = 0;
                int n;
                while ((n = conn.getCopyData(buf.clear(), lengths)) > 0) {
                    rows += n;
                }
                Thread.interrupted();
                return n == PgConn.COPY_END ? rows : -rows - 1;
            });
            Thread thread = started.get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 5; i++) {
                Thread.sleep(50);
                thread.interrupt();
            }
            assertEquals(3000, reader.get(30, TimeUnit.SECONDS));
            assertEquals("COPY 3000", conn.getResult().cmdStatus());
            assertEquals(null, conn.getResult());
        }
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("backendsAndTransports")
    void finishReleasesACopyInWriterHeldByBackPressure(PgBackend backend, String transport, String conninfo)
            throws Exception {
        PgConn conn = Spi.connect(backend, conninfo);
        Spi.ok(conn, "CREATE TEMP TABLE slow (v text)");
        Spi.ok(conn, "CREATE FUNCTION pg_temp.slow_row() RETURNS trigger LANGUAGE plpgsql AS "
                + "$$ BEGIN PERFORM pg_sleep(0.01); RETURN NEW; END $$");
        Spi.ok(conn, "CREATE TRIGGER slow BEFORE INSERT ON slow FOR EACH ROW EXECUTE FUNCTION pg_temp.slow_row()");
        assertEquals(PgExecStatus.COPY_IN, Spi.results(conn, "COPY slow FROM STDIN").get(0).status());
        AtomicBoolean writing = new AtomicBoolean(true);
        byte[] rows = ("x".repeat(200) + "\n").repeat(300).getBytes();
        CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> {
            int r = 1;
            while (r == 1 && writing.get()) {
                r = conn.putCopyData(rows, 0, rows.length);
            }
            return r;
        });
        Thread.sleep(1500); // long enough for the socket buffers to fill: the writer is now held
        long start = System.nanoTime();
        conn.finish();
        long finishMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        int last = writer.get(5, TimeUnit.SECONDS);
        long releasedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        writing.set(false);
        assertTrue(finishMillis < 1000, "finish took " + finishMillis + " ms");
        assertTrue(releasedMillis < 1000, "writer released after " + releasedMillis + " ms");
        assertEquals(-1, last, "the released writer sees a finished connection");
        assertTrue(conn.isFinished());
    }
}

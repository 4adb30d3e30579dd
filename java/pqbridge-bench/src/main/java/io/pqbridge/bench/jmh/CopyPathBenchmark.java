package io.pqbridge.bench.jmh;

import io.pqbridge.Connection;
import io.pqbridge.Copy;
import io.pqbridge.Cursor;
import io.pqbridge.bench.RowData;
import io.pqbridge.pq.Pq;
import io.pqbridge.testing.ThrowawayPostgres;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The raw COPY buffer paths of the facade against a real server (a throwaway PostgreSQL, or
 * {@code PQBRIDGE_BENCH_DSN}): {@link Copy#readInto} into a direct or a heap buffer, and
 * {@link Copy#write(ByteBuffer)} of 1 MiB chunks from a direct or a heap buffer, on each backend.
 * Scores are per row of {@value #ROWS}. The server's own work is in the score, so compare
 * backends and buffer kinds with each other, not with the row codecs. Run with
 * {@code scripts/bench --jmh CopyPath} ({@code -p backend=native} for one backend).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CopyPathBenchmark {

    private static final int ROWS = 100_000;
    private static final int CHUNK = 1 << 20;

    @Param({"native", "java"})
    public String backend;

    @Param({"direct", "heap"})
    public String buffer;

    private ThrowawayPostgres server;
    private Connection conn;
    private ByteBuffer readBuffer;
    private ByteBuffer data;

    @Setup(Level.Trial)
    public void setup() {
        String dsn = System.getenv("PQBRIDGE_BENCH_DSN");
        String conninfo;
        if (dsn != null && !dsn.isBlank()) {
            conninfo = dsn;
        } else {
            server = ThrowawayPostgres.start();
            conninfo = server.tcpConninfo();
        }
        conn = Connection.connect(Pq.backend(backend), conninfo);
        conn.setAutocommit(true);
        conn.execute("DROP TABLE IF EXISTS jmh_rows");
        conn.execute("CREATE UNLOGGED TABLE jmh_rows " + RowData.COLUMNS);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < ROWS; i++) {
            text.append(RowData.textLine(i));
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
        boolean direct = buffer.equals("direct");
        data = direct ? ByteBuffer.allocateDirect(bytes.length) : ByteBuffer.allocate(bytes.length);
        data.put(bytes).flip();
        conn.cursor().copy("COPY jmh_rows FROM STDIN", copy -> copy.write(data.duplicate()));
        conn.execute("VACUUM (FREEZE, ANALYZE) jmh_rows");
        readBuffer = direct ? ByteBuffer.allocateDirect(CHUNK) : ByteBuffer.allocate(CHUNK);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        conn.close();
        if (server != null) {
            server.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long readInto() {
        long bytes = 0;
        Cursor cur = conn.cursor();
        try (Copy copy = cur.copy("COPY jmh_rows TO STDOUT")) {
            for (int n = copy.readInto(readBuffer.clear()); n >= 0; n = copy.readInto(readBuffer.clear())) {
                bytes += n;
            }
            copy.finish();
        }
        return bytes;
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long write() {
        Cursor cur = conn.cursor();
        cur.execute("TRUNCATE jmh_rows");
        try (Copy copy = cur.copy("COPY jmh_rows FROM STDIN")) {
            ByteBuffer all = data.duplicate();
            while (all.hasRemaining()) {
                ByteBuffer chunk = all.slice();
                chunk.limit(Math.min(CHUNK, chunk.remaining()));
                all.position(all.position() + chunk.remaining());
                copy.write(chunk);
            }
            copy.finish();
        }
        return cur.rowCount();
    }
}

package io.pqbridge.bench;

import io.pqbridge.Connection;
import io.pqbridge.Copy;
import io.pqbridge.Cursor;
import io.pqbridge.Row;
import io.pqbridge.RowStream;
import io.pqbridge.ServerCursor;
import io.pqbridge.pool.ConnectionPool;
import io.pqbridge.pq.Pq;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The pqbridge contestants, through the public facade exactly as a user writes it: raw COPY with
 * {@link Copy#write(ByteBuffer)} of large chunks and {@link Copy#readInto(ByteBuffer)}, typed COPY
 * with {@link Copy#writeRow} and {@link Copy#rows()} after {@link Copy#setTypes}, round trips with
 * {@link Cursor#execute} and {@link Cursor#fetchOne()} (W4p: with a parameter, left to the
 * connection's automatic preparation at its default threshold, as users get it), a result larger
 * than the heap with {@link Cursor#stream} in chunks of 1,000 rows (W10: every column of every {@link Row} read with
 * {@link Row#get(int)}), a batch of INSERTs with {@link Cursor#executeMany} (W9), a
 * {@link ConnectionPool} used with its scoped forms (W11). The backend is
 * the JVM's ({@code -Dpqbridge.impl}), checked against the contestant so a fallback cannot go unnoticed.
 * Connections are in autocommit, as pgjdbc's and libpq's are by default: each COPY is its own
 * transaction on every contestant.
 */
final class PqbridgeClient implements Client {

    /** W10's rows per result: chunked-rows mode, as a user streaming a large result sets it (psycopg's stream size). */
    static final int STREAM_CHUNK = 1000;
    /** Receive buffer for COPY OUT: large enough that one readInto takes many messages. */
    private static final int READ_BUFFER = 1 << 20;

    private final String conninfo;
    private final BenchInput input;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER);
    /** Consumed values (a heap store the JIT must keep), so no decoding is dropped as unused. */
    private long sink;

    PqbridgeClient(String conninfo, BenchInput input) {
        this.conninfo = conninfo;
        this.input = input;
    }

    @Override
    public Measurement run(Workload workload, Contestant contestant, long rows) throws Exception {
        if (workload == Workload.W11) {
            return poolCycles(contestant, rows);
        }
        try (Connection conn = Connection.connect(conninfo)) {
            if (!conn.backend().equals(contestant.backend())) {
                throw new IllegalStateException(contestant.label() + " asked, but this JVM runs the "
                        + conn.backend() + " backend (check -Dpqbridge.impl)");
            }
            conn.setAutocommit(true);
            Cursor cur = conn.cursor();
            if (workload.prepareSql() != null) {
                cur.execute(workload.prepareSql());
            }
            List<ByteBuffer> chunks = workload == Workload.W1 ? input.directChunks() : null;
            Object[][] pool = workload == Workload.W5_TEXT || workload == Workload.W5_BINARY ? input.valuePool() : null;
            List<Object[]> batch = workload == Workload.W9 ? manyRows(rows) : null;
            Meter meter = Meter.start(conn.info().backendPid());
            return switch (workload) {
                case W1 -> {
                    long bytes = 0;
                    try (Copy copy = cur.copy(workload.sql())) {
                        for (ByteBuffer chunk : chunks) {
                            bytes += chunk.remaining();
                            copy.write(chunk.duplicate());
                        }
                        copy.finish();
                    }
                    yield meter.stop(cur.rowCount(), bytes);
                }
                case W2, W3, W7 -> {
                    long bytes = 0;
                    try (Copy copy = cur.copy(workload.sql())) {
                        for (int n = copy.readInto(readBuffer.clear()); n >= 0; n = copy.readInto(readBuffer.clear())) {
                            bytes += n;
                        }
                        copy.finish();
                    }
                    yield meter.stop(cur.rowCount(), bytes);
                }
                case W4 -> {
                    long sum = 0;
                    for (long i = 0; i < rows; i++) {
                        sum += cur.execute(workload.sql()).fetchOne().getInt(0);
                    }
                    if (sum != rows) {
                        throw new IllegalStateException("SELECT 1 returned something else than 1");
                    }
                    yield meter.stop(rows, 0);
                }
                case W4P -> {
                    // no preparation call: the facade prepares the statement on its 5th run (prepareThreshold)
                    long sum = 0;
                    for (long i = 0; i < rows; i++) {
                        int k = Workload.preparedParameter(i);
                        sum += cur.execute("SELECT %s::int", k).fetchOne().getInt(0);
                    }
                    if (sum != Workload.preparedSum(rows)) {
                        throw new IllegalStateException("SELECT %s::int returned other values than its parameters");
                    }
                    yield meter.stop(rows, 0);
                }
                case W5_TEXT, W5_BINARY -> {
                    try (Copy copy = cur.copy(workload.sql())) {
                        copy.setTypes(RowData.TYPES);
                        for (long i = 0, k = 0; i < rows; i++, k = k + 1 == pool.length ? 0 : k + 1) {
                            copy.writeRow(pool[(int) k]);
                        }
                        copy.finish();
                    }
                    yield meter.stop(cur.rowCount(), 0);
                }
                case W6 -> {
                    long count = 0;
                    try (Copy copy = cur.copy(workload.sql())) {
                        copy.setTypes(RowData.TYPES);
                        for (Object[] row : copy.rows()) {
                            sink += row.length + (row[1] == null ? 0 : 1);
                            count++;
                        }
                        copy.finish();
                    }
                    yield meter.stop(count, 0);
                }
                case W10 -> {
                    if (contestant == Contestant.NATIVE_CURSOR || contestant == Contestant.JAVA_CURSOR) {
                        // a server-side cursor, DECLAREd in a transaction and fetched STREAM_CHUNK rows at a time
                        conn.setAutocommit(false);
                        long count = 0;
                        try (ServerCursor named = conn.cursor("w10")) {
                            named.setItersize(STREAM_CHUNK);
                            named.execute(workload.sql());
                            for (Row r : named) {
                                for (int i = 0, n = r.size(); i < n; i++) {
                                    sink += r.get(i) == null ? 0 : 1;
                                }
                                count++;
                            }
                        }
                        conn.commit();
                        yield meter.stop(count, 0);
                    }
                    // as a user streams a large result: one row in memory at a time, every value decoded
                    long count = 0;
                    try (RowStream stream = cur.stream(workload.sql(), (Object[]) null, STREAM_CHUNK)) {
                        for (Row r : stream) {
                            for (int i = 0, n = r.size(); i < n; i++) {
                                sink += r.get(i) == null ? 0 : 1;
                            }
                            count++;
                        }
                    }
                    // the server's own count, from the command tag of the ended stream
                    if (!("SELECT " + count).equals(cur.statusMessage())) {
                        throw new IllegalStateException("the stream gave " + count + " rows, its statement ended with "
                                + cur.statusMessage());
                    }
                    yield meter.stop(count, 0);
                }
                case W9 -> {
                    // one transaction: executeMany pipelines the INSERTs and prepares the statement
                    conn.setAutocommit(false);
                    cur.executeMany("INSERT INTO " + Workload.MANY + " VALUES (%s, %s, %s)", batch);
                    long stored = cur.rowCount();
                    conn.commit();
                    yield meter.stop(stored, 0);
                }
                case W8 -> throw new IllegalArgumentException("W8 is run by the command-line tool, not a worker");
                case W11 -> throw new IllegalArgumentException("W11 runs on a pool, not on one connection");
            };
        }
    }

    /**
     * W11 for {@code millis} per phase: a pool opened as its users open one, on the contestant's
     * backend, filled before the clock starts; each cycle is the scoped form ({@code connectionResult}
     * to get the query's value out, {@code connection} with an empty body for the bare phase),
     * which commits (nothing to do in autocommit) and gives the connection back.
     */
    private Measurement poolCycles(Contestant contestant, long millis) throws Exception {
        try (ConnectionPool pool = ConnectionPool.builder(conninfo).backend(Pq.backend(contestant.backend()))
                .minSize(Workload.POOL_SIZE).maxSize(Workload.POOL_SIZE).kwargs(Map.of("autocommit", true)).open()) {
            pool.waitReady(Duration.ofSeconds(60));
            String sql = Workload.W11.sql();
            return PoolCycles.run(millis, () -> pool.connectionResult(conn -> conn.execute(sql).fetchOne().getInt(0)),
                    () -> pool.connection(conn -> {
                    }));
        }
    }

    /** W9's parameters, built before the clock starts: id, name and at of the benchmark's first rows. */
    private static List<Object[]> manyRows(long rows) {
        List<Object[]> batch = new java.util.ArrayList<>(Math.toIntExact(rows));
        for (long i = 0; i < rows; i++) {
            batch.add(new Object[] {RowData.id(i), RowData.name(i), RowData.at(i)});
        }
        return batch;
    }
}

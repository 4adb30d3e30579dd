package io.pqbridge.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import de.bytefish.pgbulkinsert.PgBulkInsert;
import de.bytefish.pgbulkinsert.mapping.AbstractMapping;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.ZonedDateTime;
import java.util.stream.IntStream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * The pgjdbc contestants, written the way pgjdbc's documentation shows: {@link CopyManager}
 * ({@code copyIn().writeToCopy} of large chunks, {@code copyOut(sql, OutputStream)}), a
 * {@link PreparedStatement} reused for the round trips (W4p: with {@code setInt}; pgjdbc's default
 * {@code prepareThreshold=5} makes it a named server-side statement from the 5th run), and
 * PgBulkInsert's {@code saveAll} for typed binary rows (its entity holds primitives and a
 * {@link ZonedDateTime}, PgBulkInsert's type for timestamptz). Autocommit, pgjdbc's default, but
 * for W10: pgjdbc streams a result (a portal read {@code setFetchSize} rows at a time) only inside
 * a transaction, so there it runs with {@code setAutoCommit(false)}, as its documentation says. W9
 * batches with {@code addBatch}/{@code executeBatch} in a transaction, as it is and, as the
 * {@link Contestant#PGJDBC_REWRITE} contestant, with {@code reWriteBatchedInserts=true}. W11 is
 * HikariCP's pool of these connections ({@link Contestant#HIKARI}), used as its documentation shows.
 */
final class PgjdbcClient implements Client {

    /** W10's fetch size: the rows pgjdbc holds at a time, a size users commonly choose. */
    private static final int FETCH_SIZE = 10_000;

    private final String url;
    /** Consumed values (a heap store the JIT must keep), so no decoding is dropped as unused. */
    private long sink;
    private final BenchInput input;
    private Entity[] entityPool;

    PgjdbcClient(String url, BenchInput input) {
        this.url = url;
        this.input = input;
    }

    @Override
    public Measurement run(Workload workload, Contestant contestant, long rows) throws Exception {
        if (contestant == Contestant.HIKARI) {
            return hikariCycles(rows);
        }
        java.util.Properties properties = new java.util.Properties();
        if (contestant == Contestant.PGJDBC_REWRITE) {
            properties.setProperty("reWriteBatchedInserts", "true");
        }
        try (Connection c = DriverManager.getConnection(url, properties)) {
            c.setAutoCommit(true);
            if (workload.prepareSql() != null) {
                try (Statement st = c.createStatement()) {
                    st.execute(workload.prepareSql());
                }
            }
            PGConnection pg = c.unwrap(PGConnection.class);
            CopyManager copy = pg.getCopyAPI();
            var chunks = workload == Workload.W1 ? input.heapChunks() : null;
            Entity[] pool = contestant == Contestant.PGBULKINSERT ? entityPool() : null;
            PgBulkInsert<Entity> bulk = contestant == Contestant.PGBULKINSERT ? new PgBulkInsert<>(new Mapping()) : null;
            Meter meter = Meter.start(pg.getBackendPID());
            switch (workload) {
                case W1 -> {
                    long bytes = 0;
                    CopyIn in = copy.copyIn(workload.sql());
                    for (byte[] chunk : chunks) {
                        in.writeToCopy(chunk, 0, chunk.length);
                        bytes += chunk.length;
                    }
                    return meter.stop(in.endCopy(), bytes);
                }
                case W2, W3, W7 -> {
                    CountingSink out = new CountingSink();
                    long count = copy.copyOut(workload.sql(), out);
                    return meter.stop(count, out.bytes);
                }
                case W4 -> {
                    long sum = 0;
                    try (PreparedStatement ps = c.prepareStatement(workload.sql())) {
                        for (long i = 0; i < rows; i++) {
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next();
                                sum += rs.getInt(1);
                            }
                        }
                    }
                    if (sum != rows) {
                        throw new IllegalStateException("SELECT 1 returned something else than 1");
                    }
                    return meter.stop(rows, 0);
                }
                case W4P -> {
                    long sum = 0;
                    try (PreparedStatement ps = c.prepareStatement("SELECT ?::int")) {
                        for (long i = 0; i < rows; i++) {
                            ps.setInt(1, Workload.preparedParameter(i));
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next();
                                sum += rs.getInt(1);
                            }
                        }
                    }
                    if (sum != Workload.preparedSum(rows)) {
                        throw new IllegalStateException("SELECT ?::int returned other values than its parameters");
                    }
                    return meter.stop(rows, 0);
                }
                case W9 -> {
                    // addBatch and executeBatch in a transaction, as pgjdbc's documentation batches
                    java.time.OffsetDateTime[] at = new java.time.OffsetDateTime[Math.toIntExact(rows)];
                    String[] names = new String[at.length];
                    for (int i = 0; i < at.length; i++) {
                        at[i] = RowData.at(i);
                        names[i] = RowData.name(i);
                    }
                    meter = Meter.start(pg.getBackendPID()); // the parameters are built before the clock, as for the others
                    c.setAutoCommit(false);
                    long stored = 0;
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + Workload.MANY + " VALUES (?, ?, ?)")) {
                        for (int i = 0; i < at.length; i++) {
                            ps.setLong(1, RowData.id(i));
                            ps.setString(2, names[i]);
                            ps.setObject(3, at[i]);
                            ps.addBatch();
                        }
                        for (int n : ps.executeBatch()) {
                            stored += n == Statement.SUCCESS_NO_INFO ? 1 : n;
                        }
                    }
                    c.commit();
                    return meter.stop(stored, 0);
                }
                case W10 -> {
                    // a transaction and a fetch size: the way pgjdbc reads a result without holding all of it
                    c.setAutoCommit(false);
                    long count = 0;
                    try (Statement st = c.createStatement()) {
                        st.setFetchSize(FETCH_SIZE);
                        try (ResultSet rs = st.executeQuery(workload.sql())) {
                            int columns = rs.getMetaData().getColumnCount();
                            while (rs.next()) {
                                for (int i = 1; i <= columns; i++) {
                                    sink += rs.getObject(i) == null ? 0 : 1;
                                }
                                count++;
                            }
                        }
                    }
                    c.commit();
                    return meter.stop(count, 0);
                }
                case W5_BINARY -> {
                    if (contestant != Contestant.PGBULKINSERT) {
                        throw new IllegalArgumentException("W5 binary on pgjdbc is PgBulkInsert's");
                    }
                    bulk.saveAll(pg, IntStream.range(0, Math.toIntExact(rows)).mapToObj(i -> pool[i % pool.length]));
                    return meter.stop(rows, 0);
                }
                default -> throw new IllegalArgumentException(contestant.label() + " does not run " + workload.label());
            }
        }
    }

    /**
     * W11 for {@code millis} per phase: a {@link HikariDataSource} of the same size as pqbridge's
     * pool (autocommit: HikariCP's default), filled before the clock starts; a cycle borrows with
     * {@code getConnection()} and gives back with {@code close()} (try-with-resources), running
     * the query through a {@link PreparedStatement} as W4 does, or nothing.
     */
    @SuppressWarnings("try") // the bare cycle's resource is only borrowed and given back: that is the point
    private Measurement hikariCycles(long millis) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMinimumIdle(Workload.POOL_SIZE);
        config.setMaximumPoolSize(Workload.POOL_SIZE);
        try (HikariDataSource ds = new HikariDataSource(config)) {
            awaitFilled(ds.getHikariPoolMXBean());
            String sql = Workload.W11.sql();
            return PoolCycles.run(millis, () -> {
                try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }, () -> {
                try (Connection c = ds.getConnection()) {
                    // borrowed and given back
                }
            });
        }
    }

    /** Waits until HikariCP's housekeeper opened every connection, as pqbridge's {@code waitReady} does. */
    private static void awaitFilled(HikariPoolMXBean pool) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (pool.getIdleConnections() < Workload.POOL_SIZE) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("HikariCP opened " + pool.getTotalConnections() + " of "
                        + Workload.POOL_SIZE + " connections in 60 s");
            }
            Thread.sleep(10);
        }
    }

    private Entity[] entityPool() {
        if (entityPool == null) {
            Entity[] pool = new Entity[input.poolSize()];
            for (int i = 0; i < pool.length; i++) {
                pool[i] = new Entity(RowData.id(i), RowData.name(i), RowData.score(i), RowData.atZoned(i), RowData.n(i));
            }
            entityPool = pool;
        }
        return entityPool;
    }

    /** One row as PgBulkInsert users model it. */
    record Entity(long id, String name, double score, ZonedDateTime at, int n) {
    }

    /** PgBulkInsert's mapping of {@link Entity} onto the COPY target table. */
    static final class Mapping extends AbstractMapping<Entity> {
        Mapping() {
            super("public", Workload.TARGET);
            mapLongPrimitive("id", Entity::id);
            mapText("name", Entity::name);
            mapDoublePrimitive("score", Entity::score);
            mapTimeStampTz("at", Entity::at);
            mapIntegerPrimitive("n", Entity::n);
        }
    }

    /** Drops the data, counting it. */
    private static final class CountingSink extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}

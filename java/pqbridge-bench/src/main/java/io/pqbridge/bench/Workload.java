package io.pqbridge.bench;

import static io.pqbridge.bench.Contestant.CLI_BINARY_WIRE;
import static io.pqbridge.bench.Contestant.CLI_LOAD;
import static io.pqbridge.bench.Contestant.HIKARI;
import static io.pqbridge.bench.Contestant.JAVA;
import static io.pqbridge.bench.Contestant.LIBPQ;
import static io.pqbridge.bench.Contestant.NATIVE;
import static io.pqbridge.bench.Contestant.PGBULKINSERT;
import static io.pqbridge.bench.Contestant.PGJDBC;
import static io.pqbridge.bench.Contestant.PGJDBC_REWRITE;
import static io.pqbridge.bench.Contestant.PSQL;
import static io.pqbridge.bench.Contestant.SERVER;

import java.util.List;

/**
 * The workloads of issue 5. COPY IN workloads load {@link #TARGET} (truncated, untimed, before
 * every run); COPY OUT workloads and W10's query read {@link #SOURCE}, loaded once with the same rows. Both are
 * UNLOGGED tables of {@link RowData#COLUMNS}.
 */
public enum Workload {
    W1("W1", "COPY FROM STDIN, text, raw chunks from memory", "COPY " + Workload.TARGET + " FROM STDIN",
            List.of(NATIVE, JAVA, PGJDBC, LIBPQ, PSQL, SERVER)),
    W2("W2", "COPY TO STDOUT, text, data discarded", "COPY " + Workload.SOURCE + " TO STDOUT",
            List.of(NATIVE, JAVA, PGJDBC, LIBPQ, PSQL, SERVER)),
    W3("W3", "COPY TO STDOUT, binary, data discarded", "COPY " + Workload.SOURCE + " TO STDOUT (FORMAT BINARY)",
            List.of(NATIVE, JAVA, PGJDBC, LIBPQ, PSQL, SERVER)),
    W4("W4", "sequential SELECT 1 round trips", "SELECT 1", List.of(NATIVE, JAVA, PGJDBC, LIBPQ)),
    /**
     * W4 with a parameter and a prepared statement, the way applications run their queries: the
     * statement in each client's placeholder style ({@code %s}, {@code ?}, {@code $1}), prepared
     * by the client's own means, each run with {@link #preparedParameter(long)}.
     */
    W4P("W4p", "sequential prepared SELECT $1::int round trips", "SELECT $1::int",
            List.of(NATIVE, JAVA, PGJDBC, LIBPQ)),
    W5_TEXT("W5 text", "typed rows in: writeRow of Java values, text", "COPY " + Workload.TARGET + " FROM STDIN",
            List.of(NATIVE, JAVA)),
    W5_BINARY("W5 binary", "typed rows in: writeRow of Java values, binary",
            "COPY " + Workload.TARGET + " FROM STDIN (FORMAT BINARY)", List.of(NATIVE, JAVA, PGBULKINSERT)),
    W6("W6", "typed rows out: rows() with setTypes, binary", "COPY " + Workload.SOURCE + " TO STDOUT (FORMAT BINARY)",
            List.of(NATIVE, JAVA)),
    W7("W7", "COPY TO STDOUT, text, readInto stream at -Xmx64m", "COPY " + Workload.SOURCE + " TO STDOUT",
            List.of(NATIVE, JAVA, PGJDBC)),
    W8("W8 load", "a CSV file loaded by a command-line tool (whole process, start-up included)",
            "COPY " + Workload.TARGET + " FROM STDIN (FORMAT csv)", List.of(PSQL, CLI_LOAD, CLI_BINARY_WIRE,
                    Contestant.CLI_LOAD_JOBS2)),
    /**
     * executemany: {@code --batch} parameterised INSERTs of three columns of the benchmark's rows
     * (id int8, name text, at timestamptz) into {@link #MANY}, in one transaction, each client the
     * way its documentation batches (pqbridge: {@code executeMany}, pipelined and prepared; pgjdbc:
     * {@code addBatch}/{@code executeBatch}, as it is and with {@code reWriteBatchedInserts}; libpq
     * C: pipeline mode), BEGIN and COMMIT included.
     */
    W9("W9", "executemany: parameterised INSERTs in one transaction", "INSERT INTO " + Workload.MANY
            + " VALUES ($1, $2, $3)", List.of(NATIVE, JAVA, PGJDBC, PGJDBC_REWRITE, LIBPQ)),
    /**
     * The source table read by a query, row by row as each client streams a result larger than its
     * heap (pqbridge: {@code Cursor.stream}, single-row mode; pgjdbc: a fetch size in a transaction;
     * libpq C: {@code PQsetSingleRowMode}; pqbridge also through a named cursor), every column of every
     * row read, at -Xmx64m like W7.
     */
    W10("W10", "streaming SELECT, row by row at -Xmx64m", "SELECT * FROM " + Workload.SOURCE,
            List.of(NATIVE, JAVA, Contestant.NATIVE_CURSOR, Contestant.JAVA_CURSOR, PGJDBC, LIBPQ)),
    /**
     * A connection pool under contention ({@link PoolCycles}): {@value #POOL_THREADS} threads
     * borrow from {@value #POOL_SIZE} connections (min = max, autocommit), run the statement and
     * give the connection back, for {@code --w11-seconds}; then borrow and give back alone for as
     * long. pqbridge's {@code ConnectionPool} on each backend against HikariCP over pgjdbc.
     */
    W11("W11", "connection pool: 16 threads borrow, SELECT 1, return, for a fixed time", "SELECT 1",
            List.of(NATIVE, JAVA, HIKARI));

    /** The table COPY IN workloads load. */
    public static final String TARGET = "bench_in";
    /** The table COPY OUT workloads and W10 read. */
    public static final String SOURCE = "bench_rows";
    /** The table W9 inserts into. */
    public static final String MANY = "bench_many";
    /** W9's columns. */
    public static final String MANY_COLUMNS = "(id int8, name text, at timestamptz)";
    /** W11's threads. */
    public static final int POOL_THREADS = 16;
    /** W11's pool size, its minimum and its maximum. */
    public static final int POOL_SIZE = 8;

    private final String label;
    private final String description;
    private final String sql;
    private final List<Contestant> contestants;

    Workload(String label, String description, String sql, List<Contestant> contestants) {
        this.label = label;
        this.description = description;
        this.sql = sql;
        this.contestants = contestants;
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /**
     * The statement the client sends (W4, W4p: the query of each round trip; W4p's in libpq's
     * {@code $1} style; W10: the query whose rows are streamed; W11: the query of each cycle).
     */
    public String sql() {
        return sql;
    }

    public List<Contestant> contestants() {
        return contestants;
    }

    /** Whether the workload is a number of round trips ({@code --round-trips}) rather than rows. */
    public boolean roundTrips() {
        return this == W4 || this == W4P;
    }

    /** Whether the workload runs for a fixed time ({@code --w11-seconds}) and counts what it did (W11). */
    public boolean fixedTime() {
        return this == W11;
    }

    /** W4p's parameter of round trip {@code i} (0-based): a different value each time, small. */
    public static int preparedParameter(long i) {
        return (int) (i % 1000);
    }

    /** The sum of W4p's results over {@code n} round trips: what every client checks. */
    public static long preparedSum(long n) {
        long rest = n % 1000;
        return n / 1000 * (999 * 1000 / 2) + rest * (rest - 1) / 2;
    }

    /** Whether the client JVMs run it at -Xmx64m (W7, W10: what must work in a small heap) rather than --worker-heap. */
    public boolean smallHeap() {
        return this == W7 || this == W10;
    }

    public boolean copyIn() {
        return this == W1 || this == W5_TEXT || this == W5_BINARY || this == W8;
    }

    /** Untimed preparation each client runs on its connection before the workload, or null. */
    public String prepareSql() {
        if (this == W9) {
            return "TRUNCATE " + MANY;
        }
        return copyIn() ? "TRUNCATE " + TARGET : null;
    }

    /** The server-alone statement: the same COPY with a server-side file ({@code dataFile} for W1). */
    public String serverSql(String dataFile) {
        return switch (this) {
            case W1 -> "COPY " + TARGET + " FROM '" + dataFile + "'";
            case W2 -> "COPY " + SOURCE + " TO '/dev/null'";
            case W3 -> "COPY " + SOURCE + " TO '/dev/null' (FORMAT BINARY)";
            default -> throw new IllegalArgumentException(label + " has no server-alone form");
        };
    }

    /** psql's client-side form of the same COPY ({@code dataFile}: W8's CSV file for W8). */
    public String psqlCommand(String dataFile) {
        return switch (this) {
            case W1 -> "\\copy " + TARGET + " FROM '" + dataFile + "'";
            case W8 -> "\\copy " + TARGET + " FROM '" + dataFile + "' (FORMAT csv)";
            case W2 -> "\\copy " + SOURCE + " TO '/dev/null'";
            case W3 -> "\\copy " + SOURCE + " TO '/dev/null' (FORMAT BINARY)";
            default -> throw new IllegalArgumentException(label + " has no psql form");
        };
    }

    /** Parses {@code W1}..{@code W11} and {@code W4p}; {@code W5} means both W5 workloads. */
    public static List<Workload> parse(String name) {
        String n = name.trim().toUpperCase(java.util.Locale.ROOT);
        if (n.equals("W5")) {
            return List.of(W5_TEXT, W5_BINARY);
        }
        for (Workload w : values()) {
            if (w.name().equals(n) || w.label.toUpperCase(java.util.Locale.ROOT).equals(n)) {
                return List.of(w);
            }
        }
        throw new IllegalArgumentException("unknown workload '" + name + "'; use W1..W11, W4p, W5_TEXT or W5_BINARY");
    }
}

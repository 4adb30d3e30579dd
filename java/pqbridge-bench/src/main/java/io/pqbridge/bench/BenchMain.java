package io.pqbridge.bench;

import io.pqbridge.Connection;
import io.pqbridge.pq.Pq;
import io.pqbridge.testing.ThrowawayPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark of issue 5 ({@code scripts/bench}): every workload by every contestant on one
 * server with the same data, in alternating order, then a report.
 *
 * <h2>Fairness</h2>
 * <ul>
 *   <li>One server, one data set: {@link RowData} writes the rows once as a COPY text file; W1's
 *       contestants all send that file's bytes, the server-alone run reads it, and the COPY OUT
 *       workloads read a table loaded from it.</li>
 *   <li>Every client connects over TCP to 127.0.0.1 (pgjdbc has no Unix sockets), in autocommit,
 *       on a fresh connection per run; preparation (TRUNCATE of the COPY IN table) is untimed.</li>
 *   <li>Rounds alternate: round {@code r} runs the contestants rotated by {@code r}, so nobody is
 *       always first after a TRUNCATE or always last. Warm-up rounds run first and are reported
 *       apart, never in the medians.</li>
 *   <li>Client CPU is measured inside each client process around the workload alone (JVM:
 *       process CPU time, all threads; C: CLOCK_PROCESS_CPUTIME_ID; psql: its rusage, which
 *       includes its start-up and connection, a few milliseconds).</li>
 *   <li>Results are checked: each run's row count (W4, W4p: round trips, each client also checks
 *       the sum of the values it read; W11 runs for a fixed time, so it checks that it made
 *       progress and the sum of what its queries read), and in warm-up rounds a checksum of the
 *       loaded table (W1 must equal the source table; W5 runs must equal each other).</li>
 * </ul>
 */
public final class BenchMain {

    /** One measured or warm-up run. */
    record Sample(Workload workload, Contestant contestant, int round, boolean warmup, Measurement m) {
    }

    private final BenchOptions options;
    private final List<String> notes = new ArrayList<>();
    private final List<Sample> samples = new ArrayList<>();
    private final Map<Workload, String> w5Checksum = new EnumMap<>(Workload.class);
    /** What the first contestant's W9 run stored, which every other must store too. */
    private String w9Checksum;
    private String conninfo;
    private String jdbcUrl;
    private Path dataFile;
    /** W8's input: the same rows as a CSV file (written only when W8 runs). */
    private Path csvFile;
    private boolean localServer;
    private String sourceChecksum;
    private ProcessRun processes;

    private BenchMain(BenchOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        new BenchMain(options).run();
    }

    private void run() throws IOException {
        Path out = options.out().toAbsolutePath();
        Files.createDirectories(out);
        processes = new ProcessRun(options.pqcopybench(), out.resolve("logs"));
        String dsn = System.getenv("PQBRIDGE_BENCH_DSN");
        ThrowawayPostgres server = null;
        try {
            if (dsn != null && !dsn.isBlank()) {
                conninfo = dsn;
                localServer = false;
                notes.add("Server: PQBRIDGE_BENCH_DSN; server CPU is shown only when the server runs on this machine.");
            } else {
                log("starting a throwaway PostgreSQL");
                server = ThrowawayPostgres.start();
                // W8's load --jobs 2 commits by two-phase commit, which the server must allow
                server.appendConfig("max_prepared_transactions = 10\n");
                server.stopImmediately();
                server.restart();
                conninfo = server.tcpConninfo();
                localServer = true;
            }
            jdbcUrl = JdbcUrl.fromConninfo(conninfo);
            prepareData(out);
            MachineInfo machine = MachineInfo.collect(conninfo, options);
            runAll(out);
            Report report = new Report(options, machine, samples, notes);
            report.write(out);
            System.out.println(Files.readString(out.resolve("results.md")));
            log("wrote " + out.resolve("results.md") + ", " + out.resolve("results.svg") + " and "
                    + out.resolve("samples.csv"));
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    // ---- data ---------------------------------------------------------------------------------

    private void prepareData(Path out) throws IOException {
        Path dataDir = out.resolve("data");
        Files.createDirectories(dataDir);
        dataFile = dataDir.resolve("rows-" + options.rows() + ".copy");
        if (!Files.isRegularFile(dataFile)) {
            log("writing " + options.rows() + " rows to " + dataFile);
            Path tmp = dataDir.resolve(dataFile.getFileName() + ".tmp");
            RowData.writeTextFile(tmp, options.rows());
            Files.move(tmp, dataFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        log("data: " + options.rows() + " rows, " + Files.size(dataFile) / 1_000_000 + " MB");
        try (Connection conn = Connection.connect(conninfo)) {
            conn.setAutocommit(true);
            for (String table : List.of(Workload.TARGET, Workload.SOURCE)) {
                conn.execute("DROP TABLE IF EXISTS " + table);
                conn.execute("CREATE UNLOGGED TABLE " + table + " " + RowData.COLUMNS);
            }
            conn.execute("DROP TABLE IF EXISTS " + Workload.MANY);
            conn.execute("CREATE UNLOGGED TABLE " + Workload.MANY + " " + Workload.MANY_COLUMNS);
        }
        processes.pqcopybench(null, conninfo, "copy-in", "COPY " + Workload.SOURCE + " FROM STDIN",
                dataFile.toString(), Integer.toString(options.chunkBytes()));
        try (Connection conn = Connection.connect(conninfo)) {
            conn.setAutocommit(true);
            conn.execute("VACUUM (FREEZE, ANALYZE) " + Workload.SOURCE);
        }
        sourceChecksum = checksum(Workload.SOURCE);
        if (options.workloads().contains(Workload.W8)) {
            writeCsvFile(dataDir);
        }
    }

    /** The source table as CSV, unloaded once through pqbridge (untimed): W8's input. */
    private void writeCsvFile(Path dataDir) throws IOException {
        csvFile = dataDir.resolve("rows-" + options.rows() + ".csv");
        if (Files.isRegularFile(csvFile)) {
            return;
        }
        log("writing " + csvFile);
        Path tmp = dataDir.resolve(csvFile.getFileName() + ".tmp");
        try (Connection conn = Connection.connect(conninfo);
                java.nio.channels.FileChannel file = java.nio.channels.FileChannel.open(tmp,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
                        java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(1 << 20);
            conn.cursor().copy("COPY " + Workload.SOURCE + " TO STDOUT (FORMAT csv)", copy -> {
                while (copy.readInto(buffer) > 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        file.write(buffer);
                    }
                    buffer.clear();
                }
            });
        }
        Files.move(tmp, csvFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private long count(String table) {
        try (Connection conn = Connection.connect(conninfo)) {
            return conn.execute("SELECT count(*) FROM " + table).fetchOne().getLong(0);
        }
    }

    /** Order-independent sums of every column (exact: a parallel plan adds in any order). */
    private String checksum(String table) {
        return queryText("SELECT count(*) || ' ' || coalesce(sum(id), 0) || ' ' || coalesce(sum(n), 0) || ' '"
                + " || coalesce(sum(hashtext(name)), 0) || ' ' || coalesce(sum(hashtext(score::text)), 0) || ' '"
                + " || coalesce(sum(extract(epoch from at)), 0) FROM " + table);
    }

    /** The text of a one-value query, on a connection of its own. */
    private String queryText(String sql) {
        try (Connection conn = Connection.connect(conninfo)) {
            return conn.execute(sql).fetchOne().getString(0);
        }
    }

    // ---- runs ---------------------------------------------------------------------------------

    private void runAll(Path out) {
        Map<Contestant, String> unavailable = availability();
        unavailable.forEach((c, why) -> notes.add(c.label() + " skipped: " + why));
        Map<String, JvmWorker> workers = new HashMap<>();
        try {
            for (Workload w : options.workloads()) {
                List<Contestant> contestants = new ArrayList<>();
                for (Contestant c : w.contestants()) {
                    if (options.contestants().contains(c) && !unavailable.containsKey(c)) {
                        contestants.add(c);
                    }
                }
                if (contestants.isEmpty()) {
                    notes.add(w.label() + " not run: none of its contestants is available");
                    continue;
                }
                if (w.smallHeap()) {
                    // the big-heap JVMs end (their memory freed), and W7 and W10 each get fresh -Xmx64m
                    // JVMs: no heap or JIT state carried over from another workload
                    workers.values().forEach(JvmWorker::close);
                    workers.clear();
                }
                // the size of a run: rows, round trips, or W11's milliseconds per phase
                long rows = w.fixedTime() ? options.w11Seconds() * 1000L : w.roundTrips() ? options.roundTrips()
                        : w == Workload.W9 ? options.batch() : options.rows();
                int total = options.warmup() + options.rounds();
                for (int round = 0; round < total; round++) {
                    List<Contestant> order = new ArrayList<>(contestants);
                    java.util.Collections.rotate(order, -round);
                    for (Contestant c : order) {
                        boolean warmup = round < options.warmup();
                        Measurement m;
                        try {
                            m = runOne(w, c, rows, workers, out);
                            check(w, c, rows, m, round == 0);
                        } catch (RuntimeException e) {
                            // a failure is a result (W7 or W10 running out of heap is one): report it, go on
                            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
                            notes.add("**" + c.label() + " failed on " + w.label() + "** and was dropped from it: " + why);
                            log(c.label() + " FAILED on " + w.label() + ": " + e.getMessage());
                            contestants.remove(c);
                            continue;
                        }
                        samples.add(new Sample(w, c, round, warmup, m));
                        log(String.format(Locale.ROOT, "%-9s %s %-16s wall %8.3f s  cpu %8.3f s%s", w.label(),
                                warmup ? "warm-up" : "round " + (round - options.warmup() + 1), c.label(),
                                m.get(Measurement.WALL) / 1e9, m.get(Measurement.CPU) / 1e9,
                                m.get(Measurement.SERVER_CPU) >= 0 ? String.format(Locale.ROOT, "  server cpu %8.3f s",
                                        m.get(Measurement.SERVER_CPU) / 1e9) : ""));
                    }
                }
            }
        } finally {
            workers.values().forEach(JvmWorker::close);
        }
    }

    private Measurement runOne(Workload w, Contestant c, long rows, Map<String, JvmWorker> workers, Path out) {
        switch (c) {
            case LIBPQ -> {
                String[] args = switch (w) {
                    case W1 -> new String[] {conninfo, "copy-in", w.sql(), dataFile.toString(),
                            Integer.toString(options.chunkBytes())};
                    case W2, W3 -> new String[] {conninfo, "copy-out", w.sql()};
                    case W4 -> new String[] {conninfo, "select1", Long.toString(rows)};
                    case W4P -> new String[] {conninfo, "prepared", Long.toString(rows)};
                    case W10 -> new String[] {conninfo, "stream", w.sql(), Integer.toString(PqbridgeClient.STREAM_CHUNK)};
                    case W9 -> new String[] {conninfo, "pipeline-insert", w.sql(), dataFile.toString(),
                            Long.toString(rows)};
                    default -> throw new IllegalArgumentException("libpq C does not run " + w.label());
                };
                return processes.pqcopybench(w.prepareSql(), args);
            }
            case SERVER -> {
                return processes.pqcopybench(w.prepareSql(), conninfo, "exec", w.serverSql(dataFile.toString()));
            }
            case PSQL -> {
                if (w.prepareSql() != null) {
                    processes.pqcopybench(null, conninfo, "exec", w.prepareSql());
                }
                return processes.rusage(List.of("psql", "-X", "-v", "ON_ERROR_STOP=1", "-d", conninfo, "-c",
                        w.psqlCommand((w == Workload.W8 ? csvFile : dataFile).toString())));
            }
            case CLI_LOAD, CLI_BINARY_WIRE, CLI_LOAD_JOBS2 -> {
                processes.pqcopybench(null, conninfo, "exec", w.prepareSql());
                // the command users run (scripts/pqbridge: its JVM options and class-data archive), start-up included
                List<String> tool = new ArrayList<>(List.of("scripts/pqbridge", "load", "--dsn", conninfo, "--table",
                        Workload.TARGET, "--format", "csv", "--no-progress"));
                if (c == Contestant.CLI_BINARY_WIRE) {
                    tool.add("--binary-wire");
                }
                if (c == Contestant.CLI_LOAD_JOBS2) {
                    tool.addAll(List.of("--jobs", "2"));
                }
                tool.add(csvFile.toString());
                // the tool prints its summary on stderr, not psql's "COPY n": count what it stored
                return processes.rusage(tool).with(Measurement.ROWS, count(Workload.TARGET));
            }
            default -> {
                boolean small = w.smallHeap();
                String key = c.client() + (c.backend() != null ? "-" + c.backend() : "") + (small ? "-64m" : "");
                JvmWorker worker = workers.computeIfAbsent(key, k -> startWorker(k, c, small, out));
                return worker.run(w, c, rows);
            }
        }
    }

    private JvmWorker startWorker(String key, Contestant c, boolean small, Path out) {
        log("starting the " + key + " worker JVM");
        List<String> jvm = new ArrayList<>(List.of("-Xms" + (small ? "64m" : options.workerHeap()),
                "-Xmx" + (small ? "64m" : options.workerHeap()), "-XX:+UseG1GC"));
        if (Runtime.version().feature() >= 17) {
            jvm.add("--enable-native-access=ALL-UNNAMED");
        }
        if (c.backend() != null) {
            jvm.add("-D" + Pq.PROPERTY + "=" + c.backend());
        }
        if (options.jfr()) {
            jvm.add("-XX:StartFlightRecording=settings=profile,filename=" + out.resolve("jfr").resolve(key + ".jfr"));
            try {
                Files.createDirectories(out.resolve("jfr"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String url = c.client().equals("pgjdbc") ? jdbcUrl : conninfo;
        return new JvmWorker(key, jvm, List.of("client=" + c.client(), "conninfo=" + url, "data=" + dataFile,
                "chunk=" + options.chunkBytes(), "pool=" + options.poolSize()), out.resolve("logs").resolve(key + ".log"));
    }

    /** Row counts always; the loaded table's checksum in the first round of each COPY IN run. */
    private void check(Workload w, Contestant c, long rows, Measurement m, boolean firstRound) {
        if (w.fixedTime()) {
            if (m.get(Measurement.ROWS) <= 0 || m.get(Measurement.BARE_CYCLES) <= 0) {
                throw new IllegalStateException(c.label() + " on " + w.label() + " completed no cycle in a phase: "
                        + m.toLine());
            }
            return;
        }
        if (m.get(Measurement.ROWS) != rows) {
            throw new IllegalStateException(c.label() + " on " + w.label() + " reported " + m.get(Measurement.ROWS)
                    + " rows, expected " + rows);
        }
        if (firstRound && w == Workload.W9) {
            // every contestant stored the same rows: the first batch rows of the data, each once
            String sum = queryText("SELECT count(*) || ' ' || count(DISTINCT id) || ' ' || coalesce(sum(id), 0) || ' '"
                    + " || coalesce(sum(hashtext(name)), 0) || ' ' || coalesce(sum(extract(epoch from at)), 0) FROM "
                    + Workload.MANY);
            String expected = w9Checksum == null ? sum : w9Checksum;
            if (!sum.equals(expected) || !sum.startsWith(rows + " " + rows + " ")) {
                throw new IllegalStateException(c.label() + " on W9 stored other rows than expected: " + sum
                        + (w9Checksum == null ? "" : ", the first contestant stored " + w9Checksum));
            }
            w9Checksum = sum;
            return;
        }
        if (!firstRound || !w.copyIn()) {
            return;
        }
        String sum = checksum(Workload.TARGET);
        if (w == Workload.W1 || w == Workload.W8) {
            if (!sum.equals(sourceChecksum)) {
                throw new IllegalStateException(c.label() + " on " + w.label() + " loaded other rows than the source"
                        + " table: checksum "
                        + sum + ", expected " + sourceChecksum);
            }
        } else {
            String expected = w5Checksum.values().stream().findFirst().orElse(sum);
            if (!sum.equals(expected)) {
                throw new IllegalStateException(c.label() + " on " + w.label() + " loaded other rows than the other"
                        + " W5 runs: checksum " + sum + ", expected " + expected);
            }
            w5Checksum.put(w, sum);
        }
    }

    private Map<Contestant, String> availability() {
        Map<Contestant, String> missing = new EnumMap<>(Contestant.class);
        List<String> backends = Pq.availableBackends();
        for (Contestant c : List.of(Contestant.NATIVE, Contestant.JAVA, Contestant.NATIVE_CURSOR,
                Contestant.JAVA_CURSOR)) {
            if (!backends.contains(c.backend())) {
                missing.put(c, "the " + c.backend() + " backend does not load in this build");
            }
        }
        if (!Files.isExecutable(options.pqcopybench())) {
            missing.put(Contestant.LIBPQ, options.pqcopybench() + " is not built");
            missing.put(Contestant.PSQL, "it runs under " + options.pqcopybench() + ", which is not built");
            missing.put(Contestant.SERVER, "it runs through " + options.pqcopybench() + ", which is not built");
        }
        if (!Files.isExecutable(Path.of("scripts", "pqbridge"))) {
            for (Contestant cli : List.of(Contestant.CLI_LOAD, Contestant.CLI_BINARY_WIRE, Contestant.CLI_LOAD_JOBS2)) {
                missing.put(cli, "the command-line tool's launcher scripts/pqbridge is not here (run from the project root)");
            }
        }
        if (!MachineInfo.commandWorks("psql", "--version")) {
            missing.put(Contestant.PSQL, "psql is not on the PATH (it comes with the postgresql-client package)");
        }
        if (!localServer) {
            missing.putIfAbsent(Contestant.SERVER, "the server's files are not this machine's (PQBRIDGE_BENCH_DSN)");
        }
        return missing;
    }

    static void log(String message) {
        System.err.println("[bench] " + message);
    }
}

package io.pqbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Writes a run's results under the output directory: {@code results.md} (run facts, one table per
 * workload with median [min–max], rows/s, MB/s and the ratios, or W11's cycles/s and ns per cycle,
 * the targets, the warm-up rounds, notes), {@code results.svg} (the chart) and {@code samples.csv}
 * (every run, warm-up included).
 */
final class Report {

    private final BenchOptions options;
    private final MachineInfo machine;
    private final List<BenchMain.Sample> samples;
    private final List<String> notes;
    private final Map<Workload, Map<Contestant, Stats>> stats = new EnumMap<>(Workload.class);

    Report(BenchOptions options, MachineInfo machine, List<BenchMain.Sample> samples, List<String> notes) {
        this.options = options;
        this.machine = machine;
        this.samples = samples;
        this.notes = notes;
        Map<Workload, Map<Contestant, List<Measurement>>> measured = new EnumMap<>(Workload.class);
        for (BenchMain.Sample s : samples) {
            if (!s.warmup()) {
                measured.computeIfAbsent(s.workload(), k -> new EnumMap<>(Contestant.class))
                        .computeIfAbsent(s.contestant(), k -> new ArrayList<>()).add(s.m());
            }
        }
        measured.forEach((w, byContestant) -> byContestant.forEach((c, ms) ->
                stats.computeIfAbsent(w, k -> new EnumMap<>(Contestant.class)).put(c, new Stats(w, c, ms))));
    }

    Stats stats(Workload w, Contestant c) {
        Map<Contestant, Stats> byContestant = stats.get(w);
        return byContestant == null ? null : byContestant.get(c);
    }

    Map<Workload, Map<Contestant, Stats>> all() {
        return stats;
    }

    void write(Path out) throws IOException {
        Files.writeString(out.resolve("results.md"), markdown());
        Files.writeString(out.resolve("results.svg"), SvgChart.render(this));
        Files.writeString(out.resolve("samples.csv"), csv());
    }

    // ---- Markdown -----------------------------------------------------------------------------

    String markdown() {
        StringBuilder md = new StringBuilder("# pqbridge benchmark results\n\n");
        md.append("| | |\n|---|---|\n");
        machine.facts().forEach((k, v) -> md.append("| ").append(k).append(" | ")
                .append(k.equals("command") ? "`" + v + "`" : escape(v)).append(" |\n"));
        md.append("\nMedians of the measured rounds, with [min–max]. Client CPU is the client process's CPU time"
                + " during the workload (all its threads: for a JVM also GC and JIT; the caller thread's share is"
                + " shown apart), server CPU that of the PostgreSQL process serving the connection. Ratios compare client CPU medians (× libpq C, × pgjdbc) and wall medians"
                + " (× server alone).\n\n![chart](results.svg)\n");
        for (Workload w : options.workloads()) {
            Map<Contestant, Stats> byContestant = stats.get(w);
            if (byContestant == null) {
                continue;
            }
            md.append("\n## ").append(w.label()).append(": ").append(w.description()).append("\n\n");
            if (w.fixedTime()) {
                poolTable(md, byContestant);
                continue;
            }
            long bytes = bytesOf(w);
            md.append(w.roundTrips() ? String.format(Locale.ROOT, "%,d round trips of `%s`%s.%n%n", options.roundTrips(),
                    w.sql(), w == Workload.W4P ? ", prepared, its parameter i % 1000 in round trip i" : "")
                    : String.format(Locale.ROOT, "%,d rows%s; `%s`.%n%n", options.rows(),
                    bytes > 0 ? String.format(Locale.ROOT, ", %.1f MB of COPY data", bytes / 1e6) : "", w.sql()));
            if (w.roundTrips()) {
                md.append("| contestant | wall s | client CPU s | of which caller thread s | server CPU s | µs per round"
                        + " trip | client CPU µs per round trip | × libpq C (wall) | × libpq C (CPU) | × pgjdbc (wall) |\n"
                        + "|---|---|---|---|---|---|---|---|---|---|\n");
            } else if (w == Workload.W10) {
                md.append("| contestant | wall s | client CPU s | of which caller thread s | server CPU s | rows/s | client"
                        + " CPU ns per row | CPU × libpq C | CPU × pgjdbc | alloc B/row | peak heap MB |\n"
                        + "|---|---|---|---|---|---|---|---|---|---|---|\n");
            } else {
                md.append("| contestant | wall s | client CPU s | of which caller thread s | server CPU s | rows/s | MB/s"
                        + " | CPU × libpq C | CPU × pgjdbc | wall × server alone | alloc B/row | peak heap MB |\n"
                        + "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            }
            for (Stats s : byContestant.values()) {
                md.append(row(w, s, bytes)).append('\n');
            }
        }
        md.append("\n## Targets (issue 5)\n\n| target | contestant | ratio | limit | verdict | medians |\n"
                + "|---|---|---|---|---|---|\n");
        for (Targets.Check c : Targets.check(this::stats)) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %s | %s |%n", c.target(), c.who(),
                    c.measured() ? String.format(Locale.ROOT, "%.2f", c.ratio()) : "–", c.limit(), c.verdict(),
                    c.detail()));
        }
        md.append("\n## Warm-up rounds (not in the medians)\n\n| workload | contestant | wall s | client CPU s |\n"
                + "|---|---|---|---|\n");
        for (BenchMain.Sample s : samples) {
            if (s.warmup()) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", s.workload().label(),
                        s.contestant().label(), seconds(s.m().get(Measurement.WALL)),
                        seconds(s.m().get(Measurement.CPU))));
            }
        }
        md.append("\n## Notes\n\n");
        List<String> all = new ArrayList<>(notes);
        all.add("W1: pqbridge sends the file's bytes as mapped direct buffers with `Copy.write(ByteBuffer)`; pgjdbc"
                + " as `byte[]` with `CopyIn.writeToCopy` (its only form); libpq C from a malloc'd copy; all in chunks of "
                + options.chunkBytes() / 1024 + " KiB cut at byte offsets. psql and the server read the file themselves.");
        all.add("W2/W3/W7: pqbridge reads with `Copy.readInto` into a 1 MiB direct buffer; pgjdbc with"
                + " `CopyManager.copyOut` into a counting null stream; libpq C with `PQgetCopyData` (blocking);"
                + " psql with `\\copy ... TO '/dev/null'`; the server with `COPY ... TO '/dev/null'`.");
        all.add("W5 cycles through " + options.poolSize() + " distinct rows built once (boxed values for pqbridge's"
                + " `writeRow`, entities with primitives and a ZonedDateTime for PgBulkInsert), with `setTypes` on"
                + " pqbridge; the loaded tables are checked equal across contestants.");
        all.add("W6 iterates `copy.rows()` after `setTypes(int8, text, float8, timestamptz, int4)` and touches each row.");
        all.add("W4p: pqbridge runs `cur.execute(\"SELECT %s::int\", k).fetchOne()` on one cursor and leaves"
                + " the preparation to the connection (prepareThreshold 5: prepared on the 5th run, then bound"
                + " and executed); pgjdbc reuses one `PreparedStatement` `SELECT ?::int` with `setInt` (its"
                + " default prepareThreshold 5); libpq C runs `PQprepare` once, timed, then `PQexecPrepared` with"
                + " a text parameter. Each run is a fresh connection, so each prepares anew; the sum of the"
                + " results is checked.");
        all.add("W10: pqbridge reads `try (RowStream rows = cur.stream(\"SELECT * FROM " + Workload.SOURCE
                + "\", null, " + PqbridgeClient.STREAM_CHUNK + "))` in autocommit (chunked-rows mode: "
                + PqbridgeClient.STREAM_CHUNK + " rows in memory at a time; on a libpq older than 17 the native"
                + " backend's shim gathers them from single rows) and `Row.get(i)` of every column; the named"
                + " cursor contestants read the same rows through `conn.cursor(\"w10\")` with itersize "
                + PqbridgeClient.STREAM_CHUNK + " in a transaction; pgjdbc"
                + " runs `executeQuery` on a `Statement` with `setFetchSize(10000)` inside a transaction"
                + " (`setAutoCommit(false)`, its condition for not loading the whole result; the commit is timed)"
                + " and `getObject(i)` of every column; libpq C runs `PQsendQuery` + `PQsetChunkedRowsMode("
                + PqbridgeClient.STREAM_CHUNK + ")` (`PQsetSingleRowMode` on a libpq older than 17: the targets"
                + " name the mode it ran in) and touches every value with `PQgetisnull`/`PQgetvalue` (text, not"
                + " decoded: the ceiling of the transfer). Every run's row count must be --rows;"
                + " pqbridge and libpq C also check theirs against the statement's command tag. The JVMs run at"
                + " -Xmx64m: once the rows as Java objects are larger than that (the default 1,000,000 rows"
                + " are), completing shows that the Java heap stays flat; the native backend's libpq buffers"
                + " are outside the heap and not in these figures.");
        all.add("W11: pqbridge opens `ConnectionPool.builder(conninfo).backend(...).minSize(" + Workload.POOL_SIZE
                + ").maxSize(" + Workload.POOL_SIZE + ").kwargs(Map.of(\"autocommit\", true)).open()` and waits for"
                + " `waitReady`; a cycle is `pool.connectionResult(conn -> conn.execute(\"SELECT 1\").fetchOne().getInt(0))`"
                + ", a bare one `pool.connection(conn -> {})` (the scoped forms: borrow, run, commit, give back)."
                + " HikariCP runs a `HikariDataSource` over pgjdbc with minimumIdle = maximumPoolSize = "
                + Workload.POOL_SIZE + " and its default autoCommit=true, waited for until its connections are"
                + " all idle; a cycle is `try (Connection c = ds.getConnection(); PreparedStatement ps ="
                + " c.prepareStatement(\"SELECT 1\"); ResultSet rs = ps.executeQuery())`, a bare one"
                + " `try (Connection c = ds.getConnection()) {}`. A fresh pool per run, filled before the clock"
                + " starts; the threads are started and parked before it; each run checks the sum of what its"
                + " queries read. Medians are of per-run rates.");
        all.add("psql's CPU time is its rusage: it includes its start-up and connection (a few ms).");
        all.add("W8 (issue 7): the same rows as a CSV file, loaded by `psql -c \\copy ... (FORMAT csv)`, by"
                + " `pqbridge load --format csv`, by `pqbridge load --format csv --binary-wire` and by"
                + " `pqbridge load --format csv --jobs 2` (two connections committed by two-phase commit; the throwaway"
                + " server allows 10 prepared transactions) (native backend,"
                + " default heap), each a fresh process timed whole: JVM start-up is in the tool's figures as"
                + " psql's start-up is in psql's. The loaded table is checked equal to the source.");
        all.add("Client JVMs: -Xmx" + options.workerHeap() + " (W7, W10: -Xmx64m), G1, one JVM per client library, reused"
                + " across rounds; every run opens a fresh connection over TCP.");
        for (String n : all) {
            md.append("- ").append(n).append('\n');
        }
        return md.toString();
    }

    private String row(Workload w, Stats s, long bytes) {
        List<String> cells = new ArrayList<>();
        cells.add(s.contestant.label());
        cells.add(spread(s, Measurement.WALL));
        cells.add(spread(s, Measurement.CPU));
        double caller = s.median(Measurement.THREAD_CPU);
        cells.add(caller < 0 ? "–" : seconds(caller));
        double server = s.median(Measurement.SERVER_CPU);
        cells.add(server < 0 ? "–" : seconds(server));
        double wall = s.median(Measurement.WALL);
        double cpu = s.median(Measurement.CPU);
        if (w.roundTrips()) {
            cells.add(String.format(Locale.ROOT, "%.1f", wall / s.rows / 1e3));
            cells.add(String.format(Locale.ROOT, "%.1f", cpu / s.rows / 1e3));
            cells.add(ratio(wall, stats(w, Contestant.LIBPQ), Measurement.WALL));
            cells.add(ratio(cpu, stats(w, Contestant.LIBPQ), Measurement.CPU));
            cells.add(ratio(wall, stats(w, Contestant.PGJDBC), Measurement.WALL));
        } else if (w == Workload.W10) {
            cells.add(String.format(Locale.ROOT, "%,.0f", s.rows / (wall / 1e9)));
            cells.add(String.format(Locale.ROOT, "%.0f", cpu / s.rows));
            cells.add(ratio(cpu, stats(w, Contestant.LIBPQ), Measurement.CPU));
            cells.add(ratio(cpu, stats(w, Contestant.PGJDBC), Measurement.CPU));
            cells.add(heapCells(s));
        } else {
            cells.add(String.format(Locale.ROOT, "%,.0f", s.rows / (wall / 1e9)));
            cells.add(bytes > 0 ? String.format(Locale.ROOT, "%.1f", bytes / (wall / 1e9) / 1e6) : "–");
            cells.add(ratio(cpu, stats(w, Contestant.LIBPQ), Measurement.CPU));
            cells.add(ratio(cpu, stats(w, Contestant.PGJDBC), Measurement.CPU));
            cells.add(ratio(wall, stats(w, Contestant.SERVER), Measurement.WALL));
            cells.add(heapCells(s));
        }
        return "| " + String.join(" | ", cells) + " |";
    }

    /**
     * W11's table: per-run rates, their medians and spread, and the ratios to HikariCP's medians
     * (throughput: higher is better; overhead: lower is better).
     */
    private void poolTable(StringBuilder md, Map<Contestant, Stats> byContestant) {
        md.append(String.format(Locale.ROOT, "%d threads, one pool of %d connections (min = max, autocommit), two"
                + " phases of %d s in every run: first each cycle borrows, runs `%s`, reads its value and gives the"
                + " connection back (**throughput** = cycles / elapsed); then each cycle borrows and gives back"
                + " alone (**borrow-and-return overhead** = elapsed × %d threads / cycles: the time one cycle"
                + " takes a thread, waiting for a free connection included; wall-based, so it does not depend on"
                + " how the cycle's CPU time splits between threads). Client CPU is the whole process's, per"
                + " cycle.%n%n", Workload.POOL_THREADS, Workload.POOL_SIZE, options.w11Seconds(),
                Workload.W11.sql(), Workload.POOL_THREADS));
        md.append("| contestant | cycles/s with the query | × HikariCP (throughput) | borrow-and-return ns per cycle"
                + " | × HikariCP (overhead) | client CPU µs per cycle with the query | client CPU ns per bare cycle"
                + " | alloc B per cycle, with the query / bare |\n|---|---|---|---|---|---|---|---|\n");
        Stats hikari = byContestant.get(Contestant.HIKARI);
        for (Stats s : byContestant.values()) {
            List<String> cells = new ArrayList<>();
            cells.add(s.contestant.label());
            cells.add(spread(s, PoolCycles::throughput));
            cells.add(versus(s, hikari, PoolCycles::throughput));
            cells.add(spread(s, PoolCycles::overheadNs));
            cells.add(versus(s, hikari, PoolCycles::overheadNs));
            cells.add(String.format(Locale.ROOT, "%.1f", s.median(PoolCycles::cpuPerCycleNs) / 1e3));
            cells.add(String.format(Locale.ROOT, "%,.0f", s.median(PoolCycles::bareCpuPerCycleNs)));
            double alloc = s.median(m -> perCycle(m, Measurement.ALLOC, Measurement.ROWS));
            double bareAlloc = s.median(m -> perCycle(m, Measurement.BARE_ALLOC, Measurement.BARE_CYCLES));
            cells.add(alloc < 0 || bareAlloc < 0 ? "–" : String.format(Locale.ROOT, "%.0f / %.0f", alloc, bareAlloc));
            md.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
    }

    /** A per-run rate's median [min–max]. */
    private static String spread(Stats s, ToDoubleFunction<Measurement> rate) {
        return String.format(Locale.ROOT, "%,.0f [%,.0f–%,.0f]", s.median(rate), s.min(rate), s.max(rate));
    }

    /** The ratio of two contestants' medians of a per-run rate. */
    private static String versus(Stats s, Stats reference, ToDoubleFunction<Measurement> rate) {
        return reference == null ? "–" : String.format(Locale.ROOT, "%.2f", s.median(rate) / reference.median(rate));
    }

    /** A figure per cycle of one run, -1 when the run lacks it. */
    private static double perCycle(Measurement m, String figure, String cycles) {
        return m.get(figure) < 0 ? -1 : (double) m.get(figure) / m.get(cycles);
    }

    /** The alloc B/row and peak heap MB cells (– for a C client). */
    private static String heapCells(Stats s) {
        double alloc = s.median(Measurement.ALLOC);
        double peak = s.median(Measurement.PEAK_HEAP);
        return (alloc < 0 ? "–" : String.format(Locale.ROOT, alloc / s.rows < 10 ? "%.2f" : "%.0f", alloc / s.rows))
                + " | " + (peak < 0 ? "–" : String.format(Locale.ROOT, "%.0f", peak / 1e6));
    }

    private static String ratio(double value, Stats reference, String key) {
        if (reference == null || reference.median(key) <= 0 || value < 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f", value / reference.median(key));
    }

    private static String spread(Stats s, String key) {
        if (s.median(key) < 0) {
            return "–";
        }
        return seconds(s.median(key)) + " [" + seconds(s.min(key)) + "–" + seconds(s.max(key)) + "]";
    }

    /** Nanoseconds as seconds with three decimals. */
    static String seconds(double ns) {
        return String.format(Locale.ROOT, "%.3f", ns / 1e9);
    }

    /** The COPY data size of a workload: the largest any of its clients counted. */
    long bytesOf(Workload w) {
        long bytes = 0;
        for (BenchMain.Sample s : samples) {
            if (s.workload() == w) {
                bytes = Math.max(bytes, s.m().get(Measurement.BYTES));
            }
        }
        return bytes;
    }

    private static String escape(String s) {
        return s.replace("|", "\\|");
    }

    // ---- CSV ----------------------------------------------------------------------------------

    private String csv() {
        List<String> keys = List.of(Measurement.WALL, Measurement.CPU, Measurement.THREAD_CPU, Measurement.SERVER_CPU, Measurement.ROWS,
                Measurement.BYTES, Measurement.ALLOC, Measurement.PEAK_HEAP, Measurement.MAX_HEAP, Measurement.THREADS,
                Measurement.BARE_WALL, Measurement.BARE_CPU, Measurement.BARE_ALLOC, Measurement.BARE_CYCLES,
                Measurement.CHUNK_ROWS);
        StringBuilder csv = new StringBuilder("workload,contestant,round,warmup," + String.join(",", keys) + "\n");
        for (BenchMain.Sample s : samples) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("w", s.workload().label());
            row.put("c", s.contestant().label());
            row.put("r", s.round());
            row.put("warm", s.warmup());
            for (String k : keys) {
                row.put(k, s.m().get(k));
            }
            csv.append(String.join(",", row.values().stream().map(String::valueOf).toList())).append('\n');
        }
        return csv.toString();
    }
}

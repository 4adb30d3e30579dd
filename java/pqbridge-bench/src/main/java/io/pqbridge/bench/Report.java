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

/**
 * Writes a run's results under the output directory: {@code results.md} (run facts, one table per
 * workload with median [min–max], rows/s, MB/s and the ratios, the targets, the warm-up rounds,
 * notes), {@code results.svg} (the chart) and {@code samples.csv} (every run, warm-up included).
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
        all.add("W10: pqbridge reads `try (RowStream rows = cur.stream(\"SELECT * FROM " + Workload.SOURCE + "\"))`"
                + " in autocommit (single-row mode: one row in memory) and `Row.get(i)` of every column; pgjdbc"
                + " runs `executeQuery` on a `Statement` with `setFetchSize(10000)` inside a transaction"
                + " (`setAutoCommit(false)`, its condition for not loading the whole result; the commit is timed)"
                + " and `getObject(i)` of every column; libpq C runs `PQsendQuery` + `PQsetSingleRowMode` and"
                + " touches every value with `PQgetisnull`/`PQgetvalue` (text, not decoded: the ceiling of the"
                + " transfer; single-row, not chunked, mode: libpq 15). Every run's row count must be --rows;"
                + " pqbridge and libpq C also check theirs against the statement's command tag. The JVMs run at"
                + " -Xmx64m: once the rows as Java objects are larger than that (the default 1,000,000 rows"
                + " are), completing shows that the Java heap stays flat; the native backend's libpq buffers"
                + " are outside the heap and not in these figures.");
        all.add("psql's CPU time is its rusage: it includes its start-up and connection (a few ms).");
        all.add("W8 (issue 7): the same rows as a CSV file, loaded by `psql -c \\copy ... (FORMAT csv)`, by"
                + " `pqbridge load --format csv` and by `pqbridge load --format csv --binary-wire` (native backend,"
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
                Measurement.BYTES, Measurement.ALLOC, Measurement.PEAK_HEAP, Measurement.MAX_HEAP);
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

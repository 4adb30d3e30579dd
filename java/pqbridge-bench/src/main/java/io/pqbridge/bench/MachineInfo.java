package io.pqbridge.bench;

import io.pqbridge.Connection;
import io.pqbridge.pq.Pq;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** The machine and versions a run happened on, for the report's header. */
record MachineInfo(Map<String, String> facts) {

    static MachineInfo collect(String conninfo, BenchOptions options) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        f.put("command", options.command());
        f.put("nproc", Integer.toString(Runtime.getRuntime().availableProcessors()));
        // what --pin chose (inherited by the server and every client), or every CPU
        f.put("CPUs allowed", firstValue(Path.of("/proc/self/status"), "Cpus_allowed_list"));
        f.put("CPU", firstValue(Path.of("/proc/cpuinfo"), "model name"));
        String mem = firstValue(Path.of("/proc/meminfo"), "MemTotal");
        f.put("memory", mem.endsWith(" kB") ? Math.round(Long.parseLong(mem.replace(" kB", "").trim()) / 1048576.0)
                + " GiB" : mem);
        f.put("kernel", read(Path.of("/proc/sys/kernel/osrelease")));
        f.put("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        try (Connection conn = Connection.connect(conninfo)) {
            f.put("PostgreSQL", conn.execute("SELECT version()").fetchOne().getString(0));
        }
        Path chosen = ProcessRun.chosenLibpq();
        f.put("libpq", (Pq.availableBackends().contains("native") ? version(Pq.backend("native").libpqVersion())
                : "(native backend not loaded)") + (chosen == null ? "" : " (" + chosen + ", also under the C client)"));
        f.put("pgjdbc", org.postgresql.util.DriverInfo.DRIVER_VERSION);
        f.put("PgBulkInsert", "8.1.0");
        f.put("HikariCP", "7.1.0");
        f.put("psql", output("psql", "--version"));
        f.put("rows", Long.toString(options.rows()));
        f.put("rounds", options.rounds() + " measured + " + options.warmup() + " warm-up, alternating");
        return new MachineInfo(f);
    }

    /** libpq's integer version (150018) as text (15.18). */
    private static String version(int v) {
        return v >= 100000 ? (v / 10000) + "." + (v % 10000) : Integer.toString(v);
    }

    static boolean commandWorks(String... command) {
        return !output(command).isEmpty();
    }

    private static String output(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static String firstValue(Path file, String key) {
        for (String line : read(file).split("\n")) {
            if (line.startsWith(key)) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}

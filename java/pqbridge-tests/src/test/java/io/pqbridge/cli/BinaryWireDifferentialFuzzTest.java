package io.pqbridge.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pqbridge.Connection;
import io.pqbridge.errors.PqException;
import io.pqbridge.adapt.AdaptContext;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential fuzzing of {@code load --binary-wire} against the server's own COPY: random and
 * mutated CSV and text files (BwFuzzInputs: every column type --binary-wire converts, edge
 * spellings, escapes, quotes, delimiters, NULL strings, CR/LF/CRLF line ends, {@code \.} markers,
 * Unicode, broken UTF-8) are loaded by the server's COPY (the reference: what a plain
 * {@code pqbridge load} stores) and by the --binary-wire path into twin tables
 * {@code (rn bigserial, v <type>, w text)}. Allowed: the same rows; both refused; --binary-wire
 * refused with exit 5 naming the line and the column where the server stored the rows. Never:
 * other rows, rows where the server refused, an internal error (exit 1). Date-time types load
 * each batch in a session drawn by {@link BwSession} (DateStyle, IntervalStyle and TimeZone, the default
 * half the time): the server reads {@code 01/02/03} or {@code -1 2:03:04} by those settings, and
 * --binary-wire must read them alike or refuse.
 *
 * <h2>Speed: the path under test runs in this JVM</h2>
 * A run of the tool costs ~70 ms here (almost all of it the new server connection), which would
 * make 40,000 inputs take an hour. So each input goes through the tool's own --binary-wire
 * pipeline (CsvFields/TextFields into BinaryWireRows through a ChunkPipe, exactly as
 * {@code LoadCommand.binaryWireReader} wires them; see {@link #binaryWireBytes}) and the binary
 * COPY it produces is sent on one long-lived connection; the reference is a COPY on the same
 * connection. Inputs of one shape (format, options, line end) are concatenated into batches of
 * {@value #BATCH} files; a batch whose outcome is not conclusive (a refusal, a divergence) is split
 * in halves down to single inputs, so every finding is attributed to one input (or, when only the
 * concatenation diverges, to it: a file like any other). Every finding is then shrunk (bytes
 * removed while the same kind of divergence remains) and REPLAYED THROUGH THE REAL TOOL
 * ({@link Tool}: plain load versus {@code --binary-wire}, in process), which is what is reported;
 * the first batches of every type are also cross-checked through the real tool, so the in-JVM
 * pipeline cannot drift from what the tool does unnoticed.
 *
 * <h2>Backends</h2>
 * Runs on ONE backend (java, else the first available): parsing and conversion happen before
 * any byte reaches the connection and do not depend on the backend, and both backends would
 * double the run past three minutes on two cores. The findings' replays run on that backend; the
 * divergence cases (BinaryWireDivergenceTest) run on both.
 *
 * <h2>Size and seed</h2>
 * {@code -Dpqbridge.bwfuzz.count} inputs per type (default 1,000; 38 types), from
 * {@code -Dpqbridge.bwfuzz.seed} (default fixed, so a run is repeatable; {@code random} for a new
 * seed each run, printed). A long run:
 * {@code mvn -B -ntp surefire:test -Dtest=BinaryWireDifferentialFuzzTest -Dpqbridge.bwfuzz.count=20000
 * -Dpqbridge.bwfuzz.seed=random}. {@code -Dpqbridge.bwfuzz.types=int4,text[]} restricts the types.
 * Findings (shrunk, with the server's and --binary-wire's outcomes through the real tool) are
 * printed and written to {@code target/bwfuzz-findings/} (a .txt report and the input's exact
 * bytes, .csv or .txt, with the commands that replay it).
 *
 * <h2>Every server</h2>
 * The server's COPY reader and type input changed between versions (the end-of-data marker in
 * 18; {@code "char"}, interval and text HEADER in 15), so the run is repeated on every server of
 * the matrix (tag server-matrix). A type the tool refuses up front on a server is skipped there.
 */
@Tag("heavy")
@Tag("server-matrix")
class BinaryWireDifferentialFuzzTest {

    private static final long DEFAULT_SEED = 20261205L;
    static final int BATCH = 16;
    /** A conversion still running after this long is a finding (the server answers in milliseconds). */
    static final int HANG_SECONDS = 3;
    /** The exit of an outcome that did not end: a hang. */
    static final int HANG = -1;
    private static final java.util.concurrent.ScheduledExecutorService WATCHDOG =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bwfuzz-watchdog");
                t.setDaemon(true);
                return t;
            });

    /** Stops a runaway conversion thread (Thread.stop: the only way to end a BigInteger.pow of hours). */
    @SuppressWarnings({"deprecation", "removal"})
    private static void stop(Thread thread) {
        if (thread != null && thread.isAlive()) {
            try {
                thread.stop();
            } catch (UnsupportedOperationException e) {
                // a JDK without Thread.stop: the daemon thread is left to finish on its own
            }
        }
    }
    /** Shrunk and replayed findings per (type, format, kind); more of the same are counted. */
    private static final int PER_KIND = 1;
    private static final int MAX_FINDINGS = 80;
    private static final List<String> COLUMNS = List.of("v", "w");

    static java.util.stream.Stream<PgBackend> backend() {
        List<PgBackend> all = io.pqbridge.test.Backends.all().toList();
        return all.stream().filter(b -> b.name().equals("java")).findFirst().or(() -> all.stream().findFirst()).stream();
    }

    /** One divergence, as the fuzzer found it and as the real tool replays its shrunk input. */
    record Finding(String key, String type, BwFuzzInputs.Shape shape, String kind, byte[] original, byte[] shrunk, String fastProblem,
            String toolProblem, BwTwin.Outcome toolServer, BwTwin.Outcome toolBinary) {
    }

    @ParameterizedTest
    @MethodSource("backend")
    void binaryWireNeverStoresOtherDataThanTheServer(PgBackend backend) throws IOException {
        int count = Integer.getInteger("pqbridge.bwfuzz.count", 1000);
        String seedProperty = System.getProperty("pqbridge.bwfuzz.seed", Long.toString(DEFAULT_SEED));
        long seed = seedProperty.equals("random") ? System.nanoTime() : Long.parseLong(seedProperty);
        String only = System.getProperty("pqbridge.bwfuzz.types");
        System.out.println("bwfuzz: seed " + seed + ", " + count + " inputs per type, backend " + backend.name());
        Tool tool = new Tool(backend);
        List<Finding> findings = new ArrayList<>();
        Map<String, Integer> more = new LinkedHashMap<>();
        List<String> mismatches = new ArrayList<>();
        StringBuilder summary = new StringBuilder();
        long start = System.nanoTime();
        try (Connection conn = tool.connect()) {
            conn.execute("DO $$ BEGIN CREATE TYPE bw_mood AS ENUM ('sad', 'ok', 'happy');"
                    + " EXCEPTION WHEN duplicate_object THEN NULL; END $$");
            conn.execute("DO $$ BEGIN CREATE DOMAIN bw_posint AS int CHECK (VALUE > 0);"
                    + " EXCEPTION WHEN duplicate_object THEN NULL; END $$");
            List<BwFuzzInputs.TypeSpec> types = BwFuzzInputs.types();
            for (int i = 0; i < types.size(); i++) {
                BwFuzzInputs.TypeSpec type = types.get(i);
                if (only != null && !List.of(only.split(",(?![^(]*\\))")).contains(type.name())) {
                    continue;
                }
                TypeRun run = new TypeRun(tool, conn, type, "bwfz_" + i, new Random(seed * 31 + i), findings, more,
                        mismatches);
                try {
                    LoadCommand.convertible(run.targetColumns, conn);
                } catch (ToolException e) {
                    // the tool refuses the column up front on this server (a usage error), so there is nothing to compare
                    System.out.println("bwfuzz " + type.name() + " skipped: " + e.getMessage());
                    conn.execute("DROP TABLE IF EXISTS " + run.ref + ", " + run.bw);
                    continue;
                }
                long t0 = System.nanoTime();
                run.run(count);
                String line = String.format("bwfuzz %-16s %5d inputs (%d files sent): %d stored alike, %d refused by both,"
                        + " %d refused by --binary-wire only, %d diverging; %.1f s", type.name(), run.tested, run.files,
                        run.alike, run.bothRefused, run.bwRefused, run.diverging, (System.nanoTime() - t0) / 1e9);
                System.out.println(line);
                summary.append(line).append('\n');
                conn.execute("DROP TABLE IF EXISTS " + run.ref + ", " + run.bw);
            }
        }
        System.out.printf("bwfuzz: %.1f s in all%n", (System.nanoTime() - start) / 1e9);
        Path dir = Path.of("target", "bwfuzz-findings");
        Files.createDirectories(dir);
        StringBuilder report = new StringBuilder();
        for (int i = 0; i < findings.size(); i++) {
            report.append(save(dir, backend.name() + "-" + (i + 1), findings.get(i))).append('\n');
        }
        more.forEach((k, n) -> report.append("more inputs of the same kind, not shrunk: ").append(k).append(": ")
                .append(n).append('\n'));
        mismatches.forEach(m -> report.append("HARNESS MISMATCH (the in-JVM pipeline and the tool disagree): ").append(m)
                .append('\n'));
        Files.writeString(dir.resolve(backend.name() + "-summary.txt"), "seed " + seed + "\n" + summary + report);
        System.out.println(report);
        if (!findings.isEmpty() || !mismatches.isEmpty()) {
            fail(findings.size() + " finding(s) (seed " + seed + "), see target/bwfuzz-findings/:\n" + report);
        }
        assertTrue(summary.length() > 0, "no type ran");
    }

    /** Writes a finding's report and its input's bytes; returns the report. */
    private static String save(Path dir, String name, Finding f) throws IOException {
        String safe = name + "-" + f.type().replaceAll("[^A-Za-z0-9]+", "_");
        String ext = f.shape().options().format().equals("csv") ? ".csv" : ".txt";
        Path data = dir.resolve(safe + ".input" + ext);
        Files.write(data, f.shrunk());
        String text = "FINDING " + name + ": type " + f.type() + ", " + f.kind() + "\n"
                + "  options: " + f.shape().options() + " (line end " + BwTwin.escape(BwTwin.utf8(f.shape().eol())) + ")\n"
                + "  session: " + f.shape().session() + "\n"
                + "  input (shrunk, " + f.shrunk().length + " bytes): \"" + BwTwin.escape(f.shrunk()) + "\"\n"
                + "  input (as generated): \"" + BwTwin.escape(f.original()) + "\"\n"
                + "  through the real tool: server " + (f.toolServer() == null ? "-" : f.toolServer().describe()) + "\n"
                + "                         --binary-wire " + (f.toolBinary() == null ? "-" : f.toolBinary().describe())
                + "\n"
                + "  verdict (real tool): " + (f.toolProblem() == null ? "NOT REPRODUCED through the tool; in-JVM: "
                        + f.fastProblem() : f.toolProblem()) + "\n"
                + (f.toolBinary() != null && f.toolBinary().exit() == 1 ? "  --binary-wire's standard error in full:\n"
                        + f.toolBinary().message().indent(4) : "")
                + "  replay: CREATE TABLE t (rn bigserial, v " + sqlType(f.type()) + ", w text);\n"
                + "          pqbridge load --dsn \"" + f.shape().session().conninfo("...") + "\" --table t --columns v,w "
                + f.shape().options() + " " + data + "\n"
                + "          (the same with --binary-wire)\n";
        Files.writeString(dir.resolve(safe + ".txt"), text);
        return text;
    }

    private static String sqlType(String typeName) {
        return BwFuzzInputs.types().stream().filter(t -> t.name().equals(typeName)).findFirst().map(
                BwFuzzInputs.TypeSpec::sql).orElse(typeName);
    }

    /** The fuzzing of one column type. */
    private static final class TypeRun {
        final Tool tool;
        final Connection conn;
        final BwFuzzInputs.TypeSpec type;
        final String ref;
        final String bw;
        final Random random;
        final List<Finding> findings;
        final Map<String, Integer> more;
        final List<String> mismatches;
        final List<TableTarget.TargetColumn> targetColumns;
        /** The session the connection is in, and the settings --binary-wire reads in it. */
        BwSession session;
        AdaptContext ctx;
        int tested;
        int files;
        int alike;
        int bothRefused;
        int bwRefused;
        int diverging;
        int crossChecks;

        TypeRun(Tool tool, Connection conn, BwFuzzInputs.TypeSpec type, String table, Random random,
                List<Finding> findings, Map<String, Integer> more, List<String> mismatches) {
            this.tool = tool;
            this.conn = conn;
            this.type = type;
            this.ref = table + "_ref";
            this.bw = table + "_bw";
            this.random = random;
            this.findings = findings;
            this.more = more;
            this.mismatches = mismatches;
            BwTwin.createTable(conn, ref, "v " + type.sql() + ", w text");
            BwTwin.createTable(conn, bw, "v " + type.sql() + ", w text");
            this.targetColumns = TableTarget.of(bw, COLUMNS).columnTypes(conn);
            enter(BwSession.DEFAULT);
        }

        /** Puts the connection in {@code s} and reads its settings back as the tool would. */
        private void enter(BwSession s) {
            if (s.equals(session)) {
                return;
            }
            s.apply(conn);
            session = s;
            ctx = SessionSettings.of(conn);
        }

        /** The real tool, connecting in the shape's session. */
        private Tool tool(BwFuzzInputs.Shape shape) {
            return tool.withConninfo(shape.session().conninfo(TestDatabase.conninfo()));
        }

        void run(int count) {
            while (tested < count) {
                BwFuzzInputs.Shape shape = BwFuzzInputs.shape(random, type);
                List<byte[]> inputs = new ArrayList<>();
                for (int i = 0; i < BATCH; i++) {
                    inputs.add(BwFuzzInputs.input(random, type, shape));
                }
                test(inputs, shape);
            }
        }

        /** Tests a batch; returns whether a finding was recorded under it. */
        boolean test(List<byte[]> inputs, BwFuzzInputs.Shape shape) {
            byte[] data = concat(inputs, shape.eol());
            files++;
            enter(shape.session());
            BwTwin.Outcome server = BwTwin.serverLoad(conn, ref, "v, w", shape.options(), data);
            BwTwin.Outcome binary = fastBinaryWire(data, shape.options());
            String problem = binary.exit() == HANG ? "HANG: --binary-wire was still converting after " + HANG_SECONDS
                    + " s (stopped); server " + server.describe() : BwTwin.judge(server, binary, COLUMNS, true);
            if (problem == null) {
                if (server.stored() && binary.stored()) {
                    tested += inputs.size();
                    alike += inputs.size();
                    if (crossChecks < 2) {
                        crossCheck(data, shape, binary);
                    }
                    return false;
                }
                if (inputs.size() == 1) {
                    tested++;
                    if (server.stored()) {
                        bwRefused++;
                        if (crossChecks < 3 && crossChecks >= 2) {
                            crossCheck(data, shape, binary);
                        }
                    } else {
                        bothRefused++;
                    }
                    return false;
                }
                return split(inputs, shape);
            }
            if (inputs.size() == 1) {
                tested++;
                diverging++;
                finding(data, shape, problem);
                return true;
            }
            if (!split(inputs, shape)) {
                diverging++;
                finding(data, shape, problem);   // only the concatenation diverges: a file like any other
            }
            return true;
        }

        private boolean split(List<byte[]> inputs, BwFuzzInputs.Shape shape) {
            int half = inputs.size() / 2;
            boolean left = test(new ArrayList<>(inputs.subList(0, half)), shape);
            boolean right = test(new ArrayList<>(inputs.subList(half, inputs.size())), shape);
            return left || right;
        }

        /** The real tool on the same file must end as the in-JVM pipeline did. */
        private void crossCheck(byte[] data, BwFuzzInputs.Shape shape, BwTwin.Outcome fast) {
            crossChecks++;
            BwTwin.Outcome real = BwTwin.toolLoad(tool(shape), conn, bw, "v,w", shape.options(), data, true);
            conn.execute("DELETE FROM " + bw);
            if (real.stored() != fast.stored() || !real.rows().equals(fast.rows())) {
                mismatches.add(type.name() + " " + shape.options() + " \"" + BwTwin.escape(data) + "\": in-JVM "
                        + fast.describe() + "; tool " + real.describe());
            }
        }

        private void finding(byte[] data, BwFuzzInputs.Shape shape, String problem) {
            String kind = kind(problem);
            String key = shape.options().format() + " | " + kind + " | " + signature(problem, type.name());
            long same = findings.stream().filter(f -> f.key().equals(key)).count();
            if (same >= PER_KIND || findings.size() >= MAX_FINDINGS) {
                more.merge(key, 1, Integer::sum);
                return;
            }
            Predicate<byte[]> still = candidate -> {
                BwTwin.Outcome s = BwTwin.serverLoad(conn, ref, "v, w", shape.options(), candidate);
                BwTwin.Outcome b = fastBinaryWire(candidate, shape.options());
                String p = BwTwin.judge(s, b, COLUMNS, true);
                return p != null && kind(p).equals(kind) && signature(p, type.name()).equals(signature(problem,
                        type.name()));
            };
            if (kind.equals("HANG")) {
                // not shrunk (each try costs the timeout) nor replayed (the tool would spin as long)
                findings.add(new Finding(key, type.name(), shape, kind, data, data, problem, problem + " (in-JVM;"
                        + " not replayed through the tool, which would spin as long)", null, null));
                System.out.println("bwfuzz FINDING " + type.name() + " " + shape.options() + ": \"" + BwTwin.escape(data)
                        + "\": " + problem);
                return;
            }
            byte[] shrunk = shrink(data, still);
            BwTwin.Outcome toolServer = BwTwin.toolLoad(tool(shape), conn, ref, "v,w", shape.options(), shrunk, false);
            BwTwin.Outcome toolBinary = BwTwin.toolLoad(tool(shape), conn, bw, "v,w", shape.options(), shrunk, true);
            conn.execute("DELETE FROM " + ref);
            conn.execute("DELETE FROM " + bw);
            String toolProblem = BwTwin.judge(toolServer, toolBinary, COLUMNS, true);
            Finding f = new Finding(key, type.name(), shape, kind, data, shrunk, problem, toolProblem, toolServer,
                    toolBinary);
            findings.add(f);
            System.out.println("bwfuzz FINDING " + type.name() + " " + shape.options() + ": \"" + BwTwin.escape(shrunk)
                    + "\": " + (toolProblem != null ? toolProblem : "(not reproduced by the tool) " + problem));
        }

        /**
         * What makes two findings "the same": for data stored differently, the type; for a
         * refusal, the refusing side's message with its values, numbers and names taken out (the
         * parser's refusals are the same whatever the column type).
         */
        private static String signature(String problem, String typeName) {
            if (problem.startsWith("STORED DIFFERENTLY") || problem.startsWith("INTERNAL") || problem.startsWith("HANG")) {
                return typeName;
            }
            int at = problem.startsWith("STORED WHERE") ? problem.indexOf("server refused") : problem.indexOf(
                    "--binary-wire refused");
            String message = at < 0 ? problem : problem.substring(at);
            int bar = message.indexOf(" | ");
            message = bar < 0 ? message : message.substring(0, bar);
            return message.replaceAll("\"[^\"]*\"", "\"…\"").replaceAll("bwfz_\\d+_(ref|bw)", "T").replaceAll("\\d+", "N")
                    .replaceAll("column [a-z] \\([^)]*\\)", "column c");
        }

        private static String kind(String problem) {
            int colon = problem.indexOf(':');
            return colon < 0 ? problem : problem.substring(0, colon);
        }

        /**
         * The bytes of the binary COPY that --binary-wire makes of {@code data}, wired as
         * LoadCommand.binaryWireReader wires the readers (the one place this test depends on
         * their signatures), sent on the test's connection: the outcome the tool would have.
         */
        BwTwin.Outcome fastBinaryWire(byte[] data, BwTwin.Options options) {
            int serverVersion = conn.info().serverVersion();
            if (options.header() && !options.copyFormat().takesHeader(serverVersion)) {
                return new BwTwin.Outcome(ExitStatus.USAGE.code, "HEADER in " + options.copyFormat().keyword()
                        + " format needs a newer server (LoadCommand refuses it)", List.of());
            }
            EndMarker marker = EndMarker.of(serverVersion);
            ByteArrayOutputStream binary = new ByteArrayOutputStream();
            java.util.concurrent.atomic.AtomicReference<Thread> producer = new java.util.concurrent.atomic.AtomicReference<>();
            boolean[] hung = {false};
            java.util.concurrent.ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
                hung[0] = true;
                stop(producer.get());
            }, HANG_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
            try (ChunkPipe pipe = new ChunkPipe(8, 128 * 1024)) {
                BinaryWireRows rows = new BinaryWireRows(targetColumns, ctx, pipe, () -> 0L);
                CopyFormat format = options.copyFormat();
                char delimiter = options.delimiter() != null ? options.delimiter() : format.defaultDelimiter();
                String nullString = options.nullString() != null ? options.nullString() : format.defaultNull();
                pipe.startProducer("bwfuzz-reader", p -> {
                    producer.set(Thread.currentThread());
                    ByteArrayInputStream in = new ByteArrayInputStream(data);
                    if (format == CopyFormat.CSV) {
                        CsvFields.read(in, delimiter, nullString, options.header(), marker, rows);
                    } else {
                        TextFields.read(in, (byte) delimiter, nullString.getBytes(StandardCharsets.UTF_8),
                                options.header(), marker, rows);
                    }
                    rows.finish();
                });
                for (ChunkPipe.Chunk chunk; (chunk = pipe.next()) != null;) {
                    binary.write(chunk.data, 0, chunk.length);
                    pipe.recycle(chunk);
                }
            } catch (Throwable t) {
                if (hung[0]) {
                    return new BwTwin.Outcome(HANG, "still converting after " + HANG_SECONDS + " s", List.of());
                }
                ExitStatus status = ExitStatus.of(t, false);
                String message = t.getMessage() == null ? t.toString() : t.getMessage();
                if (status == ExitStatus.INTERNAL) {
                    StringWriter trace = new StringWriter();
                    t.printStackTrace(new PrintWriter(trace));
                    message = trace.toString();
                }
                return new BwTwin.Outcome(status.code, message, List.of());
            } finally {
                watchdog.cancel(false);
            }
            byte[] bytes = binary.toByteArray();
            try {
                conn.cursor().copy("COPY " + bw + " (v, w) FROM STDIN (FORMAT binary)", copy -> copy.write(bytes, 0,
                        bytes.length));
            } catch (PqException e) {
                return new BwTwin.Outcome(ExitStatus.of(e, false).code, e.getMessage(), List.of());
            } catch (UncheckedIOException e) {
                return new BwTwin.Outcome(1, e.toString(), List.of());
            }
            return new BwTwin.Outcome(0, "", BwTwin.takeRows(conn, bw, "v, w"));
        }
    }

    /** The inputs one after the other, each ended by a line end if it lacks one (the last kept as it is). */
    static byte[] concat(List<byte[]> inputs, String eol) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] end = eol.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < inputs.size(); i++) {
            byte[] in = inputs.get(i);
            out.writeBytes(in);
            if (i < inputs.size() - 1 && (in.length == 0 || (in[in.length - 1] != '\n' && in[in.length - 1] != '\r'))) {
                out.writeBytes(end);
            }
        }
        return out.toByteArray();
    }

    /**
     * Removes whole lines, then bytes (halves, quarters, ... single bytes), while {@code still}
     * holds; at most 500 tries.
     */
    static byte[] shrink(byte[] data, Predicate<byte[]> still) {
        int[] tries = {0};
        Predicate<byte[]> counted = candidate -> ++tries[0] <= 500 && still.test(candidate);
        byte[] current = data;
        // lines (each with its line end), from the last: a row is the usual unit of a finding
        for (boolean removed = true; removed; ) {
            removed = false;
            List<int[]> lines = new ArrayList<>();
            for (int start = 0, i = 0; i < current.length; i++) {
                boolean end = current[i] == '\n' || (current[i] == '\r' && (i + 1 == current.length || current[i + 1] != '\n'));
                if (end || i + 1 == current.length) {
                    lines.add(new int[] {start, i + 1});
                    start = i + 1;
                }
            }
            for (int k = lines.size() - 1; k >= 0 && lines.size() > 1; k--) {
                int[] line = lines.get(k);
                byte[] candidate = new byte[current.length - (line[1] - line[0])];
                System.arraycopy(current, 0, candidate, 0, line[0]);
                System.arraycopy(current, line[1], candidate, line[0], current.length - line[1]);
                if (counted.test(candidate)) {
                    current = candidate;
                    removed = true;
                    break;
                }
            }
        }
        for (int size = Math.max(1, current.length / 2); size >= 1 && tries[0] < 500; size = size == 1 ? 0 : size / 2) {
            boolean removed;
            do {
                removed = false;
                for (int at = 0; at + size <= current.length && tries[0] < 500; ) {
                    byte[] candidate = new byte[current.length - size];
                    System.arraycopy(current, 0, candidate, 0, at);
                    System.arraycopy(current, at + size, candidate, at, current.length - at - size);
                    if (counted.test(candidate)) {
                        current = candidate;
                        removed = true;
                    } else {
                        at += size;
                    }
                }
            } while (removed && tries[0] < 500);
        }
        return current;
    }
}

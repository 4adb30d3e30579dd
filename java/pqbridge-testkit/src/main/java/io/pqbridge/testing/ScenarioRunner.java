package io.pqbridge.testing;

import io.pqbridge.TransactionStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The crash-reproduction kit: runs a scenario in a fresh child JVM once per backend and reports,
 * per backend, how it ended ({@link ScenarioOutcome}): exit code, the signal if it died from one,
 * the JVM crash report (path and problematic frame) if one was written, the exception the scenario
 * ended with (class, message, SQLSTATE), the connection's transaction status at the end and whether
 * {@code SELECT 1} still worked, the output tails and the duration.
 *
 * <p>A scenario is a {@link Scenario} class (it gets a fresh connection), a {@link BuiltinScenario},
 * or any class with a {@code main} method (it makes its own connections; the conninfo is in the
 * system property {@value #CONNINFO_PROPERTY}). Use it from your own tests:
 *
 * <pre>{@code
 * public class LeftOpen implements Scenario {
 *     public void run(Connection conn) {
 *         Copy copy = conn.cursor().copy("COPY (SELECT generate_series(1, 1000000)) TO STDOUT");
 *         copy.read();
 *         copy.finish();
 *     }
 * }
 *
 * for (ScenarioOutcome o : ScenarioRunner.of(LeftOpen.class).conninfo(dsn).jvmOptions("-Xmx128m").run()) {
 *     assertFalse(o.crashed(), o.describe());
 *     assertEquals(TransactionStatus.ACTIVE, o.transactionStatus(), o.describe());
 * }
 * }</pre>
 *
 * <p>How it works: each child is {@link ChildJvm} running the kit's child entry point with
 * {@code -Dpqbridge.impl=<backend>}, this JVM's class path (so the scenario class must be on it)
 * and the options given. The child connects, runs the scenario, then prints one marked line with
 * what it saw and exits (0 when the scenario returned, 1 when it threw); the runner parses that
 * line. A child that crashes never prints it, and the runner reports the crash from the process
 * side alone. Crash reports go to the crash directory ({@code -XX:ErrorFile}), by default
 * {@code pqbridge-repro} in the temporary directory. Runs are sequential; the runner is a builder,
 * not thread-safe, and can {@link #run()} again.
 *
 * <p>Without the server: {@link #record(Path)} runs the scenario once through a {@link Recorder}
 * and writes what passed on the wire to a file; {@link #replaying(Recording)} gives a runner that
 * runs the recorded scenario against a {@link ReplayServer} instead of a server, per backend, and
 * reports in each outcome whether the client followed the recording ({@link
 * ScenarioOutcome#divergence()}).
 */
public final class ScenarioRunner {

    /** The system property holding the conninfo, for main-method scenarios. */
    public static final String CONNINFO_PROPERTY = "pqbridge.scenario.conninfo";
    /** The backends a runner tries unless told otherwise. */
    public static final List<String> ALL_BACKENDS = List.of("native", "java");

    private final List<String> childArgs;
    private final String scenarioName;
    private String conninfo = "";
    private List<String> backends = ALL_BACKENDS;
    private final List<String> jvmOptions = new ArrayList<>();
    private String classPath = System.getProperty("java.class.path");
    private Path crashDirectory = Path.of(System.getProperty("java.io.tmpdir"), "pqbridge-repro");
    private Duration timeout = Duration.ofMinutes(2);
    private Recording replayed;
    private boolean replayTiming;
    private int copyOutRowsKept = -1;
    private boolean keepAuthentication;

    private ScenarioRunner(String scenarioName, List<String> childArgs) {
        this.scenarioName = scenarioName;
        this.childArgs = childArgs;
    }

    /**
     * A runner for a {@link Scenario} class with a public no-argument constructor.
     *
     * @param scenario the scenario class, on this JVM's class path
     * @return the runner, with the defaults: both backends, libpq's default server, a two-minute
     *     timeout
     */
    public static ScenarioRunner of(Class<? extends Scenario> scenario) {
        return new ScenarioRunner(scenario.getName(), List.of("scenario", scenario.getName()));
    }

    /**
     * A runner for one of the built-in scenarios.
     *
     * @param scenario the scenario
     * @return the runner, with the defaults: both backends, libpq's default server, a two-minute
     *     timeout
     */
    public static ScenarioRunner of(BuiltinScenario scenario) {
        return new ScenarioRunner(scenario.scenarioName(), List.of("builtin", scenario.scenarioName()));
    }

    /**
     * A runner for a class whose {@code main(args)} is the scenario; its exception, if any, is
     * reported.
     *
     * @param mainClass the class, on this JVM's class path; it finds the conninfo in
     *     {@value #CONNINFO_PROPERTY}
     * @param args the arguments {@code main} gets
     * @return the runner, with the defaults: both backends, libpq's default server, a two-minute
     *     timeout
     */
    public static ScenarioRunner ofMain(Class<?> mainClass, String... args) {
        List<String> all = new ArrayList<>(List.of("main", mainClass.getName()));
        all.addAll(List.of(args));
        return new ScenarioRunner(mainClass.getName(), all);
    }

    /**
     * A runner for the scenario a recording holds, replayed: each child runs it against a {@link
     * ReplayServer} of the recording (on 127.0.0.1) instead of a server, and its outcome says
     * whether the client followed the recording. {@link #conninfo} does not apply.
     *
     * @param recording a recording of a built-in scenario, a {@link Scenario} class or a
     *     main-method class (the class must be on the children's class path)
     * @return the runner, with the defaults: both backends, no timing, a two-minute timeout
     * @throws IllegalArgumentException when the recording is of something a runner cannot run (a
     *     program: replay it by pointing the program at a {@link ReplayServer})
     */
    public static ScenarioRunner replaying(Recording recording) {
        List<String> scenario = recording.scenario();
        if (!List.of("builtin", "scenario", "main").contains(scenario.get(0)) || scenario.size() < 2) {
            throw new IllegalArgumentException("the recording is of '" + String.join(" ", scenario)
                    + "', which is no scenario a runner can run: replay a program's recording with scripts/repro"
                    + " --recording FILE, or start a ReplayServer and point the program at it");
        }
        ScenarioRunner runner = new ScenarioRunner(scenario.get(1), scenario);
        runner.replayed = recording;
        return runner;
    }

    /**
     * Sets whether a replay keeps the recorded time between events (at most 10 s per gap);
     * default false, as fast as the client goes.
     *
     * @param value true to keep the recorded timing
     * @return this runner
     */
    public ScenarioRunner timing(boolean value) {
        this.replayTiming = value;
        return this;
    }

    /**
     * Sets how many rows of each COPY TO STDOUT {@link #record} keeps (see {@link
     * Recording#cutCopyOut}); default all.
     *
     * @param rows the rows to keep, at least 0
     * @return this runner
     */
    public ScenarioRunner cutCopyOut(int rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be at least 0, not " + rows);
        }
        this.copyOutRowsKept = rows;
        return this;
    }

    /**
     * Sets whether {@link #record} keeps the authentication exchange (see {@link Recorder#finish});
     * default false, left out.
     *
     * @param value true to keep it
     * @return this runner
     */
    public ScenarioRunner keepAuthentication(boolean value) {
        this.keepAuthentication = value;
        return this;
    }

    /**
     * Sets the server to use.
     *
     * @param value a libpq conninfo or URI; empty (the default) means libpq's defaults and
     *     {@code PG*} variables
     * @return this runner
     * @throws NullPointerException when {@code value} is null
     */
    public ScenarioRunner conninfo(String value) {
        this.conninfo = Objects.requireNonNull(value, "conninfo");
        return this;
    }

    /**
     * Sets the backends to run on, in order; default both.
     *
     * @param names backend names, {@code "native"} and {@code "java"}
     * @return this runner
     */
    public ScenarioRunner backends(String... names) {
        this.backends = List.of(names);
        return this;
    }

    /**
     * Adds options for every child JVM, such as {@code -Xmx64m} or {@code -XX:+UseSerialGC}.
     *
     * @param options the options
     * @return this runner
     */
    public ScenarioRunner jvmOptions(String... options) {
        jvmOptions.addAll(List.of(options));
        return this;
    }

    /**
     * Adds options for every child JVM.
     *
     * @param options the options
     * @return this runner
     */
    public ScenarioRunner jvmOptions(List<String> options) {
        jvmOptions.addAll(options);
        return this;
    }

    /**
     * Sets the class path of the children; default this JVM's.
     *
     * @param value the class path, which must hold the kit, pqbridge and the scenario class
     * @return this runner
     * @throws NullPointerException when {@code value} is null
     */
    public ScenarioRunner classPath(String value) {
        this.classPath = Objects.requireNonNull(value, "classPath");
        return this;
    }

    /**
     * Sets where JVM crash reports are written; default {@code pqbridge-repro} in the temporary
     * directory.
     *
     * @param directory the directory, created if missing
     * @return this runner
     * @throws NullPointerException when {@code directory} is null
     */
    public ScenarioRunner crashDirectory(Path directory) {
        this.crashDirectory = Objects.requireNonNull(directory, "directory");
        return this;
    }

    /**
     * Sets how long one child may run before it is killed and reported as timed out; default 2
     * minutes.
     *
     * @param value the timeout
     * @return this runner
     * @throws NullPointerException when {@code value} is null
     */
    public ScenarioRunner timeout(Duration value) {
        this.timeout = Objects.requireNonNull(value, "timeout");
        return this;
    }

    /**
     * {@return how the scenario ended on each backend, in the backends' order; the children run one
     * after the other}
     */
    public List<ScenarioOutcome> run() {
        List<ScenarioOutcome> outcomes = new ArrayList<>();
        for (String backend : backends) {
            outcomes.add(runOn(backend));
        }
        return outcomes;
    }

    /**
     * Runs the scenario once, on the first of the backends, through a {@link Recorder} in front of
     * the server, and writes the recording (the authentication exchange taken out unless {@link
     * #keepAuthentication}; see {@link Recorder#finish}).
     *
     * @param file where the recording goes; gzip-compressed when its name ends in {@code .gz}
     * @return how the recorded run ended
     * @throws IllegalStateException on a runner made by {@link #replaying}
     * @throws UncheckedIOException when the file cannot be written
     */
    public ScenarioOutcome record(Path file) {
        if (replayed != null) {
            throw new IllegalStateException("this runner replays a recording; record with a runner made by of(...)");
        }
        String backend = backends.get(0);
        try (Recorder recorder = Recorder.start(conninfo)) {
            ScenarioOutcome outcome = runChild(backend, recorder.conninfo(), null);
            Recording recording = recorder.finish(keepAuthentication, childArgs, List.of("recorded "
                    + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " with the " + backend + " backend; "
                    + outcome.describe().lines().findFirst().orElse("")));
            (copyOutRowsKept < 0 ? recording : recording.cutCopyOut(copyOutRowsKept)).write(file);
            return outcome;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the recording to " + file, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the recording ended", e);
        }
    }

    private ScenarioOutcome runOn(String backend) {
        if (replayed == null) {
            return runChild(backend, conninfo, null);
        }
        try (ReplayServer server = ReplayServer.start(replayed, replayTiming)) {
            return runChild(backend, server.conninfo(), server);
        }
    }

    private ScenarioOutcome runChild(String backend, String conninfo, ReplayServer replay) {
        List<String> args = new ArrayList<>(childArgs);
        if (!args.get(0).equals("main")) {
            args.add(conninfo);
        }
        ChildResult child = ChildJvm.of(ScenarioChild.class.getName())
                .jvmOptions(jvmOptions)
                .jvmOptions("-Dpqbridge.impl=" + backend, "-D" + CONNINFO_PROPERTY + "=" + conninfo)
                .classPath(classPath)
                .crashDirectory(crashDirectory)
                .timeout(timeout)
                .args(args)
                .run();
        Divergence divergence = replay == null ? null : divergence(replay);
        Map<String, String> fields = ScenarioChild.decode(child.stdoutTail());
        if (fields == null) {
            return new ScenarioOutcome(backend, child, false, null, null, null, null, null, divergence);
        }
        String status = fields.get("status");
        String usable = fields.get("usable");
        return new ScenarioOutcome(backend, child, true, fields.get("exception"), fields.get("message"),
                fields.get("sqlstate"), status == null ? null : TransactionStatus.valueOf(status),
                usable == null ? null : Boolean.valueOf(usable), divergence);
    }

    private static Divergence divergence(ReplayServer replay) {
        try {
            return replay.finish(Duration.ofSeconds(5)).orElse(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return replay.divergence().orElse(null);
        }
    }

    @Override
    public String toString() {
        return "ScenarioRunner[" + scenarioName + (replayed == null ? "" : " replayed") + " on " + backends + "]";
    }
}

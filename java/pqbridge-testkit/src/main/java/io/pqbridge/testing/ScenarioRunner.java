package io.pqbridge.testing;

import io.pqbridge.TransactionStatus;
import java.nio.file.Path;
import java.time.Duration;
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

    private ScenarioOutcome runOn(String backend) {
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
        Map<String, String> fields = ScenarioChild.decode(child.stdoutTail());
        if (fields == null) {
            return new ScenarioOutcome(backend, child, false, null, null, null, null, null);
        }
        String status = fields.get("status");
        String usable = fields.get("usable");
        return new ScenarioOutcome(backend, child, true, fields.get("exception"), fields.get("message"),
                fields.get("sqlstate"), status == null ? null : TransactionStatus.valueOf(status),
                usable == null ? null : Boolean.valueOf(usable));
    }

    @Override
    public String toString() {
        return "ScenarioRunner[" + scenarioName + " on " + backends + "]";
    }
}

package io.pqbridge.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.pqbridge.test.ChildJvms;
import io.pqbridge.Connection;
import io.pqbridge.TransactionStatus;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.Backends;
import io.pqbridge.test.TestDatabase;
import io.pqbridge.testing.BuiltinScenario;
import io.pqbridge.testing.ReproCommand;
import io.pqbridge.testing.Scenario;
import io.pqbridge.testing.ScenarioOutcome;
import io.pqbridge.testing.ScenarioRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The crash-reproduction kit end to end: every built-in psycopg #1008 scenario in a child JVM on
 * every backend ends as psycopg does; the deliberate crash is reported as a crash with its frame;
 * a user's own {@link Scenario} and main-method scenario report their exception and state.
 */
@Tag("heavy")
class ScenarioRunnerTest {

    /** Deliberate crash reports go beside the suite's own crash folder, which must stay empty. */
    private static final Path DELIBERATE = Path.of(System.getProperty("pqbridge.crash.dir", "target/crash"))
            .resolveSibling("crash-deliberate");

    static Stream<Arguments> builtins() {
        return Backends.crossed(Arrays.stream(BuiltinScenario.values()).filter(s -> s != BuiltinScenario.CRASH)
                .map(Arguments::of));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("builtins")
    void builtinScenarioEndsAsPsycopgDoes(PgBackend backend, BuiltinScenario scenario) {
        ScenarioOutcome outcome = single(runner(ScenarioRunner.of(scenario), backend));
        assertTrue(outcome.reported(), outcome.describe());
        assertFalse(outcome.crashed(), outcome.describe());
        assertTrue(scenario.matches(outcome), scenario.expectation() + "\n" + outcome.describe());
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void theDeliberateCrashIsReportedAsACrashWithItsFrame(PgBackend backend) {
        ScenarioOutcome outcome = single(ScenarioRunner.of(BuiltinScenario.CRASH).backends(backend.name())
                .conninfo(TestDatabase.conninfo()).jvmOptions(testJvmOptions()).crashDirectory(DELIBERATE).run());
        assertTrue(BuiltinScenario.CRASH.matches(outcome), outcome.describe());
        assertEquals(134, outcome.exitCode(), outcome.describe());
        assertEquals(6, outcome.signal(), outcome.describe());
        assertFalse(outcome.reported(), "a crashed child cannot report");
        assertTrue(outcome.crashReport().startsWith(DELIBERATE), outcome.describe());
        if (backend.name().equals("native")) {
            assertTrue(outcome.problematicFrame().contains("pqs_crash_for_testing"), outcome.describe());
        }
    }

    @Test
    void reproPrintsAVerdictTableForEveryBackend() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> backends = Backends.all().map(PgBackend::name).toList();
        List<String> args = new ArrayList<>(List.of("1008-copy-out-normal-exit", "--dsn", TestDatabase.conninfo(),
                "--impl", backends.size() == 2 ? "both" : backends.get(0)));
        testJvmOptions().forEach(o -> args.addAll(List.of("--jvm", o)));
        int status = ReproCommand.run(args.toArray(String[]::new), new PrintStream(out, true, UTF_8),
                new PrintStream(err, true, UTF_8));
        String table = out.toString(UTF_8);
        assertEquals(0, status, table + err.toString(UTF_8));
        assertTrue(table.contains("scenario  1008-copy-out-normal-exit"), table);
        for (String backend : backends) {
            assertTrue(table.matches("(?s).*\\n" + backend + " +0 +- +no +- +ACTIVE +fails .* yes\\n.*"), table);
        }
    }

    @Test
    void reproRefusesAnUnknownScenarioWithTheListOfKnownOnes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ReproCommand.run(new String[] {"1008-nope"}, new PrintStream(out, true, UTF_8),
                new PrintStream(err, true, UTF_8));
        assertEquals(2, status);
        assertTrue(err.toString(UTF_8).contains("unknown scenario '1008-nope'; the built-in scenarios are: "
                + "1008-copy-out-normal-exit"), err.toString(UTF_8));
    }

    /** A user's scenario: a server error inside a transaction. */
    public static final class DivideByZero implements Scenario {
        @Override
        public void run(Connection conn) {
            conn.execute("SELECT 1");
            conn.execute("SELECT 1/0");
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aUsersScenarioReportsItsExceptionAndState(PgBackend backend) {
        ScenarioOutcome outcome = single(runner(ScenarioRunner.of(DivideByZero.class), backend));
        assertEquals(1, outcome.exitCode(), outcome.describe());
        assertEquals("io.pqbridge.errors.DivisionByZero", outcome.exceptionClass(), outcome.describe());
        assertEquals("22012", outcome.sqlstate());
        assertEquals("division by zero", outcome.exceptionMessage());
        assertEquals(TransactionStatus.INERROR, outcome.transactionStatus());
        assertEquals(false, outcome.usable());
        assertEquals(backend.name(), outcome.backend());
    }

    /** A main-method scenario: gets the conninfo as a system property, says things on stdout, ends with an exception. */
    public static final class MainScenario {
        public static void main(String[] args) {
            Connection.connect(System.getProperty(ScenarioRunner.CONNINFO_PROPERTY), conn -> {
                System.out.println("backend " + conn.backend() + " " + String.join(",", args));
                conn.execute("SELECT 1");
            });
            throw new IllegalStateException("with a tab\there and a newline\nthere");
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aMainMethodScenarioReportsItsExceptionButNoConnection(PgBackend backend) {
        ScenarioOutcome outcome = single(runner(ScenarioRunner.ofMain(MainScenario.class, "a", "b"), backend));
        assertTrue(outcome.reported(), outcome.describe());
        assertEquals(1, outcome.exitCode());
        assertEquals(IllegalStateException.class.getName(), outcome.exceptionClass());
        assertEquals("with a tab\there and a newline\nthere", outcome.exceptionMessage());
        assertNull(outcome.sqlstate());
        assertNull(outcome.transactionStatus());
        assertNull(outcome.usable());
        assertTrue(outcome.stdoutTail().contains("backend " + backend.name() + " a,b"), outcome.describe());
    }

    @Test
    void anUnreachableServerIsReportedAsTheConnectError() {
        String backend = Backends.all().findFirst().orElseThrow().name();
        ScenarioOutcome outcome = single(ScenarioRunner.of(DivideByZero.class).backends(backend)
                .conninfo("host=127.0.0.1 port=1 connect_timeout=2").jvmOptions(testJvmOptions()).run());
        assertEquals("io.pqbridge.errors.OperationalException", outcome.exceptionClass(), outcome.describe());
        assertTrue(outcome.exceptionMessage().startsWith("connection failed:"), outcome.describe());
        assertNull(outcome.transactionStatus());
        assertNotNull(outcome.duration());
    }

    private static List<ScenarioOutcome> runner(ScenarioRunner runner, PgBackend backend) {
        return runner.backends(backend.name()).conninfo(TestDatabase.conninfo()).jvmOptions(testJvmOptions()).run();
    }

    /** The suite's JVM options minus its crash-report location, which ChildJvm sets itself; a quick-start JIT. */
    static List<String> testJvmOptions() {
        return ChildJvms.options("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m");
    }

    private static ScenarioOutcome single(List<ScenarioOutcome> outcomes) {
        assertEquals(1, outcomes.size());
        return outcomes.get(0);
    }
}

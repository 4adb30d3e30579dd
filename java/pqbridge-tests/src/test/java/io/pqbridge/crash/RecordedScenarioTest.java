package io.pqbridge.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.Backends;
import io.pqbridge.testing.BuiltinScenario;
import io.pqbridge.testing.Recording;
import io.pqbridge.testing.ScenarioOutcome;
import io.pqbridge.testing.ScenarioRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The built-in psycopg #1008 scenarios without a server: each was recorded once against a live
 * PostgreSQL and is kept as test data ({@code src/test/resources/recordings}, each COPY TO STDOUT
 * cut to its first 20 rows: the scenarios read 10). Replayed in a child JVM on every backend, each
 * ends as psycopg does, the verdict {@link ScenarioRunnerTest} checks live, and each backend sends
 * byte for byte what the recorded client sent. The {@code -in-transaction} recordings were made
 * with the java backend and the others with the native one, so each backend replays the other's.
 *
 * <p>To record them again (after a change to what the client sends, which these tests then
 * report as a divergence naming the message and byte):
 * {@code scripts/repro NAME --impl native|java --record java/pqbridge-tests/src/test/resources/recordings/NAME.recording --cut-copy-out 20}.
 */
@Tag("heavy")
class RecordedScenarioTest {

    static Stream<Arguments> recorded() {
        return Backends.crossed(Arrays.stream(BuiltinScenario.values()).filter(s -> s != BuiltinScenario.CRASH)
                .map(Arguments::of));
    }

    static Recording recording(BuiltinScenario scenario) throws IOException, URISyntaxException {
        URL url = RecordedScenarioTest.class.getResource("/recordings/" + scenario.scenarioName() + ".recording");
        assertTrue(url != null, "no recording of " + scenario.scenarioName() + " in src/test/resources/recordings");
        return Recording.read(Path.of(url.toURI()));
    }

    @ParameterizedTest(name = "{1} replayed on {0}")
    @MethodSource("recorded")
    void aRecordedScenarioEndsAsPsycopgDoesWithoutAServer(PgBackend backend, BuiltinScenario scenario)
            throws Exception {
        Recording recording = recording(scenario);
        assertEquals(List.of("builtin", scenario.scenarioName()), recording.scenario());
        assertTrue(recording.notes().stream().anyMatch(n -> n.startsWith("recorded ")), recording.notes().toString());
        List<ScenarioOutcome> outcomes = ScenarioRunner.replaying(recording).backends(backend.name())
                .jvmOptions(ScenarioRunnerTest.testJvmOptions()).run();
        assertEquals(1, outcomes.size());
        ScenarioOutcome outcome = outcomes.get(0);
        assertNull(outcome.divergence(), () -> outcome.divergence().describe());
        assertFalse(outcome.crashed(), outcome.describe());
        assertTrue(scenario.matches(outcome), scenario.expectation() + "\n" + outcome.describe());
    }

    @Test
    void reproReplaysARecordingOnBothBackendsAndSaysTheClientFollowedIt() throws Exception {
        URL url = RecordedScenarioTest.class.getResource("/recordings/1008-copy-in-rollback.recording");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = io.pqbridge.testing.ReproCommand.run(new String[] {"--recording", Path.of(url.toURI()).toString(),
            "--jvm", "-XX:TieredStopAtLevel=1"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String table = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, table + err.toString(StandardCharsets.UTF_8));
        assertTrue(table.contains("no server"), table);
        assertEquals(2, table.lines().filter(l -> l.contains("the client did what the recorded client did")).count(),
                table);
        assertEquals(2, table.lines().filter(l -> l.matches("(native|java) .* yes")).count(), table);
    }
}

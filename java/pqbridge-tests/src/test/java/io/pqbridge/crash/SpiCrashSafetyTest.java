package io.pqbridge.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pqbridge.test.ChildJvms;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.Pq;
import io.pqbridge.test.TestDatabase;
import io.pqbridge.testing.ChildJvm;
import io.pqbridge.testing.ChildResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The crash-prone SPI scenarios of {@link SpiCrashScenarios}, each in a child JVM on each backend:
 * every one must exit normally, with no JVM crash report. A deliberate native crash proves the
 * detection works.
 */
class SpiCrashSafetyTest {

    static Stream<Arguments> scenarios() {
        List<String> names = List.of("use-after-close", "double-close", "cancel-during-copy", "close-while-reading",
                "unclosed-garbage");
        return io.pqbridge.test.Backends.all()
                .flatMap(backend -> names.stream().map(name -> Arguments.of(name, backend)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("scenarios")
    void scenarioEndsCleanly(String scenario, PgBackend backend) {
        ChildResult result = child(scenario, backend.name()).run();
        assertTrue(result.succeeded(), result.describe());
        assertTrue(result.stdoutTail().contains(SpiCrashScenarios.OK), result.describe());
    }

    @Test
    void aDeliberateNativeCrashIsDetectedWithItsFrame() {
        assumeTrue(Pq.availableBackends().contains("native"), "the native backend is not loaded in this run");
        // its report goes elsewhere: target/crash must stay empty, it is the suite's "no crash" evidence
        Path expected = Path.of(System.getProperty("pqbridge.crash.dir", "target/crash")).resolveSibling("crash-deliberate");
        ChildResult result = child("deliberate-crash", "native").crashDirectory(expected).run();
        assertTrue(result.crashed(), result.describe());
        assertEquals(134, result.exitCode(), result.describe());
        assertEquals(6, result.signal());
        assertNotNull(result.crashReport(), result.describe());
        assertTrue(result.problematicFrame().contains("pqs_crash_for_testing"), result.describe());
    }

    private static ChildJvm child(String scenario, String backend) {
        return ChildJvm.of(SpiCrashScenarios.class).jvmOptions(ChildJvms.options("-Xmx256m"))
                .args(scenario, backend, TestDatabase.conninfo()).timeout(Duration.ofMinutes(2));
    }
}

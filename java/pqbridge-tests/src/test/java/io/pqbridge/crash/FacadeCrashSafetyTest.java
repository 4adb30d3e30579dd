package io.pqbridge.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.test.ChildJvms;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.TestDatabase;
import io.pqbridge.testing.ChildJvm;
import io.pqbridge.testing.ChildResult;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The facade misuse scenarios of {@link FacadeCrashScenarios}, each in a child JVM on each
 * backend: every one must exit normally with no JVM crash report (the API's rule: misuse is a
 * {@code PqException}, never a crash).
 */
class FacadeCrashSafetyTest {

    static Stream<Arguments> scenarios() {
        List<String> names = List.of("misuse-after-close", "close-during-copy-out", "close-during-copy-in",
                "cancel-storm");
        return io.pqbridge.test.Backends.all()
                .flatMap(backend -> names.stream().map(name -> Arguments.of(name, backend)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("scenarios")
    void scenarioEndsCleanly(String scenario, PgBackend backend) {
        ChildResult result = ChildJvm.of(FacadeCrashScenarios.class).jvmOptions(ChildJvms.options("-Xmx256m"))
                .args(scenario, backend.name(), TestDatabase.conninfo()).timeout(Duration.ofMinutes(2)).run();
        assertTrue(result.succeeded(), result.describe());
        assertTrue(result.stdoutTail().contains(FacadeCrashScenarios.OK), result.describe());
    }
}

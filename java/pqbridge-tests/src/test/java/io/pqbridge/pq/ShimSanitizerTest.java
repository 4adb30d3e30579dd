package io.pqbridge.pq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.test.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The shim's own C tests (native/test/pqshim_test.c) under AddressSanitizer, LeakSanitizer and
 * UndefinedBehaviorSanitizer (issue 6): builds them in target/cmake-asan with CMake's
 * PQBRIDGE_SANITIZE option, runs them against the test server, and fails on a failed check, an
 * invalid access, undefined behaviour or a leak. Their output is printed, so the run's figures
 * (checks made, sanitizer verdict) show in the test report.
 */
@Tag("native")
class ShimSanitizerTest {

    /** The project's root (the build sets pqbridge.root; run elsewhere, the working directory). */
    private static final Path ROOT = Path.of(System.getProperty("pqbridge.root", "")).toAbsolutePath();
    private static final Path BUILD = ROOT.resolve("target/cmake-asan");

    @Test
    void theShimPassesItsTestsWithNoInvalidAccessUndefinedBehaviourOrLeak() throws Exception {
        assertTrue(Files.exists(ROOT.resolve("CMakeLists.txt")), "run from the project root, not " + ROOT);
        run(List.of("cmake", "-S", ROOT.toString(), "-B", BUILD.toString(), "-DPQBRIDGE_SANITIZE=ON",
                "-DCMAKE_BUILD_TYPE=Debug"), 300);
        run(List.of("cmake", "--build", BUILD.toString(), "--target", "pqshim_test"), 300);

        ProcessBuilder test = new ProcessBuilder(BUILD.resolve("pqshim_test").toString(), TestDatabase.conninfo())
                .redirectErrorStream(true);
        // exit with a failure status on the first report of any of the three sanitizers
        test.environment().put("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0:exitcode=86");
        test.environment().put("LSAN_OPTIONS", "exitcode=87");
        test.environment().put("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1");
        Finished finished = finish(test.start(), 300);
        System.out.println(finished.output);
        // ASan and LSan reports start "==pid==ERROR: ...Sanitizer", UBSan's "file:line:col: runtime error:"
        assertFalse(finished.output.contains("ERROR: AddressSanitizer") || finished.output.contains("ERROR: LeakSanitizer")
                || finished.output.contains("runtime error:"), "a sanitizer reported:\n" + finished.output);
        assertTrue(finished.output.contains("built with AddressSanitizer"), "not instrumented:\n" + finished.output);
        assertTrue(finished.output.contains(" checks, 0 failed"), finished.output);
        assertEquals(0, finished.exitCode, finished.output);
    }

    private record Finished(int exitCode, String output) {
    }

    private static void run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Finished finished = finish(new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .start(), timeoutSeconds);
        assertEquals(0, finished.exitCode, String.join(" ", command) + " failed:\n" + finished.output);
    }

    /** Waits for the process, reading its output as it goes (a full pipe would stall it). */
    private static Finished finish(Process process, int timeoutSeconds) throws IOException, InterruptedException {
        var output = new java.io.ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try {
                process.getInputStream().transferTo(output);
            } catch (IOException e) {
                // the process went away; what was read is kept
            }
        });
        reader.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            reader.join(5_000);
            throw new AssertionError("still running after " + timeoutSeconds + " s:\n"
                    + output.toString(StandardCharsets.UTF_8));
        }
        reader.join(5_000);
        return new Finished(process.exitValue(), output.toString(StandardCharsets.UTF_8));
    }
}

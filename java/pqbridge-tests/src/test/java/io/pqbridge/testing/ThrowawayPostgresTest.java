package io.pqbridge.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The throwaway server cleans up after itself even when its JVM is killed. */
class ThrowawayPostgresTest {

    /** Child: starts a server, prints its directory, then waits to be killed. */
    public static void main(String[] args) throws Exception {
        ThrowawayPostgres server = ThrowawayPostgres.start();
        System.out.println("ROOT " + server.socketDirectory());
        System.out.flush();
        Runtime.getRuntime().halt(137); // dies as a killed process does: no shutdown hook runs
    }

    @Test
    void aKilledOwnerLeavesNoServerBehind() throws Exception {
        // the child starts a server and halts at once (the server's start may take long on a busy machine)
        ChildResult result = ChildJvm.of(ThrowawayPostgresTest.class).timeout(Duration.ofMinutes(2)).run();
        assertEquals(137, result.exitCode(), result.describe());
        String line = result.stdoutTail().lines().filter(l -> l.startsWith("ROOT ")).findFirst()
                .orElseThrow(() -> new AssertionError("the child did not start its server: " + result.describe()));
        Path root = Path.of(line.substring(5));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Files.exists(root) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(Files.exists(root), "the watchdog did not stop and delete " + root);
        assertFalse(serverRunningIn(root), "a postgres process still runs for " + root);
    }

    private static boolean serverRunningIn(Path root) {
        return ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().map(c -> c.contains(root.toString()))
                .orElse(false) && p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
    }
}

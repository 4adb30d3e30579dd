package io.pqbridge.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pqbridge.test.ChildJvms;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.Backends;
import io.pqbridge.test.TestDatabase;
import io.pqbridge.testing.ChildJvm;
import io.pqbridge.testing.ChildResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Misuse fuzzing (issue 6): random sequences of public API operations, right and wrong (COPY in
 * both directions left in every way, cancel and close from another thread, use after close,
 * double close, nested transactions with Rollback, dropped references and GC; row streams read
 * whole, left early, called over, cancelled, failing midway and raced by another thread; prepared
 * statements, by call and by threshold, and dropped behind the cache's back), checked step by
 * step against {@link PsycopgModel}, on every backend, each backend in a child JVM so a crash is
 * caught and reported with the sequence that was running, shrunk. A passing run prints, per
 * backend, the counts and the slowest operations, then which stream and prepared-statement rules
 * it reached ({@link Coverage}).
 *
 * <p>Size and seed: {@code -Dpqbridge.fuzz.sequences} (default 5,000 per backend) and
 * {@code -Dpqbridge.fuzz.seed} (default fixed, so a CI run is repeatable; {@code random} for a new
 * one each run). A long run: {@code mvn -B -ntp test -Dtest=MisuseFuzzTest
 * -Dpqbridge.fuzz.sequences=100000 -Dpqbridge.fuzz.seed=random}. A failure prints the seed and the
 * shrunk sequence; {@code -Dpqbridge.fuzz.replay='autocommit=false:OP,OP'} runs just that one.
 */
@Tag("heavy")
class MisuseFuzzTest {

    private static final long DEFAULT_SEED = 20261124L;

    @Test
    void randomMisuseFollowsPsycopgsRulesOnEveryBackend() throws InterruptedException {
        int sequences = Integer.getInteger("pqbridge.fuzz.sequences", 5000);
        String seedProperty = System.getProperty("pqbridge.fuzz.seed", Long.toString(DEFAULT_SEED));
        long seed = seedProperty.equals("random") ? System.nanoTime() : Long.parseLong(seedProperty);
        String replay = System.getProperty("pqbridge.fuzz.replay");
        List<String> args = replay == null
                ? List.of("run", TestDatabase.conninfo(), Long.toString(seed), Integer.toString(sequences))
                : List.of("replay", TestDatabase.conninfo(), replay);

        Map<String, ChildResult> results = ChildJvms.perBackend(backend -> child(backend, args));

        List<String> problems = new ArrayList<>();
        results.forEach((backend, r) -> {
            String out = r.stdoutTail();
            if (r.crashed() || r.timedOut()) {
                problems.add(backend + ": " + crashReport(backend, r));
            } else if (r.exitCode() != 0 || !out.contains(FuzzChild.DONE)) {
                problems.add(backend + " (seed " + seed + "): exit " + r.exitCode() + "\n" + lines(out, FuzzChild.DIVERGENCE,
                        "HANG") + "\nstderr: " + r.stderrTail());
            } else {
                System.out.println("misuse fuzzing, " + lines(out, FuzzChild.DONE) + " (seed " + seed + ")\n"
                        + lines(out, FuzzChild.COVERAGE));
            }
        });
        if (!problems.isEmpty()) {
            fail(String.join("\n\n", problems));
        }
        assertTrue(results.size() >= 1, "no backend ran");
    }

    private static ChildResult child(PgBackend backend, List<String> args) {
        return ChildJvm.of(FuzzChild.class).jvmOptions(jvmOptions(backend)).args(args).timeout(Duration.ofMinutes(15))
                .run();
    }

    /** A crash or a kill: the sequence that was running, shrunk by replaying it in fresh children. */
    private static String crashReport(String backend, ChildResult r) {
        String last = null;
        for (String line : r.stdoutTail().split("\n")) {
            if (line.startsWith(FuzzChild.SEQ + " ")) {
                last = line.substring(FuzzChild.SEQ.length() + 1).strip();
            }
        }
        String what = r.describe();
        if (last == null) {
            return what + " (no sequence had started)";
        }
        PgBackend b = Backends.all().filter(x -> x.name().equals(backend)).findFirst().orElseThrow();
        FuzzSequence minimal = Shrinker.shrink(FuzzSequence.decode(last), s -> {
            ChildResult again = child(b, List.of("replay", TestDatabase.conninfo(), s.encode()));
            return again.crashed() || again.timedOut();
        }, 30);
        return what + "\nthe sequence running: " + last + "\nshrunk (still crashing or hanging when replayed): "
                + minimal.encode();
    }

    private static List<String> jvmOptions(PgBackend backend) {
        return ChildJvms.options("-Dpqbridge.impl=" + backend.name(), "-Xmx64m", "-XX:+UseSerialGC");
    }

    private static String lines(String text, String... prefixes) {
        return text.lines().filter(l -> Arrays.stream(prefixes).anyMatch(l::startsWith))
                .reduce((a, b) -> a + "\n" + b).orElse("(no report line; the output ends with:)\n"
                        + text.substring(Math.max(0, text.length() - 2000)));
    }
}

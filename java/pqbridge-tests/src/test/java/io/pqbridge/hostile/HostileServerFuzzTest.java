package io.pqbridge.hostile;

import static org.junit.jupiter.api.Assertions.fail;

import io.pqbridge.hostile.Mutator.Plan;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.Pq;
import io.pqbridge.test.Backends;
import io.pqbridge.test.ChildJvms;
import io.pqbridge.testing.ChildJvm;
import io.pqbridge.testing.ChildResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Hostile-server fuzzing: a scripted server on 127.0.0.1 replays real sessions recorded at the
 * start of the test (startup with trust, MD5 and SCRAM-SHA-256; simple and extended queries with
 * rows; an error; notices; COPY OUT; COPY IN; LISTEN/NOTIFY; a cancel), with their server bytes
 * mutated ({@link Mutator}: bit flips, truncation, bad length fields, duplicated, swapped and
 * dropped messages, unexpected messages in every state, corrupted counts; one to three per
 * session) and delivered whole, byte by byte, in random chunks or with short stalls. The client
 * runs the recorded operation again on every backend, each backend in its own child JVM with a
 * fixed 64 MB heap ({@link HostileChild}), and {@link SessionRunner} checks the invariants: only
 * PqExceptions, no hang (10 s per session), the heap holds, a connection whose stream failed is
 * broken, and a connection whose server closed the socket ends up broken.
 *
 * <p>Findings do not stop the run: up to 25 distinct ones per backend (by exception class and top
 * frame, or by invariant) are shrunk, saved to {@code target/hostile-findings/<backend>-<seed>.session}
 * (with {@code <backend>-<seed>.recording} beside it, a test-kit recording of that session's
 * conversation: {@link ScriptRecording}) and described in {@code target/hostile-findings/<backend>-report.txt}; a child that crashes or
 * hangs is restarted after the session that killed it. The test then fails listing them all.
 *
 * <p>Size and seed: {@code -Dpqbridge.hostile.sessions} (default 5,000 per backend),
 * {@code -Dpqbridge.hostile.seed} (default fixed; {@code random} picks one and prints it). A long
 * run: {@code mvn -B -ntp surefire:test -Dtest=HostileServerFuzzTest -Dpqbridge.hostile.sessions=100000
 * -Dpqbridge.hostile.seed=random}. One saved session, on every backend:
 * {@code mvn -B -ntp surefire:test -Dtest=HostileServerFuzzTest -Dpqbridge.hostile.replay=PATH}.
 * Findings become cases of {@link HostileServerRegressionTest}.
 */
@Tag("heavy")
class HostileServerFuzzTest {

    static final long DEFAULT_SEED = 20260317L;
    private static final int MAX_RESTARTS = 8;

    @Test
    void hostileServerBytesNeverCrashHangOrEscapeAsNonPqExceptions() throws Exception {
        Path dir = Path.of("target", "hostile-findings").toAbsolutePath();
        Files.createDirectories(dir);
        String replay = System.getProperty("pqbridge.hostile.replay");
        if (replay != null && !replay.isBlank()) {
            replay(Path.of(replay), dir);
            return;
        }
        int sessions = Integer.getInteger("pqbridge.hostile.sessions", 5000);
        String seedProperty = System.getProperty("pqbridge.hostile.seed", Long.toString(DEFAULT_SEED));
        long seed = seedProperty.equals("random") ? System.nanoTime() : Long.parseLong(seedProperty);
        System.out.println("hostile-server fuzzing: seed " + seed + ", " + sessions + " sessions per backend");

        long t0 = System.nanoTime();
        List<Script> recordings = Recorder.recordAll(Pq.backend());
        Path recorded = dir.resolve("recordings-" + seed + ".txt");
        Script.writeAll(recorded, recordings);
        System.out.printf("recorded %d sessions in %.1f s: %s%n", recordings.size(), (System.nanoTime() - t0) / 1e9,
                recordings.stream().map(s -> s.name() + " (" + s.turns().size() + " turns, " + s.serverBytes()
                        + " server bytes)").toList());
        for (PgBackend b : Backends.all().toList()) {
            Files.deleteIfExists(dir.resolve(b.name() + "-report.txt"));
        }

        Map<String, ChildResult> last = ChildJvms.perBackend(backend -> runAll(backend, recordings, recorded, seed,
                sessions, dir));
        List<String> problems = new ArrayList<>();
        last.forEach((backend, r) -> {
            String out = r.stdoutTail();
            for (String line : out.split("\n")) {
                if (line.startsWith(HostileChild.DONE)) {
                    System.out.println("hostile-server fuzzing, " + line + " (seed " + seed + ")");
                }
            }
            if (!out.contains(HostileChild.DONE)) {
                problems.add(backend + ": the last child did not finish: " + r.describe() + "\n" + tail(out));
            }
        });
        for (PgBackend b : Backends.all().toList()) {
            Path report = dir.resolve(b.name() + "-report.txt");
            if (Files.exists(report)) {
                problems.add(Files.readString(report, StandardCharsets.UTF_8));
            }
        }
        if (!problems.isEmpty()) {
            fail("hostile-server fuzzing (seed " + seed + ") found problems; inputs and reports in " + dir + "\n\n"
                    + String.join("\n", problems));
        }
    }

    /**
     * Runs children until the sessions are done: a child that crashed or hung is reported (the
     * session that killed it saved, and shrunk by dropping mutations in fresh children) and a new
     * child goes on after it. Returns the last child's result.
     */
    private static ChildResult runAll(PgBackend backend, List<Script> recordings, Path recorded, long seed,
            int sessions, Path dir) {
        int start = 0;
        ChildResult r = null;
        for (int restarts = 0; restarts <= MAX_RESTARTS && start < sessions; restarts++) {
            r = child(backend, List.of("run", recorded.toString(), Long.toString(seed), Integer.toString(start),
                    Integer.toString(sessions), dir.toString()), Duration.ofMinutes(30));
            String out = r.stdoutTail();
            if (out.contains(HostileChild.DONE)) {
                return r;
            }
            int at = lastSession(out);
            if (at < 0) {
                HostileChild.reportFrom(dir, backend.name(), "child died before any session: " + r.describe(),
                        tail(out) + "\nstderr: " + r.stderrTail());
                return r;
            }
            if (!out.contains(HostileChild.HANG)) {
                // a crash (or a kill): the child could not save anything, so save the session here
                Plan plan = Mutator.generate(recordings, seed + at);
                Path file = dir.resolve(backend.name() + "-" + (seed + at) + "-crash.session");
                Plan small = plan;
                for (int k = small.mutations().size() - 1; k >= 0 && small.mutations().size() > 1; k--) {
                    Plan q = small.without(k);
                    if (killsChild(backend, q.script(), dir)) {
                        small = q;
                    }
                }
                small.script().write(file);
                HostileChild.reportFrom(dir, backend.name(), "child JVM died in session " + at + " (seed "
                        + (seed + at) + "): " + r.describe() + (r.crashReport() == null ? "" : " " + r.crashReport()),
                        "mutations: " + small.script().notes() + "\nfile: " + file + "\n" + tail(out)
                                + "\nstderr: " + r.stderrTail());
            }
            start = at + 1;
        }
        return r;
    }

    private static boolean killsChild(PgBackend backend, Script script, Path dir) {
        try {
            Path file = Files.createTempFile(dir, "shrink", ".session");
            script.write(file);
            ChildResult r = child(backend, List.of("replay", file.toString(), dir.toString()), Duration.ofSeconds(60));
            Files.deleteIfExists(file);
            return r.crashed() || r.timedOut() || r.exitCode() == 3;
        } catch (IOException e) {
            return false;
        }
    }

    private static void replay(Path file, Path dir) throws InterruptedException {
        Script script = Script.read(file);
        System.out.println("replaying " + file + ":\n" + script.encode());
        Map<String, ChildResult> results = ChildJvms.perBackend(backend -> child(backend,
                List.of("replay", file.toString(), dir.toString()), Duration.ofMinutes(2)));
        List<String> problems = new ArrayList<>();
        results.forEach((backend, r) -> {
            System.out.println(backend + ": " + r.describe() + "\n" + tail(r.stdoutTail()));
            if (r.exitCode() != 0 || r.crashed() || r.timedOut()) {
                problems.add(backend + ": " + r.describe() + "\n" + tail(r.stdoutTail()));
            }
        });
        if (!problems.isEmpty()) {
            fail(String.join("\n\n", problems));
        }
    }

    static ChildResult child(PgBackend backend, List<String> args, Duration timeout) {
        return ChildJvm.of(HostileChild.class)
                .jvmOptions(ChildJvms.options("-Dpqbridge.impl=" + backend.name(), "-Xmx64m", "-Xms64m",
                        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"))
                .args(args).timeout(timeout).run();
    }

    private static int lastSession(String out) {
        int at = -1;
        for (String line : out.split("\n")) {
            if (line.startsWith(HostileChild.SESSION + " ")) {
                at = Integer.parseInt(line.substring(HostileChild.SESSION.length() + 1).strip());
            }
        }
        return at;
    }

    private static String tail(String out) {
        return out.length() > 3000 ? out.substring(out.length() - 3000) : out;
    }
}

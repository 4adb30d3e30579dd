package io.pqbridge.hostile;

import io.pqbridge.hostile.Mutator.Plan;
import io.pqbridge.hostile.Script.Delivery;
import io.pqbridge.hostile.Script.Turn;
import io.pqbridge.hostile.SessionRunner.Finding;
import io.pqbridge.pq.Pq;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The child JVM of {@link HostileServerFuzzTest}: runs mutated sessions on the backend of
 * {@code -Dpqbridge.impl} against its own {@link ScriptedServer}, with a fixed 64 MB heap, so a
 * crash or an OutOfMemoryError stays in this process.
 *
 * <p>{@code run RECORDINGS SEED START COUNT DIR} runs sessions START..COUNT-1 (session i is
 * generated from seed SEED+i), printing {@value #SESSION} i before each (the parent's clue after a
 * crash). A finding is shrunk and saved to {@code DIR/<backend>-<session seed>.session}, its
 * conversation under the scripted server to {@code .recording} beside it ({@link ScriptRecording}), and
 * appended to {@code DIR/<backend>-report.txt}; up to {@value #MAX_DISTINCT} distinct findings
 * (by key: exception class and top frame, or the invariant broken) are kept, later sessions with
 * a known key only counted, and the run goes on. At the end it prints {@value #DONE} and one
 * {@value #SUMMARY} line per finding and exits 0. {@code replay FILE DIR} runs one saved session and
 * prints {@value #RESULT} lines; exit 1 on a finding. {@code recording FILE DIR [RECORDING]} runs one
 * saved session, saves its recording to {@code DIR/<backend>-<name>.recording} and replays it (or
 * RECORDING) to the same client ({@link ScriptRecording#check}).
 *
 * <p>A session running over {@value #HANG_SECONDS} s is a hang: the thread dump and the session
 * are printed (the session also saved and reported) and the child exits 3. Every
 * {@value #HEAP_EVERY} sessions the heap used after a GC must be under {@value #HEAP_LIMIT_MB} MB
 * and the live threads at most 40 more than at the start.
 */
final class HostileChild {

    static final String SESSION = "SESSION";
    static final String DONE = "DONE";
    static final String SUMMARY = "SUMMARY";
    static final String RESULT = "RESULT";
    static final String HANG = "HANG";
    static final int HANG_SECONDS = 10;
    static final int MAX_DISTINCT = 25;
    static final int HEAP_EVERY = 250;
    static final int HEAP_LIMIT_MB = 40;
    private static final int SHRINK_RUNS = 60;

    private static volatile long sessionStarted;
    private static volatile Script running;
    private static volatile long runningSeed;
    private static Path dir;
    private static String backendName;

    private HostileChild() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        backendName = Pq.backend().name();
        SessionRunner.installUncaughtHandler();
        ScriptedServer server = new ScriptedServer();
        SessionRunner runner = new SessionRunner(Pq.backend(), server);
        startHangWatch(out);
        if (args[0].equals("recording")) {
            Path session = Path.of(args[1]);
            dir = Path.of(args[2]);
            String name = session.getFileName().toString().replaceFirst("\\.session$", "");
            running = Script.read(session);
            sessionStarted = System.nanoTime();
            ScriptRecording.check(runner, server, running, backendName, name, dir,
                    args.length > 3 ? Path.of(args[3]) : null, out);
            System.exit(0);
        }
        if (args[0].equals("replay")) {
            dir = Path.of(args[2]);
            Script script = Script.read(Path.of(args[1]));
            Finding f = watched(runner, script, -1);
            out.println(RESULT + " " + backendName + " " + (f == null ? "ok" : "FINDING " + f.key()));
            if (f != null) {
                out.println(RESULT + " detail: " + f.detail());
            }
            out.flush();
            System.exit(f == null ? 0 : 1);
        }
        List<Script> recordings = Script.readAll(Path.of(args[1]));
        long seed = Long.parseLong(args[2]);
        int start = Integer.parseInt(args[3]);
        int count = Integer.parseInt(args[4]);
        dir = Path.of(args[5]);
        Files.createDirectories(dir);
        Map<String, int[]> counts = new LinkedHashMap<>();
        Map<String, String> files = new LinkedHashMap<>();
        long began = System.nanoTime();
        int baselineThreads = Thread.activeCount();
        long slowest = 0;
        String slowestName = "";
        for (int i = start; i < count; i++) {
            long sessionSeed = seed + i;
            Plan plan = Mutator.generate(recordings, sessionSeed);
            Script script = plan.script();
            out.println(SESSION + " " + i);
            long t0 = System.nanoTime();
            Finding f = watched(runner, script, sessionSeed);
            long took = System.nanoTime() - t0;
            if (took > slowest) {
                slowest = took;
                slowestName = script.name() + " " + script.delivery() + " " + script.notes();
            }
            if (f != null) {
                int[] n = counts.get(f.key());
                if (n != null) {
                    n[0]++;
                } else if (counts.size() < MAX_DISTINCT) {
                    counts.put(f.key(), new int[] {1});
                    files.put(f.key(), record(runner, plan, script, f, sessionSeed, out));
                } else {
                    counts.computeIfAbsent("(findings beyond the first " + MAX_DISTINCT + ")", k -> new int[1])[0]++;
                }
            }
            if ((i + 1) % HEAP_EVERY == 0) {
                String problem = resources(baselineThreads);
                if (problem != null && !counts.containsKey(problem)) {
                    counts.put(problem, new int[] {1});
                    files.put(problem, "(after session " + i + ")");
                    report(problem, "after session " + i + " (seed " + sessionSeed + ")", "", "");
                }
            }
        }
        out.printf("%s %d sessions (%d..%d) on %s in %.1f s, %d distinct findings; slowest session %.2f s: %s%n",
                DONE, count - start, start, count - 1, backendName, (System.nanoTime() - began) / 1e9, counts.size(),
                slowest / 1e9, slowestName);
        counts.forEach((k, n) -> out.println(SUMMARY + "\t" + n[0] + "\t" + k + "\t" + files.get(k)));
        out.flush();
        System.exit(0);
    }

    private static Finding watched(SessionRunner runner, Script script, long seed) throws InterruptedException {
        running = script;
        runningSeed = seed;
        sessionStarted = System.nanoTime();
        try {
            return runner.run(script);
        } finally {
            sessionStarted = 0;
        }
    }

    /** Saves the session at once, shrinks it, saves the shrunk one over it and reports it. */
    private static String record(SessionRunner runner, Plan plan, Script script, Finding f, long seed,
            PrintStream out) throws InterruptedException {
        Path file = dir.resolve(backendName + "-" + seed + ".session");
        save(file, script, f, "unshrunk");
        Script small = shrink(runner, plan, script, f);
        Finding again = watched(runner, small, seed);
        save(file, small, again == null ? f : again, "shrunk from " + script.serverBytes() + " server bytes in "
                + script.turns().size() + " turns to " + small.serverBytes() + " in " + small.turns().size());
        String recording = ScriptRecording.save(runner.lastSession(), List.of("backend " + backendName
                + "; finding: " + (again == null ? "none when saved (first: " + f.key() + ")" : again.key())),
                dir.resolve(backendName + "-" + seed + ".recording"));
        report(f.key(), "session seed " + seed + ", recording " + script.name() + ", delivery " + script.delivery(),
                String.join("\n", script.notes()) + "\nshrunk: " + String.join("; ", small.notes()),
                (again == null ? f : again).detail() + "\nfile: " + file.toAbsolutePath() + "\n" + recording);
        out.println("FINDING\t" + f.key() + "\t" + file);
        return file.toString();
    }

    private static void save(Path file, Script script, Finding f, String how) {
        List<String> notes = new ArrayList<>(script.notes());
        notes.add("backend " + backendName + "; finding (" + how + "): " + f.key());
        for (String line : f.detail().split("\n")) {
            notes.add("  " + line);
        }
        script.withNotes(notes).write(file);
    }

    /** {@link #report} from the parent JVM. */
    static synchronized void reportFrom(Path directory, String backend, String key, String detail) {
        dir = directory;
        backendName = backend;
        report(key, "", "", detail);
    }

    static synchronized void report(String key, String where, String what, String detail) {
        String text = "=== FINDING on " + backendName + ": " + key + "\n" + where + "\n" + what + "\n" + detail + "\n\n";
        try {
            Files.writeString(dir.resolve(backendName + "-report.txt"), text, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Fewer mutations, WHOLE delivery, no turns after an SSL answer, no flood, fewer turns, fewer
     * messages, while the same key comes back (any OutOfMemoryError for one).
     */
    static Script shrink(SessionRunner runner, Plan plan, Script script, Finding f) throws InterruptedException {
        int[] budget = {SHRINK_RUNS};
        Predicate<Script> fails = s -> {
            if (budget[0]-- <= 0) {
                return false;
            }
            try {
                Finding g = watched(runner, s, runningSeed);
                // an OutOfMemoryError's frame is wherever the heap ran out: the class is enough there
                return g != null && (g.key().equals(f.key()) || f.key().startsWith("java.lang.OutOfMemoryError")
                        && g.key().startsWith("java.lang.OutOfMemoryError"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        };
        Plan p = plan;
        Script best = script;
        for (int k = p.mutations().size() - 1; k >= 0 && p.mutations().size() > 1; k--) {
            Plan q = p.without(k);
            Script s = q.script().withDelivery(best.delivery());
            if (fails.test(s)) {
                p = q;
                best = s;
            }
        }
        if (best.delivery() != Delivery.WHOLE && fails.test(best.withDelivery(Delivery.WHOLE))) {
            best = best.withDelivery(Delivery.WHOLE);
        }
        while (best.turns().size() > 1) {
            Script s = best.withTurns(best.turns().subList(0, best.turns().size() - 1));
            if (!fails.test(s)) {
                break;
            }
            best = s;
        }
        if (best.sslAnswer() != null && fails.test(best.withTurns(List.of()))) {
            best = best.withTurns(List.of());
        }
        for (int t = best.turns().size() - 1; t >= 0 && budget[0] > 0; t--) {
            Turn turn = best.turns().get(t);
            if (turn.floodCount() > 4) {
                List<Turn> turns = new ArrayList<>(best.turns());
                turns.set(t, new Turn(turn.clientMessages(), turn.server()));
                if (fails.test(best.withTurns(turns))) {
                    best = best.withTurns(turns);
                }
            }
            List<byte[]> msgs = Mutator.messages(best.turns().get(t).server());
            for (int m = msgs.size() - 1; m >= 0 && budget[0] > 0; m--) {
                int floodAt = best.turns().get(t).floodAt();
                int start = 0;
                for (int k = 0; k < m; k++) {
                    start += msgs.get(k).length;
                }
                int len = msgs.get(m).length;
                if (start < floodAt && start + len > floodAt) {
                    continue;
                }
                List<byte[]> fewer = new ArrayList<>(msgs);
                fewer.remove(m);
                Script s = replaceTurn(best, t, Mutator.join(fewer), start + len <= floodAt ? floodAt - len : floodAt);
                if (fails.test(s)) {
                    best = s;
                    msgs = fewer;
                }
            }
        }
        return best;
    }

    /** The script with turn {@code index}'s bytes replaced; its flood moves to {@code floodAt}. */
    private static Script replaceTurn(Script s, int index, byte[] bytes, int floodAt) {
        List<Turn> turns = new ArrayList<>(s.turns());
        Turn t = turns.get(index);
        turns.set(index, new Turn(t.clientMessages(), bytes, floodAt, t.floodCount(), t.flood()));
        return s.withTurns(turns);
    }

    /** Null when the heap after a GC and the thread count are within bounds, else the problem. */
    private static String resources(int baselineThreads) {
        Runtime rt = Runtime.getRuntime();
        long used = 0;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = rt.totalMemory() - rt.freeMemory();
            if (used < HEAP_LIMIT_MB * 1024L * 1024L) {
                break;
            }
        }
        if (used >= HEAP_LIMIT_MB * 1024L * 1024L) {
            return "heap used after GC " + used / (1024 * 1024) + " MB, over " + HEAP_LIMIT_MB + " MB";
        }
        int threads = Thread.activeCount();
        if (threads > baselineThreads + 40) {
            return "threads leaked: " + threads + " live, " + baselineThreads + " at the start";
        }
        return null;
    }

    private static void startHangWatch(PrintStream out) {
        Thread watch = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
                long startedAt = sessionStarted;
                if (startedAt != 0 && System.nanoTime() - startedAt > HANG_SECONDS * 1_000_000_000L) {
                    StringBuilder dump = new StringBuilder();
                    for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
                        dump.append(info);
                    }
                    Script script = running;
                    String key = "hang: a session ran for more than " + HANG_SECONDS + " s (" + script.op() + ")";
                    Path file = dir.resolve(backendName + "-" + runningSeed + "-hang.session");
                    try {
                        save(file, script, new Finding(key, dump.toString()), "unshrunk");
                        report(key, "session seed " + runningSeed + ", recording " + script.name(),
                                String.join("\n", script.notes()), dump + "\nfile: " + file.toAbsolutePath());
                    } catch (RuntimeException e) {
                        out.println("could not save the hanging session: " + e);
                    }
                    out.print(dump);
                    out.println(script.encode());
                    // last, so the parent's output tail always holds it
                    out.println(HANG + "\t" + runningSeed + "\t" + key + "\t" + file);
                    out.flush();
                    Runtime.getRuntime().halt(3);
                }
            }
        }, "hostile-hang-watch");
        watch.setDaemon(true);
        watch.start();
    }
}

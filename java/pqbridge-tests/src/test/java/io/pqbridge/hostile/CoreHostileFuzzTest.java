package io.pqbridge.hostile;

import static org.junit.jupiter.api.Assertions.fail;

import io.pqbridge.pq.Pq;
import io.pqbridge.pq.wire.CoreSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Hostile-server fuzzing of the java backend's protocol core itself, in process: the sessions of
 * {@link HostileServerFuzzTest} (recorded now against the test server, mutated by {@link Mutator},
 * delivered whole, byte by byte or in random pieces, floods cut to 1 MB) are fed straight into the start-up exchange
 * and the protocol core through {@link CoreSession}, with no socket, thread or clock, so that
 * hundreds of thousands of sessions fit in a minute. The client side repeats each recording's
 * operation at the protocol level (the same messages the facade sent).
 *
 * <p>Invariants: nothing is thrown; no read is wasted (every session ends: each read brings at
 * least one byte of a finite script, and each command takes at most 100 results); the
 * input buffer never grows beyond the bytes that really arrived (plus its first 64 KB and one
 * doubling); a stream the core gave up ("lost synchronization") leaves the connection bad; and
 * after the script a new command is either accepted or refused with libpq's text, never thrown.
 *
 * <p>Size and seed: {@code -Dpqbridge.corefuzz.sessions} (default 100,000),
 * {@code -Dpqbridge.hostile.seed} as for the socket fuzzer. It prints the rate reached.
 */
@Tag("heavy")
class CoreHostileFuzzTest {

    private static final int FLOOD_BYTES = 1 << 20;

    @Test
    void hostileBytesFedStraightIntoTheCoreNeverThrowLoopOrHoard() {
        int sessions = Integer.getInteger("pqbridge.corefuzz.sessions", 100_000);
        String seedProperty = System.getProperty("pqbridge.hostile.seed", Long.toString(HostileServerFuzzTest.DEFAULT_SEED));
        long seed = seedProperty.equals("random") ? System.nanoTime() : Long.parseLong(seedProperty);
        List<Script> recordings = Recorder.recordAll(Pq.backend()).stream().filter(s -> s.sslAnswer() == null).toList();

        Map<String, String> findings = new LinkedHashMap<>();
        Map<String, long[]> perRecording = new java.util.TreeMap<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < sessions && findings.size() < 25; i++) {
            long started = System.nanoTime();
            Script script = withSmallerFloods(Mutator.generate(recordings, seed + i).script());
            long generated = System.nanoTime();
            String finding = run(script);
            boolean flood = script.turns().stream().anyMatch(t -> t.floodCount() > 0);
            long[] time = perRecording.computeIfAbsent(script.name() + (flood ? " flood" : ""), k -> new long[3]);
            time[0]++;
            time[1] += generated - started;
            time[2] += System.nanoTime() - generated;
            if (finding != null) {
                findings.putIfAbsent(finding.lines().findFirst().orElse(finding),
                        "session seed " + (seed + i) + ", " + script.name() + " " + script.delivery() + " "
                                + script.notes() + "\n" + finding);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("core fuzzing: %d sessions from seed %d in %.1f s: %.0f sessions per minute, %d findings%n",
                sessions, seed, seconds, sessions / seconds * 60, findings.size());
        perRecording.forEach((name, time) -> System.out.printf("  %-16s %6d sessions, %5.0f us mutating, %6.0f us running each%n",
                name, time[0], time[1] / 1e3 / time[0], time[2] / 1e3 / time[0]));
        if (!findings.isEmpty()) {
            fail(findings.size() + " findings:\n\n" + String.join("\n\n", findings.values()));
        }
    }

    /**
     * The script with each flood cut to about {@value #FLOOD_BYTES} bytes: still far past the input
     * buffer's first 64 KB (so hoarding would show), but a hundredth of the socket fuzzer's 8 MB,
     * which in process would spend most of the run parsing the same message.
     */
    static Script withSmallerFloods(Script script) {
        if (script.turns().stream().noneMatch(t -> t.floodCount() > 0)) {
            return script;
        }
        return script.withTurns(script.turns().stream().map(t -> t.floodCount() == 0 ? t
                : new Script.Turn(t.clientMessages(), t.server(), t.floodAt(),
                        Math.min(t.floodCount(), 1 + FLOOD_BYTES / Math.max(1, t.flood().length)), t.flood()))
                .toList());
    }

    /** One session; null when every invariant held, else what broke (first line: its kind). */
    static String run(Script script) {
        CoreSession session = new CoreSession(new ScriptPeer(script), false);
        try {
            if (session.connect(keywords(script.conninfo()))) {
                operation(script.op(), session);
            }
            String broken = checkState(session);
            if (broken != null) {
                return broken;
            }
            session.query("SELECT 1");
            session.allResults();
            return checkState(session);
        } catch (Throwable t) {
            StringBuilder where = new StringBuilder(t.toString());
            for (StackTraceElement e : t.getStackTrace()) {
                where.append("\n\tat ").append(e);
                if (e.getClassName().endsWith("CoreSession")) {
                    break;
                }
            }
            return "thrown: " + where + "\nsteps: " + session.transcript;
        }
    }

    private static String checkState(CoreSession session) {
        if (session.feeds() > session.received() + 1000) {
            return "reads that brought nothing: " + session.feeds() + " reads for " + session.received()
                    + " bytes\nsteps: " + session.transcript;
        }
        long allowed = 2 * (64 * 1024 + session.received());
        if (session.inputCapacity() > allowed) {
            return "input buffer of " + session.inputCapacity() + " bytes for " + session.received() + " received";
        }
        if (session.errors().contains("lost synchronization with server") && session.ok()) {
            return "the stream was given up but the connection is still good\nsteps: " + session.transcript;
        }
        return null;
    }

    /** The client's part of each recorded operation, message for message as the facade sent it. */
    private static void operation(ClientOp op, CoreSession s) {
        switch (op) {
            case CONNECT -> {
            }
            case SIMPLE_QUERY, ERROR_QUERY, NOTICES, CANCEL -> {
                s.query("q");
                s.allResults();
            }
            case EXTENDED_QUERY -> {
                s.queryParams("q", "p\u00e4ram", "7");
                s.allResults();
            }
            case COPY_OUT -> {
                s.query(ClientOp.COPY_OUT_SQL);
                s.result();
                s.copyOut();
                s.allResults();
            }
            case COPY_IN -> {
                s.query("CREATE TEMP TABLE hostile_in (a int, b text)");
                s.allResults();
                s.query("COPY hostile_in (a, b) FROM STDIN");
                s.result();
                StringBuilder rows = new StringBuilder();
                for (int i = 0; i < 50; i++) {
                    rows.append(i).append("\trow\\t").append(i).append('\n');
                }
                s.copyIn(rows.toString(), null);
                s.allResults();
            }
            case LISTEN_NOTIFY -> {
                s.query("LISTEN hostile");
                s.allResults();
                s.query("NOTIFY hostile, 'payload'");
                s.allResults();
            }
        }
        s.events();
    }

    /** The recording's conninfo keywords ({@code name=value}, values possibly single-quoted). */
    static Map<String, String> keywords(String conninfo) {
        Map<String, String> k = new LinkedHashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\w+)=('([^']*)'|\\S+)").matcher(conninfo);
        while (m.find()) {
            k.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(2));
        }
        return k;
    }

    private CoreHostileFuzzTest() {
    }
}

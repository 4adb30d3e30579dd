package io.pqbridge.hostile;

import io.pqbridge.hostile.SessionRunner.Outcome;
import io.pqbridge.testing.Divergence;
import io.pqbridge.testing.Recording;
import io.pqbridge.testing.ReplayServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A hostile session as a test-kit {@link Recording}: the conversation the {@link ScriptedServer}
 * kept while it served the session (the client's real messages, which the replay then checks byte
 * for byte, and each piece the server wrote, floods included, in the order written), so that
 * {@link ReplayServer} gives the client exactly the bytes the scripted server gave it, without the
 * script, the mutator or this package. Replay it with the recorded timing
 * ({@code ReplayServer.start(recording, true)}): the scripted server writes a turn once the client
 * sent its messages or after {@value ScriptedServer#WAIT_MILLIS} ms, whichever comes first, so a
 * turn may come before client messages sent later; the recording then has the turn before them,
 * and only the recorded gap keeps the replay from writing it (and the end of the connection) at
 * once, where the client may still be connecting. (Seen: java's client, cold, took over 60 ms to
 * send its query; replayed without timing it met the end during connect and failed its query,
 * which had succeeded.) The gaps also keep the delivery's pauses.
 *
 * <p>A session whose client asked for TLS ({@code ssl-answer}) is recorded too: its SSLRequest is
 * the first client message and the scripted answer the first server bytes. Its replay must then
 * connect with {@code sslmode=prefer} ({@link #replayConninfo}), not {@link ReplayServer#conninfo()},
 * whose {@code sslmode=disable} makes the client send its startup packet first; the recording's
 * notes say so. A session whose server wrote over 16 MB is refused
 * ({@link io.pqbridge.testing.ServerSideRecording#MAX_SERVER_BYTES}).
 *
 * <p>{@link #check} is the child JVM's {@code recording} command: the session under the scripted
 * server, its recording written and read back, then replayed, with the two outcomes and the
 * replay's divergence printed as {@value HostileChild#RESULT} lines.
 */
final class ScriptRecording {

    static final String SCRIPTED = "scripted";
    static final String REPLAYED = "replayed";
    static final String DIVERGENCE = "divergence";
    static final String FILE = "file";
    private static final Duration FINISH = Duration.ofSeconds(15);

    private ScriptRecording() {
    }

    /**
     * The session's conversation as a recording, with the script's notes and {@code moreNotes}.
     *
     * @throws IllegalStateException when its server bytes are over 16 MB; the message says so
     */
    static Recording of(ScriptedServer.Session session, List<String> moreNotes) {
        Script script = session.script;
        List<String> notes = new ArrayList<>(script.notes());
        notes.addAll(moreNotes);
        notes.add("hostile-server session " + script.name() + ": client " + script.op() + ", delivery "
                + script.delivery() + "; each server line is one write of the scripted server");
        notes.add("replay in a test with the recorded timing: ReplayServer.start(Recording.read(file), true), then"
                + " ClientOp." + script.op() + " (io.pqbridge.hostile) on a connection to it");
        if (script.sslAnswer() != null) {
            notes.add("the client asked for TLS: connect to the replay with sslmode=prefer (its SSLRequest is the"
                    + " first client message), not with ReplayServer.conninfo(), which says sslmode=disable");
        }
        return session.conversation.build(List.of("class", HostileServerFuzzTest.class.getName(), "session "
                + script.name()), script.conninfo(), notes);
    }

    /**
     * Writes the session's recording to {@code file}, with the script's notes and {@code moreNotes}.
     *
     * @return a line for a finding's report: the file, or why there is none
     */
    static String save(ScriptedServer.Session session, List<String> moreNotes, Path file) {
        try {
            of(session, moreNotes).write(file);
            return "recording (replays the server's bytes without the fuzzer): " + file.toAbsolutePath();
        } catch (IllegalStateException | IOException e) {
            return "no recording: " + e.getMessage();
        }
    }

    /** The conninfo for the session's client against a replay on {@code port}: the scripted server's keywords. */
    static String replayConninfo(int port, Script script) {
        return ScriptedServer.conninfo(port, script);
    }

    /**
     * Runs {@code script} under the scripted server, saves its recording as
     * {@code dir/<backend>-<name>.recording}, then replays {@code replayFile} (that recording
     * when null) to the same client, and prints the outcomes, the replay's first divergence and
     * the file saved.
     *
     * <p>The replay has no "script ended" signal: the client's probes run as soon as its operation
     * returns. They read the same bytes either way: the replay writes all of the recorded server
     * side, then its end, without waiting for a probe, since the recording has the probes after it.
     */
    static void check(SessionRunner runner, ScriptedServer server, Script script, String backend, String name,
            Path dir, Path replayFile, PrintStream out) throws InterruptedException, IOException {
        ScriptedServer.Session session = server.serve(script);
        Outcome scripted = runner.run(script, server.conninfo(script), session::awaitScriptEnd);
        Path saved = dir.resolve(backend + "-" + name + ".recording");
        of(session, List.of("backend " + backend + ": " + scripted.describe())).write(saved);
        Recording recording = Recording.read(replayFile == null ? saved : replayFile);
        Outcome replayed;
        Optional<Divergence> divergence;
        try (ReplayServer replay = ReplayServer.start(recording, true)) {
            replayed = runner.run(script, replayConninfo(replay.port(), script), millis -> true);
            divergence = replay.finish(FINISH);
        }
        out.println(HostileChild.RESULT + " " + SCRIPTED + " " + scripted.describe());
        out.println(HostileChild.RESULT + " " + REPLAYED + " " + replayed.describe());
        out.println(HostileChild.RESULT + " " + DIVERGENCE + " "
                + divergence.map(d -> d.describe().replace('\n', ' ')).orElse("none"));
        out.println(HostileChild.RESULT + " " + FILE + " " + saved.toAbsolutePath());
        out.flush();
    }
}

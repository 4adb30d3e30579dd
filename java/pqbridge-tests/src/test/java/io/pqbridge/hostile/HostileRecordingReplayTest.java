package io.pqbridge.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.Backends;
import io.pqbridge.testing.ChildResult;
import io.pqbridge.testing.Recording;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Saved hostile-server findings replay from their recordings ({@link ScriptRecording}): in a child
 * JVM with the fuzzer's 64 MB heap ({@link HostileChild}'s {@code recording} command), each
 * session runs under the {@link ScriptedServer}, its recording is written and read back and
 * replayed by the test kit's replay server, and the client must end the same way (each step's
 * exception class and message, or ok, and the finding if any) and send exactly the messages it
 * sent the scripted server (no divergence). A recording made with one backend replays on the
 * other where the two backends react alike.
 */
class HostileRecordingReplayTest {

    /**
     * Findings of {@link HostileServerRegressionTest} replayed here: a misframed startup, a bad
     * command tag, an SSLRequest answered with an error (the replay's client connects with
     * sslmode=prefer), an 8 MB flood of notices (java's client gives up at connect_timeout in both)
     * and a misframed COPY.
     */
    static final List<String> CASES = List.of("misframed-huge-length", "command-tag-row-count-overflow",
            "ssl-error-text-shown", "startup-notice-flood", "copy-out-huge-length-self-suppression");

    private static final Path DIR = Path.of("target", "hostile-recordings").toAbsolutePath();

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aSavedFindingReplaysFromItsRecordingWithTheSameOutcome(PgBackend backend) throws IOException {
        for (String name : CASES) {
            Map<String, String> r = recordAndReplay(backend, name, null);
            assertEquals(r.get(ScriptRecording.SCRIPTED), r.get(ScriptRecording.REPLAYED),
                    name + " on " + backend.name() + ": the replay ended otherwise than the scripted server");
            assertEquals("none", r.get(ScriptRecording.DIVERGENCE), name + " on " + backend.name());
            Recording recording = Recording.read(Path.of(r.get(ScriptRecording.FILE)));
            assertEquals(1, recording.connections(), name);
            assertEquals("user=test dbname=postgres", recording.conninfo(), name);
        }
    }

    @Test
    void aRecordingMadeWithOneBackendReplaysOnTheOther() throws IOException {
        List<PgBackend> backends = Backends.all().toList();
        assumeTrue(backends.size() == 2, "needs both backends");
        String name = "command-tag-row-count-overflow";
        Map<String, String> first = recordAndReplay(backends.get(0), name, null);
        Path recorded = Path.of(first.get(ScriptRecording.FILE));
        Map<String, String> second = recordAndReplay(backends.get(1), name, recorded);
        // the backends agree on this session: the row count is refused the same way
        assertEquals(first.get(ScriptRecording.SCRIPTED), second.get(ScriptRecording.SCRIPTED));
        assertEquals(second.get(ScriptRecording.SCRIPTED), second.get(ScriptRecording.REPLAYED),
                "recorded with " + backends.get(0).name() + ", replayed with " + backends.get(1).name());
        assertEquals("none", second.get(ScriptRecording.DIVERGENCE));
    }

    /**
     * Runs the saved case in a child on {@code backend}: under the scripted server, then replayed
     * from {@code replay} (its own new recording when null). Returns the child's result lines by
     * kind, the outcomes included.
     */
    private static Map<String, String> recordAndReplay(PgBackend backend, String name, Path replay)
            throws IOException {
        Files.createDirectories(DIR);
        Path session = DIR.resolve(name + ".session");
        Files.writeString(session, HostileServerRegressionTest.CASES.get(name), StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of("recording", session.toString(), DIR.toString()));
        if (replay != null) {
            args.add(replay.toString());
        }
        ChildResult r = HostileServerFuzzTest.child(backend, args, Duration.ofSeconds(90));
        assertTrue(r.succeeded(), name + " on " + backend.name() + ": " + r.describe() + "\n" + r.stdoutTail());
        Map<String, String> results = new HashMap<>();
        for (String line : r.stdoutTail().split("\n")) {
            if (line.startsWith(HostileChild.RESULT + " ")) {
                String[] parts = line.split(" ", 3);
                results.put(parts[1], parts.length > 2 ? parts[2] : "");
            }
        }
        System.out.println(name + " on " + backend.name() + (replay == null ? "" : ", replaying " + replay) + ": "
                + results);
        assertTrue(results.keySet().containsAll(List.of(ScriptRecording.SCRIPTED, ScriptRecording.REPLAYED,
                ScriptRecording.DIVERGENCE, ScriptRecording.FILE)), name + ": " + r.stdoutTail());
        return results;
    }
}

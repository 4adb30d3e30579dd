package io.pqbridge.testing;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code scripts/repro --recording FILE} of a program's recording ({@code pqbridge record ... --
 * PROGRAM}): reruns the program, or another command given instead, pointed at a {@link
 * ReplayServer} of the recording by libpq's variables ({@link LibpqProgram}), then says how it
 * exited and whether it did what the recorded client did. A program is no scenario a child JVM
 * of the {@link ScenarioRunner} can run, so it gets no verdict table.
 */
final class ProgramReplay {

    /** How long the program's connections may take to end after it exited. */
    private static final Duration WAIT = Duration.ofSeconds(10);

    private ProgramReplay() {
    }

    /** Whether the recording is of a program, which this class replays rather than a runner. */
    static boolean isProgram(Recording recording) {
        return recording.scenario().get(0).equals("program");
    }

    /**
     * Replays the recording to {@code command} and reports on {@code out}.
     *
     * @param command the program and its arguments; empty to rerun the recorded ones
     * @param backend the pqbridge backend the program should use, or null to leave that to its environment
     * @return 0 when the program exited with 0 and followed the recording, else 1
     * @throws IOException when the program cannot be started
     * @throws InterruptedException when interrupted while it runs
     */
    static int run(PrintStream out, Path file, Recording recording, List<String> command, String backend,
            boolean timing) throws IOException, InterruptedException {
        List<String> recorded = recording.scenario();
        if (recorded.size() < 2 && command.isEmpty()) {
            throw new IOException(file + " names no program to rerun: give one after --");
        }
        List<String> program = command.isEmpty() ? recorded.subList(1, recorded.size()) : command;
        out.println("replaying " + file + " (" + String.join(" ", recorded) + "), no server: running "
                + String.join(" ", program));
        for (String note : recording.notes()) {
            out.println("  " + note);
        }
        try (ReplayServer server = ReplayServer.start(recording, timing)) {
            int exit = LibpqProgram.run(program, server.conninfo(), backend);
            Optional<Divergence> divergence = server.finish(WAIT);
            out.println("the program exited with status " + exit);
            out.println(divergence.map(Divergence::describe).orElse("the client followed the recording ("
                    + recording.connections() + " connections)"));
            return exit == 0 && divergence.isEmpty() ? 0 : 1;
        }
    }
}

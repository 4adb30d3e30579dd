package io.pqbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.ChildJvms;
import io.pqbridge.test.TestDatabase;
import io.pqbridge.testing.BuiltinScenario;
import io.pqbridge.testing.Recording;
import io.pqbridge.testing.ReproCommand;
import io.pqbridge.testing.ScenarioOutcome;
import io.pqbridge.testing.ScenarioRunner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code pqbridge record} end to end, on every backend: a built-in scenario recorded through the
 * tool replays without a server and ends as psycopg does; a program recorded through the tool
 * replays through {@code scripts/repro --recording} and follows the recording, and the same
 * program with another argument is reported as leaving it; with --embedded as with --dsn; a bad
 * line names its problem.
 */
class RecordCommandTest {

    private static final BuiltinScenario SCENARIO = BuiltinScenario.COPY_IN_ROLLBACK;

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aRecordedBuiltinScenarioReplaysAsPsycopgDoes(PgBackend backend, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("scenario.recording.gz");
        Tool.Result r = record(backend, file, SCENARIO.scenarioName());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.outText().startsWith(backend.name() + ": "), r.outText());
        assertTrue(r.outText().contains("recorded to " + file), r.outText());
        Recording recording = Recording.read(file);
        assertEquals(List.of("builtin", SCENARIO.scenarioName()), recording.scenario());
        List<ScenarioOutcome> outcomes = ScenarioRunner.replaying(recording).backends(backend.name())
                .jvmOptions(ChildJvms.options()).run();
        assertEquals(1, outcomes.size());
        ScenarioOutcome outcome = outcomes.get(0);
        assertNull(outcome.divergence(), outcome::describe);
        assertTrue(SCENARIO.matches(outcome), SCENARIO.expectation() + "\n" + outcome.describe());
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aRecordedProgramReplaysAndAnotherQueryIsReportedAsLeavingTheRecording(PgBackend backend,
            @TempDir Path dir) throws Exception {
        Path file = dir.resolve("program.recording");
        Tool.Result r = record(backend, file, program("7").toArray(String[]::new));
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.outText().contains("the program exited with status 0; recorded 1 connection(s) to " + file),
                r.outText());
        Recording recording = Recording.read(file);
        assertEquals("program", recording.scenario().get(0));
        assertEquals(program("7"), recording.scenario().subList(1, recording.scenario().size()));

        Repro followed = repro("--recording", file.toString(), "--impl", backend.name());
        assertEquals(0, followed.exit(), followed::toString);
        assertTrue(followed.out().contains("the program exited with status 0"), followed::toString);
        assertTrue(followed.out().contains("the client followed the recording (1 connections)"), followed::toString);

        List<String> other = new ArrayList<>(List.of("--recording", file.toString(), "--impl", backend.name(), "--"));
        other.addAll(program("8"));
        Repro diverged = repro(other.toArray(String[]::new));
        assertEquals(1, diverged.exit(), diverged::toString);
        assertTrue(diverged.out().contains("the client left the recording at connection 1, client message "),
                diverged::toString);
        assertTrue(diverged.out().contains("generate_series(1, 7)"), diverged::toString);
        assertTrue(diverged.out().contains("generate_series(1, 8)"), diverged::toString);
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void anEmbeddedServerIsRecordedAndReplayed(PgBackend backend, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("embedded.recording");
        List<String> line = new ArrayList<>(List.of("record", "--embedded", "--impl", backend.name(), "--out",
                file.toString(), "--"));
        line.addAll(program("3"));
        Tool.Result r = Tool.runRaw(new ByteArrayInputStream(new byte[0]), line.toArray(String[]::new));
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.err().contains("starting a throwaway PostgreSQL"), r::toString);
        assertEquals(1, Recording.read(file).connections());
        Repro followed = repro("--recording", file.toString(), "--impl", backend.name());
        assertEquals(0, followed.exit(), followed::toString);
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aProgramsFailureIsTheToolsExitStatus(PgBackend backend, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("failed.recording");
        Tool.Result r = record(backend, file, program("not-a-number").toArray(String[]::new));
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.outText().contains("the program exited with status 1; recorded 1 connection(s)"), r.outText());
        assertEquals(1, Recording.read(file).connections());
    }

    @Test
    void badLinesNameTheProblem(@TempDir Path dir) {
        String out = dir.resolve("x.recording").toString();
        String dsn = TestDatabase.conninfo();
        assertUsage("missing -- SCENARIO-OR-PROGRAM [ARGS...]", "--dsn", dsn, "--out", out);
        assertUsage("missing -- SCENARIO-OR-PROGRAM [ARGS...]", "--dsn", dsn, "--out", out, "--");
        assertUsage("(SCENARIO-OR-PROGRAM [ARGS...] goes after --)", "--dsn", dsn, "--out", out, "true", "--", "true");
        assertUsage("option --out is required", "--dsn", dsn, "--", "true");
        assertUsage("give it or --dsn, not both", "--dsn", dsn, "--embedded", "--out", out, "--", "true");
        assertUsage("give --dsn CONNINFO or --embedded", "--out", out, "--", "true");
        assertUsage("option --impl must be one of native, java, not 'both'", "--dsn", dsn, "--impl", "both",
                "--out", out, "--", "true");
        assertUsage("option --cut-copy-out takes a number of rows", "--dsn", dsn, "--cut-copy-out", "-1",
                "--out", out, "--", "true");
        assertUsage("the scenario " + SCENARIO.scenarioName() + " takes no arguments", "--dsn", dsn, "--out", out,
                "--", SCENARIO.scenarioName(), "extra");
        assertUsage("the tool carries no deliberate crash", "--dsn", dsn, "--out", out, "--", "crash");
        assertUsage("'no-such-program-here' is no built-in scenario, no class on the class path, and cannot be run",
                "--dsn", dsn, "--out", out, "--", "no-such-program-here");
    }

    @Test
    void helpDescribesTheCommand() {
        Tool.Result top = Tool.runRaw(new ByteArrayInputStream(new byte[0]), "--help");
        assertTrue(top.outText().contains("  record   Record a client's conversation"), top.outText());
        Tool.Result help = Tool.runRaw(new ByteArrayInputStream(new byte[0]), "record", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.outText().startsWith("Usage: pqbridge record [OPTIONS] -- SCENARIO-OR-PROGRAM [ARGS...]\n"),
                help.outText());
        assertTrue(help.outText().contains("PQBRIDGE_RECORD_CONNINFO"), help.outText());
        Tool.Result unknown = Tool.runRaw(new ByteArrayInputStream(new byte[0]), "recrod");
        assertTrue(unknown.err().contains("load, unload, record or demo"), unknown.err());
    }

    private static void assertUsage(String problem, String... args) {
        String[] line = new String[args.length + 1];
        line[0] = "record";
        System.arraycopy(args, 0, line, 1, args.length);
        Tool.Result r = Tool.runRaw(new ByteArrayInputStream(new byte[0]), line);
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains(problem), () -> "expected '" + problem + "' in " + r);
        assertFalse(r.err().contains("this is a bug"), r::toString);
    }

    /** {@code pqbridge record --dsn <test server> --impl <backend> --out FILE -- <client>}. */
    private static Tool.Result record(PgBackend backend, Path file, String... client) {
        List<String> args = new ArrayList<>(List.of("--out", file.toString(), "--"));
        args.addAll(List.of(client));
        return new Tool(backend).run("record", args.toArray(String[]::new));
    }

    /** {@code java -cp <this suite's class path> SeriesCountProgram N}. */
    private static List<String> program(String n) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(ChildJvms.options());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SeriesCountProgram.class.getName(), n));
        return command;
    }

    /** How {@code scripts/repro} ended: exit status and standard output. */
    private record Repro(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n" + out + err;
        }
    }

    private static Repro repro(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ReproCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Repro(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}

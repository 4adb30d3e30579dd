package io.pqbridge.testing;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code scripts/repro}: runs one scenario on the chosen backends, each in a child JVM, against a
 * server or a recording, or records it, and prints a verdict table. {@link #run} returns the exit
 * status: 0 when every backend matched the built-in scenario's psycopg expectation (a detected
 * crash counts as matched for the crashing scenario) or, for a user's scenario, whenever it ran,
 * and, in a replay, did what the recorded client did; 1 otherwise; 2 for bad usage (the problem
 * and the usage go to the error stream). A program's recording is replayed by {@link
 * ProgramReplay}: 0 when the program exited with 0 and did what the recorded one did.
 */
public final class ReproCommand {

    private static final String USAGE = """
            usage: scripts/repro SCENARIO [--impl native|java|both] [--dsn CONNINFO] [--jvm OPTION]...
                                    [--record FILE [--cut-copy-out ROWS]]
                   scripts/repro --recording FILE [--impl native|java|both] [--timing] [--jvm OPTION]...
                                 [-- PROGRAM ARGS...]
                   scripts/repro --list
              SCENARIO       a built-in scenario (see --list), or the name of a class on the class path
                             that implements io.pqbridge.testing.Scenario or has a main method
              --impl         the backend(s) to run on, each in its own child JVM (default both)
              --dsn          the server to use; without it a throwaway PostgreSQL is started and removed
              --jvm          an option for the child JVMs, e.g. --jvm -Xmx64m (repeatable)
              --record       run once (on the first backend of --impl) through a recorder and write the
                             conversation to FILE (gzip-compressed if it ends in .gz); the authentication
                             exchange is left out, so no password or SCRAM proof is written
              --cut-copy-out with --record: keep only the first ROWS rows of each COPY TO STDOUT
              --recording    replay FILE instead of a server (no PostgreSQL needed): the table also says
                             whether each backend did what the recorded client did
              --timing       with --recording: keep the recorded time between events
              PROGRAM        with --recording of a program (pqbridge record ... -- PROGRAM): run this
                             instead of the recorded command line; either is run with PGHOST, PGPORT,
                             PGUSER... pointing at the replay, and with --impl native or java as
                             PQBRIDGE_IMPL, then the exit status and whether it followed the recording
                             are printed""";

    private ReproCommand() {
    }

    /**
     * Runs the command on the standard streams and exits the JVM with its status.
     *
     * @param args the command's arguments (see {@link #run})
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command with these arguments.
     *
     * @param args {@code SCENARIO [--impl native|java|both] [--dsn CONNINFO] [--jvm OPTION]...}, or
     *     {@code --list}, or {@code --help}
     * @param out receives the verdict table, the list or the usage asked for
     * @param err receives a usage error and the usage
     * @return the exit status: 0, 1 or 2 as the class comment says
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            return runChecked(args, out);
        } catch (UsageException e) {
            err.println("repro: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
    }

    private static int runChecked(String[] line, PrintStream out) {
        int end = List.of(line).indexOf("--");
        String[] args = end < 0 ? line : Arrays.copyOfRange(line, 0, end);
        List<String> program = end < 0 ? List.of() : List.of(line).subList(end + 1, line.length);
        String scenario = null;
        String impl = "both";
        String dsn = null;
        String record = null;
        String recording = null;
        int cut = -1;
        boolean timing = false;
        List<String> jvm = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--list" -> {
                    list(out);
                    return 0;
                }
                case "--impl" -> impl = value(args, ++i);
                case "--dsn" -> dsn = value(args, ++i);
                case "--jvm" -> jvm.add(value(args, ++i));
                case "--record" -> record = value(args, ++i);
                case "--recording" -> recording = value(args, ++i);
                case "--timing" -> timing = true;
                case "--cut-copy-out" -> cut = rows(value(args, ++i));
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> {
                    if (args[i].startsWith("-") || scenario != null) {
                        throw new UsageException("unexpected argument " + args[i]);
                    }
                    scenario = args[i];
                }
            }
        }
        if (recording != null) {
            if (scenario != null || dsn != null || record != null || cut >= 0) {
                throw new UsageException("--recording replays the scenario the file names, without a server: it takes"
                        + " no SCENARIO, --dsn, --record or --cut-copy-out");
            }
            return replay(out, Path.of(recording), impl, timing, jvm, program);
        }
        if (end >= 0) {
            throw new UsageException("-- PROGRAM applies to --recording of a program only");
        }
        if (timing) {
            throw new UsageException("--timing applies to --recording only");
        }
        if (cut >= 0 && record == null) {
            throw new UsageException("--cut-copy-out applies to --record only");
        }
        if (scenario == null) {
            throw new UsageException("no scenario given");
        }
        String[] backends = backends(impl);
        BuiltinScenario builtin = null;
        ScenarioRunner runner;
        if (scenario.contains(".")) {
            runner = runnerForClass(scenario);
        } else {
            try {
                builtin = BuiltinScenario.byName(scenario);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            runner = ScenarioRunner.of(builtin);
        }
        runner.backends(backends).jvmOptions(jvm);
        if (cut >= 0) {
            runner.cutCopyOut(cut);
        }
        if (dsn != null) {
            return runOrRecord(out, scenario, builtin, runner.conninfo(dsn), record);
        }
        out.println("starting a throwaway PostgreSQL (use --dsn to run against your own server)...");
        try (ThrowawayPostgres server = ThrowawayPostgres.start()) {
            return runOrRecord(out, scenario, builtin, runner.conninfo(server.conninfo()), record);
        }
    }

    private static int runOrRecord(PrintStream out, String scenario, BuiltinScenario builtin, ScenarioRunner runner,
            String record) {
        if (record == null) {
            return verdict(out, scenario, builtin, false, runner.run());
        }
        ScenarioOutcome outcome = runner.record(Path.of(record));
        out.println("recorded to " + record + " (replay it: scripts/repro --recording " + record + ")");
        return verdict(out, scenario, builtin, false, List.of(outcome));
    }

    private static int replay(PrintStream out, Path file, String impl, boolean timing, List<String> jvm,
            List<String> program) {
        String[] backends = backends(impl);
        Recording recording;
        try {
            recording = Recording.read(file);
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (ProgramReplay.isProgram(recording)) {
            if (!jvm.isEmpty()) {
                throw new UsageException("--jvm applies to scenarios, which run in child JVMs; " + file
                        + " is a program's recording");
            }
            try {
                return ProgramReplay.run(out, file, recording, program, backends.length == 1 ? backends[0] : null,
                        timing);
            } catch (IOException e) {
                throw new UsageException("cannot run the program: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the program ran", e);
            }
        }
        if (!program.isEmpty()) {
            throw new UsageException(file + " is a recording of '" + String.join(" ", recording.scenario())
                    + "', not of a program: -- PROGRAM applies to a program's recording only");
        }
        List<String> what = recording.scenario();
        BuiltinScenario builtin;
        ScenarioRunner runner;
        try {
            builtin = what.get(0).equals("builtin") && what.size() > 1 ? BuiltinScenario.byName(what.get(1)) : null;
            runner = ScenarioRunner.replaying(recording);
        } catch (IllegalArgumentException e) {
            throw new UsageException(file + ": " + e.getMessage());
        }
        out.println("replaying " + file + " (" + String.join(" ", what) + "), no server:");
        for (String note : recording.notes()) {
            out.println("  " + note);
        }
        List<ScenarioOutcome> outcomes = runner.backends(backends).timing(timing).jvmOptions(jvm).run();
        return verdict(out, what.size() > 1 ? what.get(1) : what.get(0), builtin, true, outcomes);
    }

    private static String[] backends(String impl) {
        return switch (impl.toLowerCase(Locale.ROOT)) {
            case "both" -> ScenarioRunner.ALL_BACKENDS.toArray(String[]::new);
            case "native", "java" -> new String[] {impl.toLowerCase(Locale.ROOT)};
            default -> throw new UsageException("--impl must be native, java or both, not " + impl);
        };
    }

    private static int rows(String text) {
        try {
            int rows = Integer.parseInt(text);
            if (rows >= 0) {
                return rows;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--cut-copy-out takes a number of rows (0 or more), not " + text);
    }

    private static int verdict(PrintStream out, String scenario, BuiltinScenario builtin, boolean replayed,
            List<ScenarioOutcome> outcomes) {
        return VerdictTable.print(out, scenario, builtin, replayed, outcomes) ? 0 : 1;
    }

    @SuppressWarnings("unchecked")
    private static ScenarioRunner runnerForClass(String name) {
        Class<?> type;
        try {
            type = Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new UsageException("no class " + name + " on the class path, and no built-in scenario of that name"
                    + " (see --list)");
        }
        if (Scenario.class.isAssignableFrom(type)) {
            return ScenarioRunner.of((Class<? extends Scenario>) type);
        }
        return ScenarioRunner.ofMain(type);
    }

    private static void list(PrintStream out) {
        out.println("built-in scenarios (psycopg issue #1008 and a deliberate crash):");
        for (BuiltinScenario s : BuiltinScenario.values()) {
            out.printf("  %-45s %s%n  %-45s   expected: %s%n", s.scenarioName(), s.description(), "",
                    s.expectation());
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new UsageException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    /** A command line that cannot be run; its message says why. */
    private static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message, null, false, false);
        }
    }
}

package io.pqbridge.cli;

import io.pqbridge.Conninfo;
import io.pqbridge.errors.PqException;
import io.pqbridge.testing.BuiltinScenario;
import io.pqbridge.testing.LibpqProgram;
import io.pqbridge.testing.Recorder;
import io.pqbridge.testing.Recording;
import io.pqbridge.testing.Scenario;
import io.pqbridge.testing.ScenarioOutcome;
import io.pqbridge.testing.ScenarioRunner;
import io.pqbridge.testing.ThrowawayPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code pqbridge record}: records a client's conversation with PostgreSQL to a file that the test
 * kit replays without a server ({@code scripts/repro --recording FILE}). The client is a built-in
 * scenario, a {@link Scenario} or main-method class (run once in a child JVM by a {@link
 * ScenarioRunner}), or any program, pointed at a {@link Recorder} by libpq's variables ({@link
 * LibpqProgram}). The recording leaves the authentication exchange out unless asked to keep it,
 * so the file holds no password or SCRAM proof. The tool carries no deliberate crash, so the
 * {@code crash} scenario is refused here ({@code scripts/repro crash --record FILE} records it).
 */
final class RecordCommand {

    /** The command line of {@code pqbridge record}. */
    static final CommandSyntax SYNTAX = new CommandSyntax("pqbridge record",
            List.of("Record a client's conversation with PostgreSQL to a file that replays without a server"
                    + " (scripts/repro --recording FILE): a built-in scenario, a scenario class, or any program"
                    + " that connects with libpq's PG* variables.",
                    "A built-in scenario (scripts/repro --list) or a class on the class path that implements"
                    + " io.pqbridge.testing.Scenario or has a main method runs once in a child JVM, on the --impl"
                    + " backend. Anything else is a program: it runs with the standard streams inherited and no"
                    + " shell, with PGHOST=127.0.0.1, PGPORT, PGSSLMODE=disable and PGGSSENCMODE=disable pointing"
                    + " it at the recorder, the server's user, database, password, options... as their PG*"
                    + " variables, and the same as a conninfo in " + LibpqProgram.CONNINFO_VARIABLE + ".",
                    "The authentication exchange is left out unless --keep-authentication: the file holds no"
                    + " password hash or SCRAM proof and replays as a trust login. Exit status: the program's when"
                    + " it failed, else 0 once the file is written; 2 for a bad command line."),
            List.of(CommandSyntax.Option.value("--dsn", "CONNINFO", "The server to record in front of: a libpq"
                            + " connection string or postgresql:// URI."),
                    CommandSyntax.Option.flag("--embedded", "Record in front of a throwaway PostgreSQL started for"
                            + " this run (deleted at the end) instead."),
                    CommandSyntax.Option.value("--out", "FILE", "Where the recording goes (gzip-compressed when"
                            + " FILE ends in .gz). Required."),
                    CommandSyntax.Option.flag("--keep-authentication", "Keep the authentication exchange (a SCRAM"
                            + " exchange then cannot be replayed: the client's nonce is random)."),
                    CommandSyntax.Option.value("--cut-copy-out", "ROWS", "Keep only the first ROWS rows of each"
                            + " COPY TO STDOUT."),
                    CommandSyntax.Option.value("--impl", "native|java", "The backend a scenario runs on (default"
                            + " java); for a program, its PQBRIDGE_IMPL.")),
            List.of(),
            new CommandSyntax.Parameter("SCENARIO-OR-PROGRAM [ARGS...]", "A built-in scenario, a class name (a"
                    + " main class gets the ARGS), or a program and its arguments.", false));

    /** A Java class name: identifiers joined by dots (a program's name is tried as a class only then). */
    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*(\\.\\p{javaJavaIdentifierStart}"
                    + "\\p{javaJavaIdentifierPart}*)*");

    private final Invocation invocation;
    private final PrintStream out;
    private final ParsedArguments args;

    RecordCommand(Invocation invocation, ParsedArguments args) {
        this.invocation = invocation;
        this.out = new PrintStream(invocation.out, true, StandardCharsets.UTF_8);
        this.args = args;
    }

    /** Checks the line (usage errors as {@link ToolException}s), records, and returns the exit status. */
    int call() {
        String dsn = args.value("--dsn");
        boolean embedded = args.flag("--embedded");
        if (dsn != null && embedded) {
            throw ToolException.usage("--embedded starts its own server: give it or --dsn, not both");
        }
        if (dsn == null && !embedded) {
            throw ToolException.usage("no server to record in front of: give --dsn CONNINFO or --embedded");
        }
        if (dsn != null) {
            try {
                Conninfo.conninfoToDict(dsn);
            } catch (PqException e) {
                throw ToolException.usage("option --dsn: " + e.getMessage());
            }
        }
        Path file = Path.of(args.required("--out"));
        int cut = cutCopyOut();
        String impl = impl();
        List<String> client = args.tail();
        ScenarioRunner runner = scenarioRunner(client);
        if (runner != null) {
            runner.backends(impl == null ? "java" : impl).keepAuthentication(args.flag("--keep-authentication"));
            if (cut >= 0) {
                runner.cutCopyOut(cut);
            }
        }
        if (embedded) {
            invocation.err.println("pqbridge record: starting a throwaway PostgreSQL...");
        }
        try (ThrowawayPostgres server = embedded ? ThrowawayPostgres.start() : null) {
            String conninfo = embedded ? server.conninfo() : dsn;
            return runner != null ? recordScenario(runner.conninfo(conninfo), file)
                    : recordProgram(conninfo, client, impl, cut, file);
        } catch (IOException | RuntimeException e) {
            return Failures.report(invocation, "record", e, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Failures.report(invocation, "record", e, "nothing was written");
        }
    }

    private int recordScenario(ScenarioRunner runner, Path file) {
        ScenarioOutcome outcome = runner.record(file);
        out.println(outcome.describe().lines().findFirst().orElse(""));
        out.println("recorded to " + file + " (replay it: scripts/repro --recording " + file + ")");
        return ExitStatus.OK.code;
    }

    private int recordProgram(String conninfo, List<String> command, String impl, int cut, Path file)
            throws IOException, InterruptedException {
        try (Recorder recorder = Recorder.start(conninfo)) {
            // the program gets the terminal's Ctrl-C too; its end ends the recording, which keeps what it did
            invocation.interruption.onInterrupt(() -> { });
            int exit;
            try {
                exit = LibpqProgram.run(command, recorder.conninfo(), impl);
            } catch (IOException e) {
                throw ToolException.usage("'" + command.get(0) + "' is no built-in scenario, no class on the class"
                        + " path, and cannot be run as a program (" + e.getMessage() + ")");
            } finally {
                invocation.interruption.onInterrupt(null);
            }
            List<String> words = new ArrayList<>(List.of("program"));
            words.addAll(command);
            Recording recording = recorder.finish(args.flag("--keep-authentication"), words.toArray(String[]::new));
            (cut < 0 ? recording : recording.cutCopyOut(cut)).write(file);
            out.println("the program exited with status " + exit + "; recorded " + recording.connections()
                    + " connection(s) to " + file + " (replay it: scripts/repro --recording " + file + ")");
            if (recording.connections() == 0) {
                invocation.err.println("pqbridge record: the program opened no connection through the recorder: does"
                        + " it connect with libpq's PG* variables or " + LibpqProgram.CONNINFO_VARIABLE + "?");
            }
            return exit;
        } catch (IOException e) {
            throw Failures.io("cannot write the recording to " + file, e);
        }
    }

    /**
     * The runner for a built-in scenario or a class, or null when the words name neither (a program).
     * A scenario takes no arguments; a main class gets them.
     */
    @SuppressWarnings("unchecked")
    private static ScenarioRunner scenarioRunner(List<String> words) {
        String name = words.get(0);
        List<String> rest = words.subList(1, words.size());
        BuiltinScenario builtin = builtin(name);
        if (builtin == BuiltinScenario.CRASH) {
            throw ToolException.usage("the tool carries no deliberate crash: record that scenario with scripts/repro"
                    + " crash --record FILE");
        }
        Class<?> type = builtin != null ? null : loadable(name);
        if (builtin == null && type == null) {
            return null;
        }
        boolean scenario = builtin != null || Scenario.class.isAssignableFrom(type);
        if (scenario && !rest.isEmpty()) {
            throw ToolException.usage("the scenario " + name + " takes no arguments, got '" + String.join(" ", rest)
                    + "'");
        }
        if (builtin != null) {
            return ScenarioRunner.of(builtin);
        }
        if (scenario) {
            return ScenarioRunner.of((Class<? extends Scenario>) type);
        }
        if (!hasMain(type)) {
            throw ToolException.usage("the class " + name + " neither implements " + Scenario.class.getName()
                    + " nor has a public static main(String[])");
        }
        return ScenarioRunner.ofMain(type, rest.toArray(String[]::new));
    }

    private static BuiltinScenario builtin(String name) {
        try {
            return BuiltinScenario.byName(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The class of that name on the class path, or null (not a class name, or no such class). */
    private static Class<?> loadable(String name) {
        if (!CLASS_NAME.matcher(name).matches()) {
            return null;
        }
        try {
            return Class.forName(name, false, RecordCommand.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static boolean hasMain(Class<?> type) {
        try {
            Method main = type.getMethod("main", String[].class);
            return Modifier.isStatic(main.getModifiers());
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private int cutCopyOut() {
        String rows = args.value("--cut-copy-out");
        if (rows == null) {
            return -1;
        }
        try {
            int kept = Integer.parseInt(rows);
            if (kept >= 0) {
                return kept;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ToolException.usage("option --cut-copy-out takes a number of rows (0 or more), not '" + rows + "'");
    }

    /** The backend --impl names, or null when not given. */
    private String impl() {
        String impl = args.value("--impl");
        if (impl != null && !ScenarioRunner.ALL_BACKENDS.contains(impl)) {
            throw ToolException.usage("option --impl must be one of " + String.join(", ", ScenarioRunner.ALL_BACKENDS)
                    + ", not '" + impl + "'");
        }
        return impl;
    }
}

package io.pqbridge.testing;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code scripts/repro}: runs one scenario on the chosen backends, each
 * in a child JVM, and prints a verdict table. {@link #run} returns the exit status: 0 when every
 * backend matched the built-in scenario's psycopg expectation (a detected crash counts as matched
 * for the crashing scenario) or, for a user's scenario, whenever it ran; 1 when a built-in did not
 * match; 2 for bad usage (the problem and the usage go to the error stream).
 */
public final class ReproCommand {

    private static final String USAGE = """
            usage: scripts/repro SCENARIO [--impl native|java|both] [--dsn CONNINFO] [--jvm OPTION]...
                   scripts/repro --list
              SCENARIO  a built-in scenario (see --list), or the name of a class on the class path that
                        implements io.pqbridge.testing.Scenario or has a main method
              --impl    the backend(s) to run on, each in its own child JVM (default both)
              --dsn     the server to use; without it a throwaway PostgreSQL is started and removed
              --jvm     an option for the child JVMs, e.g. --jvm -Xmx64m (repeatable)""";

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

    private static int runChecked(String[] args, PrintStream out) {
        String scenario = null;
        String impl = "both";
        String dsn = null;
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
        if (scenario == null) {
            throw new UsageException("no scenario given");
        }
        String[] backends = switch (impl.toLowerCase(Locale.ROOT)) {
            case "both" -> ScenarioRunner.ALL_BACKENDS.toArray(String[]::new);
            case "native", "java" -> new String[] {impl.toLowerCase(Locale.ROOT)};
            default -> throw new UsageException("--impl must be native, java or both, not " + impl);
        };
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
        if (dsn != null) {
            return verdict(out, scenario, builtin, runner.conninfo(dsn).run());
        }
        out.println("starting a throwaway PostgreSQL (use --dsn to run against your own server)...");
        try (ThrowawayPostgres server = ThrowawayPostgres.start()) {
            return verdict(out, scenario, builtin, runner.conninfo(server.conninfo()).run());
        }
    }

    private static int verdict(PrintStream out, String scenario, BuiltinScenario builtin, List<ScenarioOutcome> outcomes) {
        boolean allMatched = VerdictTable.print(out, scenario, builtin, outcomes);
        return builtin == null || allMatched ? 0 : 1;
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

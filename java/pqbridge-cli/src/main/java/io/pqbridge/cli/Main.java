package io.pqbridge.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The {@code pqbridge} command-line tool (launcher: {@code scripts/pqbridge}): {@code load} and
 * {@code unload} move data between files and PostgreSQL with COPY, with psycopg's COPY semantics
 * underneath; {@code record} records a client's conversation for the test kit's replay; {@code demo}
 * is the demo. (Crash reproduction is the test kit's, {@code scripts/repro}: the tool an application
 * runs carries no deliberate crash.) Each command's line is parsed by its {@link CommandSyntax}; each command reports its own
 * failure and returns its exit status ({@link ExitStatus}); a bad command line is status 2, with
 * the command's synopsis.
 */
public final class Main {

    private static final List<String> TOP_HELP = List.of(
            "Usage: pqbridge COMMAND [OPTIONS]",
            "Bulk load and unload between files and PostgreSQL with COPY: all or nothing, Ctrl-C aborts cleanly;",
            "record a client's conversation with PostgreSQL to replay it without a server.",
            "",
            "Commands:");

    private static final List<String> EXIT_STATUSES = List.of(
            "",
            "Exit status:",
            "  0   done",
            "  1   an unexpected error inside pqbridge (a bug; the stack trace is printed)",
            "  2   usage: bad or conflicting options, a column type --binary-wire cannot convert",
            "  3   connection: no connection could be made, or it broke",
            "  4   server: PostgreSQL refused the command (missing table or column, permission, SQL error)",
            "  5   data: a malformed line, or a value its column's type or a constraint rejects",
            "  6   I/O: the input cannot be read or the output cannot be written",
            "  130 interrupted by Ctrl-C",
            "A failed or interrupted load stores nothing (with --jobs N --non-atomic: what the",
            "connections that finished had stored); a failed or interrupted unload to a file",
            "leaves no file.");

    /** A command: its syntax, and what runs it on a parsed line, giving the exit status. */
    private record Command(String name, CommandSyntax syntax, BiFunction<Invocation, ParsedArguments, Integer> runner) {
    }

    private static final List<Command> COMMANDS = List.of(
            new Command("load", LoadCommand.SYNTAX, (invocation, args) -> new LoadCommand(invocation, args).call()),
            new Command("unload", UnloadCommand.SYNTAX,
                    (invocation, args) -> new UnloadCommand(invocation, args).call()),
            new Command("record", RecordCommand.SYNTAX,
                    (invocation, args) -> new RecordCommand(invocation, args).call()),
            new Command("demo", DemoCommand.SYNTAX, (invocation, args) -> DemoCommand.run(args)));

    private static final String JAVACPP_LOAD_LIBRARIES = "org.bytedeco.javacpp.loadLibraries";

    private Main() {
    }

    /**
     * Runs the tool on the process's streams, with Ctrl-C handling, and exits with its status.
     *
     * @param args a command ({@code load}, {@code unload}, {@code record}, {@code demo}) and its arguments, or
     *     {@code --help} or {@code --version}
     */
    public static void main(String[] args) {
        // JavaCPP's own library search, which its Pointer class runs once per JVM when the native backend
        // loads, costs this short-lived process tens of milliseconds; the backend loads its library itself
        // and this JVM hosts no other JavaCPP library (a user's explicit setting wins)
        if (System.getProperty(JAVACPP_LOAD_LIBRARIES) == null) {
            System.setProperty(JAVACPP_LOAD_LIBRARIES, "false");
        }
        if (args.length > 0 && (args[0].equals("load") || args[0].equals("unload"))) {
            // a class, not a lambda: the first lambda initialises the JDK's method-handle machinery, which
            // would delay this thread's start by as long
            Thread preload = new Thread(new Runnable() {
                @Override
                public void run() {
                    ServerOptions.preloadBackend(Arrays.asList(args));
                }
            }, "pqbridge-backend-preload");
            preload.setDaemon(true);
            preload.start();
        }
        Invocation invocation = Invocation.ofProcess();
        invocation.interruption.installSigintHandler();
        System.exit(run(invocation, args));
    }

    /** Runs the tool in this JVM on the given streams and returns its exit status (for tests). */
    static int run(Invocation invocation, String... args) {
        PrintStream out = new PrintStream(invocation.out, true, StandardCharsets.UTF_8);
        String name = args.length == 0 ? "" : args[0];
        List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        switch (name) {
            case "-h", "--help" -> {
                out.print(topHelp());
                return ExitStatus.OK.code;
            }
            case "-V", "--version" -> {
                out.println(version());
                return ExitStatus.OK.code;
            }
            default -> {
                Command command = COMMANDS.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
                if (command == null) {
                    invocation.err.println("pqbridge: " + (name.isEmpty() ? "a command is needed"
                            : "unknown command '" + name + "'") + ": load, unload, record or demo");
                    invocation.err.print(topHelp());
                    return ExitStatus.USAGE.code;
                }
                return runCommand(invocation, out, command, rest);
            }
        }
    }

    private static int runCommand(Invocation invocation, PrintStream out, Command command, List<String> args) {
        CommandSyntax syntax = command.syntax();
        try {
            ParsedArguments parsed = syntax.parse(args);
            if (parsed == ParsedArguments.HELP) {
                out.print(syntax.help(EXIT_STATUSES));
                return ExitStatus.OK.code;
            }
            if (parsed == ParsedArguments.VERSION) {
                out.println(version());
                return ExitStatus.OK.code;
            }
            return command.runner().apply(invocation, parsed);
        } catch (ToolException e) {
            // only a bad command line gets here: a command reports its own failures
            invocation.err.println(syntax.command() + ": " + e.getMessage());
            invocation.err.println(syntax.synopsis());
            invocation.err.println("('" + syntax.command() + " --help' describes every option)");
            return e.status().code;
        } catch (RuntimeException e) {
            return Failures.report(invocation, command.name(), e, null);
        }
    }

    private static String topHelp() {
        StringBuilder s = new StringBuilder();
        for (String line : TOP_HELP) {
            s.append(line).append('\n');
        }
        for (Command command : COMMANDS) {
            CommandSyntax.wrap(s, "  " + command.name(), command.syntax().summary(), 11);
        }
        s.append("\n'pqbridge COMMAND --help' describes a command's options; -V, --version shows the version.\n");
        for (String line : EXIT_STATUSES) {
            s.append(line).append('\n');
        }
        return s.toString();
    }

    /** The version from the jar's manifest (a build from the class directories has none). */
    private static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return "pqbridge " + (version == null ? "(development build)" : version);
    }
}

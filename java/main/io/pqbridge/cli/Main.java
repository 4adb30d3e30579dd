package io.pqbridge.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code pqbridge} command-line tool (launcher: {@code scripts/pqbridge}): {@code load} and
 * {@code unload} move data between files and PostgreSQL with COPY, with psycopg's COPY semantics
 * underneath; {@code repro} runs a crash-reproduction scenario ({@code scripts/repro}); {@code demo} is the
 * demo. The command line is picocli's; each command reports its own
 * failure and returns its exit status ({@link ExitStatus}), picocli returns 2 for bad usage.
 */
@Command(name = "pqbridge", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Bulk load and unload between files and PostgreSQL with COPY: all or nothing, Ctrl-C aborts"
                + " cleanly.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:done",
            "1:an unexpected error inside pqbridge (a bug; the stack trace is printed)",
            "2:usage: bad or conflicting options, a column type --binary-wire cannot convert",
            "3:connection: no connection could be made, or it broke",
            "4:server: PostgreSQL refused the command (missing table or column, permission, SQL error)",
            "5:data: a malformed line, or a value its column's type or a constraint rejects; nothing stored",
            "6:I/O: the input cannot be read or the output cannot be written",
            "130:interrupted by Ctrl-C; the COPY was aborted, nothing stored"})
public final class Main implements Runnable {

    @Spec
    CommandSpec spec;

    private Main() {
    }

    /** Runs the tool on the process's streams, with Ctrl-C handling, and exits with its status. */
    public static void main(String[] args) {
        Invocation invocation = Invocation.ofProcess();
        invocation.interruption.installSigintHandler();
        System.exit(run(invocation, args));
    }

    /** Runs the tool in this JVM on the given streams and returns its exit status (for tests). */
    static int run(Invocation invocation, String... args) {
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("load", () -> new LoadCommand(invocation));
        commands.put("unload", () -> new UnloadCommand(invocation));
        commands.put("demo", DemoCommand::new);
        commands.put("repro", () -> new ReproSubcommand(invocation));
        CommandLine commandLine = new CommandLine(new Main());
        // picocli builds each command's model by reflection, a large part of the tool's start-up: only
        // the command asked for is built (all of them for the usage, when none or an unknown one is named)
        Supplier<Object> named = args.length > 0 ? commands.get(args[0]) : null;
        for (Supplier<Object> command : named != null ? List.of(named) : commands.values()) {
            commandLine.addSubcommand(command.get());
        }
        commandLine.setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(new PrintWriter(new OutputStreamWriter(invocation.out, StandardCharsets.UTF_8), true))
                .setErr(new PrintWriter(invocation.err, true));
        return commandLine.execute(args);
    }

    /** {@code pqbridge} alone: the usage, as an error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed: load, unload, repro or demo");
    }

    /** The version from the jar's manifest (a build from the class directories has none). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"pqbridge " + (version == null ? "(development build)" : version)};
        }
    }
}

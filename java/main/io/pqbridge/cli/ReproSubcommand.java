package io.pqbridge.cli;

import io.pqbridge.testing.ReproCommand;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code pqbridge repro}: the same as {@code scripts/repro}. Its arguments are handed unparsed to
 * {@link ReproCommand}, which owns their syntax (and prints its own usage for {@code --help}), so
 * the two entry points cannot drift apart.
 */
@Command(name = "repro", description = {"Run a crash-reproduction scenario in a child JVM per backend and print a"
        + " verdict table (the same as scripts/repro; 'pqbridge repro --help' for its options)."})
final class ReproSubcommand implements Callable<Integer> {

    private final Invocation invocation;

    @Unmatched
    List<String> arguments = new ArrayList<>();

    ReproSubcommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        PrintStream out = new PrintStream(invocation.out, true, StandardCharsets.UTF_8);
        return ReproCommand.run(arguments.toArray(String[]::new), out, invocation.err);
    }
}

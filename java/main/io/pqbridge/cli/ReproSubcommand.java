package io.pqbridge.cli;

import io.pqbridge.testing.ReproCommand;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code pqbridge repro}: the same as {@code scripts/repro}. Its arguments are handed unparsed to
 * {@link ReproCommand}, which owns their syntax (and prints its own usage for {@code --help}), so
 * the two entry points cannot drift apart.
 */
final class ReproSubcommand {

    /** The one-line description in {@code pqbridge --help}. */
    static final String SUMMARY = "Run a crash-reproduction scenario in a child JVM per backend and print a verdict"
            + " table (the same as scripts/repro; 'pqbridge repro --help' for its options).";

    private ReproSubcommand() {
    }

    static int run(Invocation invocation, List<String> arguments) {
        PrintStream out = new PrintStream(invocation.out, true, StandardCharsets.UTF_8);
        return ReproCommand.run(arguments.toArray(String[]::new), out, invocation.err);
    }
}

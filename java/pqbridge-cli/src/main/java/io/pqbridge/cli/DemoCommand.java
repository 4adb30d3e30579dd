package io.pqbridge.cli;

import io.pqbridge.demo.Demo;
import java.util.List;

/** {@code pqbridge demo}: the same as {@code scripts/demo}, {@link Demo}'s main. */
final class DemoCommand {

    /** The command line of {@code pqbridge demo}. */
    static final CommandSyntax SYNTAX = new CommandSyntax("pqbridge demo",
            List.of("The main job end to end (the same as scripts/demo): start a throwaway PostgreSQL (or use"
                    + " CONNINFO), load and unload one million rows with COPY on every backend, then show what a"
                    + " connection does after a COPY TO STDOUT left unfinished (psycopg issue #1008)."),
            List.of(),
            List.of(new CommandSyntax.Parameter("CONNINFO", "A server to use instead.", true)));

    private DemoCommand() {
    }

    /** Runs the demo on the server the arguments name, if any. */
    static int run(ParsedArguments args) {
        String conninfo = args.parameter(0);
        Demo.main(conninfo == null ? new String[0] : new String[] {conninfo});
        return ExitStatus.OK.code;
    }
}

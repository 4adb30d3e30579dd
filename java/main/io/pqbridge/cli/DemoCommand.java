package io.pqbridge.cli;

import io.pqbridge.demo.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code pqbridge demo}: the same as {@code scripts/demo}, {@link Demo}'s main. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The main job end to end (the same as scripts/demo): start a throwaway PostgreSQL (or use"
                + " CONNINFO), load and unload one million rows with COPY on every backend, then show what a"
                + " connection does after a COPY TO STDOUT left unfinished (psycopg issue #1008)."})
final class DemoCommand implements Runnable {

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONNINFO", description = "A server to use instead.")
    String conninfo;

    @Override
    public void run() {
        Demo.main(conninfo == null ? new String[0] : new String[] {conninfo});
    }
}

package io.pqbridge.testing;

import io.pqbridge.Conninfo;
import io.pqbridge.pq.Pq;
import io.pqbridge.pq.wire.conninfo.Keyword;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a program with libpq's environment variables pointing it at one server: how a program of
 * any client library is recorded through a {@link Recorder} and replayed against a {@link
 * ReplayServer}, as long as it connects with libpq's defaults (libpq, psycopg, pqbridge's {@code
 * Connection.connect("")}) or with the conninfo in {@value #CONNINFO_VARIABLE}.
 *
 * <p>Every option of the conninfo that has a {@code PG*} variable becomes that variable. An
 * inherited variable for an option the conninfo leaves out stays ({@code PGPASSWORD},
 * {@code PGAPPNAME}...), except those that say where the server is or how to reach it
 * ({@code PGHOSTADDR}, {@code PGSERVICE}, the TLS and GSS settings...): those would take the
 * program past the recorder or the replay server. The program inherits the standard streams and
 * runs without a shell.
 */
public final class LibpqProgram {

    /** The variable that holds the whole conninfo, for programs that take one rather than PG* variables. */
    public static final String CONNINFO_VARIABLE = "PQBRIDGE_RECORD_CONNINFO";

    /** Options that {@link Recorder#NOT_RECORDED} leaves out but an inherited variable may still supply. */
    private static final Set<String> CREDENTIALS = Set.of("password", "passfile");

    private LibpqProgram() {
    }

    /**
     * Rewrites {@code environment} so that a libpq client reaches the server {@code conninfo} names.
     *
     * @param environment a process's environment, changed in place
     * @param conninfo the server and the options to connect with, as key=value pairs or a URI
     * @throws IllegalArgumentException when the conninfo cannot be parsed
     */
    public static void pointAt(Map<String, String> environment, String conninfo) {
        Map<String, String> options = Conninfo.conninfoToDict(conninfo);
        for (Keyword keyword : Keyword.ALL) {
            String variable = keyword.environmentVariable();
            if (variable == null) {
                continue;
            }
            String value = options.get(keyword.name());
            if (value != null) {
                environment.put(variable, value);
            } else if (Recorder.NOT_RECORDED.contains(keyword.name()) && !CREDENTIALS.contains(keyword.name())) {
                environment.remove(variable);
            }
        }
        environment.put(CONNINFO_VARIABLE, conninfo);
    }

    /**
     * Runs {@code command} pointed at {@code conninfo} (see {@link #pointAt}) and waits for it; if
     * this thread is interrupted meanwhile, the program is killed.
     *
     * @param command the program and its arguments
     * @param conninfo where it connects
     * @param backend the pqbridge backend it should use ({@code PQBRIDGE_IMPL}), or null to leave
     *     that to the program's environment
     * @return its exit status (128 + the signal's number when a signal ended it)
     * @throws IOException when the program cannot be started (no such program, not executable)
     * @throws InterruptedException when interrupted while it runs
     */
    public static int run(List<String> command, String conninfo, String backend)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        pointAt(builder.environment(), conninfo);
        if (backend != null) {
            builder.environment().put(Pq.ENVIRONMENT, backend);
        }
        Process process = builder.start();
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
    }
}

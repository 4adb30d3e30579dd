package io.pqbridge.cli;

import io.pqbridge.Connection;
import io.pqbridge.pq.BackendUnavailableException;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.Pq;
import io.pqbridge.testing.ThrowawayPostgres;
import java.util.List;
import java.util.Locale;

/**
 * The options every data command takes: where the server is, which backend talks to it, and
 * whether to show progress. {@link #open} turns them into a {@link Session}.
 */
final class ServerOptions {

    /** The options, for a command's {@link CommandSyntax}. */
    static final List<CommandSyntax.Option> OPTIONS = List.of(
            CommandSyntax.Option.value("--dsn", "CONNINFO", "libpq connection string or postgresql:// URI. Default:"
                    + " the PG* environment variables (PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD...), as libpq"
                    + " reads them."),
            CommandSyntax.Option.value("--impl", "native|java", "Backend: native (libpq) or java (pure Java)."
                    + " Default: pqbridge.impl / PQBRIDGE_IMPL, else native if its library loads, else java."),
            CommandSyntax.Option.flag("--embedded", "Start a throwaway PostgreSQL for this run (deleted at the end)"
                    + " instead of connecting to a server; for trying the tool out."),
            CommandSyntax.Option.value("--encoding", "ENC", "The file's encoding, a PostgreSQL name (UTF8, LATIN1,"
                    + " EUC_JP...). Default: client_encoding in --dsn, else PGCLIENTENCODING, else UTF8 (as psql)."),
            CommandSyntax.Option.negatable("--progress", "Show progress on standard error (--no-progress: never)."
                    + " Default: only when standard error is a terminal."));

    private final String dsn;
    private final String impl;
    private final boolean embedded;
    private final String encoding;
    private final Boolean progress;

    ServerOptions(ParsedArguments args) {
        dsn = args.value("--dsn");
        impl = args.value("--impl");
        embedded = args.flag("--embedded");
        encoding = args.value("--encoding");
        progress = args.tristate("--progress");
    }

    /**
     * Loads the backend the command line most likely asks for, so that a thread started with it at
     * the process's start can do it while the main thread parses the line and starts up: the
     * native backend's library takes tens of milliseconds to load, about as long as the rest of a
     * small load. The guess reads {@code --impl} as the parser will; a wrong guess costs only
     * time, since the backend used is the one the parsed options choose ({@link #backend()}), and
     * a load failure is remembered by {@link Pq} and reported by the command that asks for it.
     */
    static void preloadBackend(List<String> args) {
        String impl = null;
        for (int i = 0; i < args.size() && !args.get(i).equals("--"); i++) {
            if (args.get(i).equals("--impl") && i + 1 < args.size()) {
                impl = args.get(i + 1);
            } else if (args.get(i).startsWith("--impl=")) {
                impl = args.get(i).substring("--impl=".length());
            }
        }
        try {
            if (impl == null) {
                Pq.backend();
            } else if (impl.equalsIgnoreCase("native")) {
                Pq.backend("native");
            }
        } catch (RuntimeException e) {
            // the command reports it when it asks for the backend
        }
    }

    /** The backend to use: the one named by --impl, else the JVM's choice. */
    PgBackend backend() {
        String name = impl == null ? null : impl.toLowerCase(Locale.ROOT);
        if (name != null && !name.equals("native") && !name.equals("java")) {
            throw ToolException.usage("--impl must be native or java, not '" + impl + "'");
        }
        try {
            return name == null ? Pq.backend() : Pq.backend(name);
        } catch (BackendUnavailableException e) {
            throw ToolException.connection(e.getMessage(), e);
        }
    }

    /** The encoding of the file this command reads or writes ({@link FileEncoding}). */
    FileEncoding fileEncoding(Connection conn) {
        return FileEncoding.resolve(encoding, dsn, backend(), conn);
    }

    boolean showProgress(Invocation invocation) {
        return progress != null ? progress : invocation.errIsTerminal();
    }

    /**
     * Connects (starting the throwaway server first with --embedded) in autocommit mode: each
     * COPY is its own transaction, committed when it succeeds, rolled back when it fails.
     */
    Session open(Invocation invocation) {
        if (embedded && dsn != null) {
            throw ToolException.usage("--embedded starts its own server: give it or --dsn, not both");
        }
        PgBackend backend = backend();
        ThrowawayPostgres server = null;
        String conninfo = dsn;
        if (embedded) {
            server = ThrowawayPostgres.start();
            conninfo = server.conninfo();
            invocation.err.println("pqbridge: started a throwaway PostgreSQL (" + conninfo + "); it is deleted at"
                    + " the end of this run");
        }
        try {
            Connection conn = Connection.connect(backend, conninfo);
            conn.setAutocommit(true);
            return new Session(conn, server);
        } catch (RuntimeException e) {
            if (server != null) {
                server.close();
            }
            throw e;
        }
    }

    /** Another connection to the server {@code session} is connected to, in autocommit mode (load --jobs). */
    Connection connectAnother(Session session) {
        Connection conn = Connection.connect(backend(), session.server() != null ? session.server().conninfo() : dsn);
        conn.setAutocommit(true);
        return conn;
    }

    /** An open connection, and the throwaway server it runs on with --embedded; closing ends both. */
    record Session(Connection conn, ThrowawayPostgres server) implements AutoCloseable {
        @Override
        public void close() {
            try {
                conn.close();
            } finally {
                if (server != null) {
                    server.close();
                }
            }
        }
    }
}

package io.pqbridge.hostile;

import io.pqbridge.Connection;
import io.pqbridge.errors.PqException;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgConnStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Runs one session: the script's client operation against the {@link ScriptedServer} replaying
 * it, then checks the invariants. Returns null when they hold, else a {@link Finding}.
 *
 * <p>The invariants:
 * <ol>
 *   <li>Every call returns or throws a {@link PqException} subclass: any other throwable
 *       (OutOfMemoryError, NullPointerException, IndexOutOfBounds, ClassCastException,
 *       IllegalArgumentException, IllegalStateException, ...) on any thread is a finding, keyed by
 *       its class and the top frame in pqbridge.</li>
 *   <li>A client that reported the stream lost says so: when an error's text names a
 *       stream-level failure ({@link #STREAM_LOST}: the framing of the server's bytes can no longer
 *       be trusted, or the stream ended) rather than an ErrorResponse of the server, the connection
 *       is broken at once ({@code Connection.isBroken()}, SPI status BAD). libpq keeps a
 *       connection after an unknown message type or a message whose contents disagree with its
 *       length, skipping the message by its length (the framing holds), so those are not in the
 *       list.</li>
 *   <li>Once the server has closed the socket at the end of the script, the next operations
 *       ({@code SELECT 1}) fail with a PqException and leave the connection broken: at most
 *       {@value #PROBES} of them may still be answered from bytes already received (a duplicated
 *       reply), after which the connection must be broken.</li>
 * </ol>
 * Hangs (a session over 10 s) and the heap bound are watched by {@link HostileChild}.
 */
final class SessionRunner {

    static final int PROBES = 8;

    /** Errors that say the stream itself failed (libpq's words, which both backends use). */
    static final List<String> STREAM_LOST = List.of(
            "lost synchronization with server",
            "server closed the connection unexpectedly",
            "could not receive data from server",
            "SSL connection has been closed unexpectedly");

    /** A broken invariant: {@code key} groups findings with one cause, {@code detail} tells this one. */
    record Finding(String key, String detail) {
    }

    /**
     * What the client went through: each step and how it ended (an exception's class and message,
     * or ok), and the finding, if any. Ports are written PORT, so outcomes against two servers compare.
     */
    record Outcome(Finding finding, List<String> steps) {
        String describe() {
            return (finding == null ? "no finding" : "finding " + finding.key()) + "; steps: "
                    + String.join("; ", steps).replaceAll("port \\d+", "port PORT").replace('\n', ' ');
        }
    }

    /** Waits until the server has closed its side of the script's main connection, at most {@code millis}. */
    interface ScriptEnd {
        boolean await(long millis) throws InterruptedException;
    }

    private final PgBackend backend;
    private final ScriptedServer server;
    private ScriptedServer.Session lastSession;
    /** Throwables that escaped on other threads (the default handler puts them here). */
    static final Queue<String[]> UNCAUGHT = new ConcurrentLinkedQueue<>();

    SessionRunner(PgBackend backend, ScriptedServer server) {
        this.backend = backend;
        this.server = server;
    }

    static void installUncaughtHandler() {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            System.err.println("uncaught on thread " + t.getName() + ": " + stack(e));
            if (t.getName().startsWith("scripted-server")) {
                return; // the test's own server, starved by the client's heap use: not the library's thread
            }
            UNCAUGHT.add(new String[] {key(e), "uncaught on thread " + t.getName() + ": " + stack(e)});
        });
    }

    /** Runs the script against the scripted server; its conversation stays in {@link #lastSession()}. */
    Finding run(Script script) throws InterruptedException {
        lastSession = server.serve(script);
        return run(script, server.conninfo(script), lastSession::awaitScriptEnd).finding();
    }

    /** The session of the last {@link #run(Script)}: the script served and the conversation. */
    ScriptedServer.Session lastSession() {
        return lastSession;
    }

    /**
     * Runs the script's client against any server that plays it ({@link ScriptedServer}, or a
     * replay of its conversation) at {@code conninfo}.
     */
    Outcome run(Script script, String conninfo, ScriptEnd end) throws InterruptedException {
        UNCAUGHT.clear();
        List<String> log = new ArrayList<>();
        Finding f = script.op().usesSpi() ? runSpi(script, end, conninfo, log)
                : runFacade(script, end, conninfo, log);
        String[] uncaught = UNCAUGHT.poll();
        if (f == null && uncaught != null) {
            f = new Finding(uncaught[0], uncaught[1]);
        }
        return new Outcome(f == null ? null : new Finding(f.key(), f.detail() + "\nsteps: " + String.join("; ", log)),
                log);
    }

    private Finding runFacade(Script script, ScriptEnd end, String conninfo, List<String> log)
            throws InterruptedException {
        Connection conn;
        try {
            conn = Connection.connect(backend, conninfo);
            log.add("connected");
        } catch (Throwable t) {
            log.add("connect: " + brief(t));
            Finding f = unexpected(t, "connect");
            return f != null ? f : shown(t.getMessage(), "connect");
        }
        Finding f = facadeBody(script, end, conn, log);
        try {
            conn.close();
        } catch (Throwable t) {
            if (f == null) {
                f = unexpected(t, "close");
            }
        }
        return f;
    }

    private Finding facadeBody(Script script, ScriptEnd end, Connection conn, List<String> log)
            throws InterruptedException {
        Finding f = null;
        {
            List<Throwable> side = new ArrayList<>();
            try {
                conn.setAutocommit(true);
                script.op().run(conn, false, side);
                log.add(script.op() + ": ok");
            } catch (Throwable t) {
                log.add(script.op() + ": " + brief(t));
                f = unexpected(t, script.op().name());
                if (f == null) {
                    f = brokenRule(t.getMessage(), conn.isBroken(), script.op().name());
                }
            }
            for (Throwable t : side) {
                if (f == null) {
                    f = unexpected(t, "cancel");
                }
            }
            if (f != null || conn.isBroken()) {
                return f;
            }
            end.await(3000);
            List<String> probes = new ArrayList<>();
            for (int i = 0; i < PROBES && !conn.isBroken(); i++) {
                try {
                    ClientOp.touch(conn.execute("SELECT 1"));
                    probes.add("ok");
                } catch (Throwable t) {
                    probes.add(brief(t));
                    f = unexpected(t, "probe " + i);
                    if (f == null) {
                        f = brokenRule(t.getMessage(), conn.isBroken(), "probe " + i);
                    }
                    if (f != null) {
                        return f;
                    }
                }
            }
            log.add("probes after the server closed: " + String.join(" | ", probes));
            if (!conn.isBroken() && !stuckInCommand(probes)) {
                return new Finding(notBroken("facade", probes), PROBES + " SELECT 1 after the end of the script: "
                        + String.join(" | ", probes));
            }
            return null;
        }
    }

    private Finding runSpi(Script script, ScriptEnd end, String conninfo, List<String> log)
            throws InterruptedException {
        PgConn conn;
        try {
            conn = backend.connect(conninfo);
            log.add("connect: " + conn.status());
        } catch (Throwable t) {
            log.add("connect: " + brief(t));
            return unexpected(t, "connect");
        }
        try (conn) {
            if (conn.status() != PgConnStatus.OK) {
                return shown(conn.errorMessage(), "connect");
            }
            try {
                script.op().runSpi(conn);
                log.add(script.op() + ": " + conn.status() + " " + conn.errorMessage().strip());
            } catch (Throwable t) {
                log.add(script.op() + ": " + brief(t));
                Finding f = unexpected(t, script.op().name());
                if (f != null) {
                    return f;
                }
            }
            Finding f = brokenRule(conn.errorMessage(), conn.status() == PgConnStatus.BAD, script.op().name());
            if (f != null || conn.status() == PgConnStatus.BAD) {
                return f;
            }
            end.await(3000);
            List<String> probes = new ArrayList<>();
            for (int i = 0; i < PROBES && conn.status() != PgConnStatus.BAD; i++) {
                try {
                    if (conn.sendQuery("SELECT 1")) {
                        ClientOp.drain(conn);
                    }
                    probes.add(conn.status() + " " + conn.errorMessage().strip());
                } catch (Throwable t) {
                    probes.add(brief(t));
                    f = unexpected(t, "probe " + i);
                    if (f != null) {
                        return f;
                    }
                }
            }
            log.add("probes after the server closed: " + String.join(" | ", probes));
            f = brokenRule(conn.errorMessage(), conn.status() == PgConnStatus.BAD, "probes");
            if (f == null && conn.status() != PgConnStatus.BAD && !stuckInCommand(probes)) {
                f = new Finding(notBroken("SPI", probes),
                        PROBES + " SELECT 1 after the end of the script: " + String.join(" | ", probes));
            }
            return f;
        } catch (Throwable t) {
            return unexpected(t, "finish");
        }
    }

    /**
     * Whether every probe was refused because the hostile bytes left a command in progress (for
     * example a CopyInResponse where rows were expected: psycopg raises "COPY cannot be used with
     * this method" and, like libpq, leaves the COPY open; the first probe may be the one that meets
     * that response). libpq and psycopg then refuse every
     * command without touching the socket, so the client cannot learn that the server is gone; the
     * refusal is immediate and names the state, which is the behaviour both promise. Accepted.
     */
    static boolean stuckInCommand(List<String> probes) {
        return !probes.isEmpty() && probes.get(probes.size() - 1).contains("another command is already in progress")
                && probes.stream().allMatch(p -> p.contains("another command is already in progress")
                        || p.contains("COPY cannot be used with this method"));
    }

    /**
     * The key of a connection that survived the end of the script: "stuck" when the last probe was
     * refused without touching the socket (a COPY or command state left by the hostile bytes, in
     * which libpq and psycopg refuse every command: the client never learns the server is gone).
     */
    static String notBroken(String api, List<String> probes) {
        String lastProbe = probes.isEmpty() ? "" : probes.get(probes.size() - 1);
        return lastProbe.contains("another command is already in progress")
                ? "connection stuck after the server closed the socket: every command refused with \"another command"
                        + " is already in progress\", never broken (" + api + ")"
                : "connection not broken after the server closed the socket (" + api + ")";
    }

    /** A finding when a client error shows the text the server sent in reply to the SSLRequest. */
    static Finding shown(String message, String step) {
        if (message != null && message.contains(Mutator.SSL_ERROR_MARKER)) {
            return new Finding("the server's ErrorResponse to the SSLRequest is parsed and its text shown",
                    "in " + step + ": libpq (since CVE-2024-10977) never shows an unauthenticated server's text from"
                            + " before the TLS decision; the client said: " + message.strip());
        }
        return null;
    }

    /** A finding for any throwable but a PqException. */
    static Finding unexpected(Throwable t, String step) {
        if (t instanceof PqException) {
            return null;
        }
        return new Finding(key(t), "in " + step + ": " + stack(t));
    }

    static Finding brokenRule(String message, boolean broken, String step) {
        if (message == null || broken) {
            return null;
        }
        for (String phrase : STREAM_LOST) {
            if (message.contains(phrase)) {
                return new Finding("not broken after \"" + phrase + "\"", "in " + step
                        + ": the error says the stream failed but the connection is not broken: " + message.strip());
            }
        }
        return null;
    }

    /** Class and the top pqbridge frame (the first frame when none is). */
    static String key(Throwable t) {
        StackTraceElement top = null;
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith("io.pqbridge.") && !e.getClassName().startsWith("io.pqbridge.hostile.")) {
                top = e;
                break;
            }
        }
        if (top == null && t.getStackTrace().length > 0) {
            top = t.getStackTrace()[0];
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String cause = root == t ? "" : " (caused by " + root.getClass().getName() + ")";
        return t.getClass().getName() + cause + " at "
                + (top == null ? "? (no stack trace)" : top.getClassName() + "." + top.getMethodName());
    }

    static String stack(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String[] lines = w.toString().split("\n");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(lines.length, 25); i++) {
            out.append(lines[i].stripTrailing()).append('\n');
        }
        return out.toString().strip();
    }

    static String brief(Throwable t) {
        String m = String.valueOf(t.getMessage()).strip().replace('\n', ' ');
        return t.getClass().getSimpleName() + " \"" + (m.length() > 200 ? m.substring(0, 200) + "..." : m) + "\"";
    }
}

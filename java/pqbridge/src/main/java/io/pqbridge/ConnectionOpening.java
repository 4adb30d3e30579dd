package io.pqbridge;

import io.pqbridge.errors.Errors;
import io.pqbridge.errors.NotSupportedException;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.pq.ConninfoSecrets;
import io.pqbridge.pq.Loggers;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgConnStatus;
import io.pqbridge.pq.PgTransactionStatus;

/**
 * The checks and the SPI connect behind {@link Connection#connect(PgBackend, String)}: a
 * connection string libpq could not carry or parse is refused before any socket is opened, with
 * secrets masked in the message; a failed connect is finished before its error is raised, so no
 * half-open SPI connection outlives the call.
 */
final class ConnectionOpening {

    private ConnectionOpening() {
    }

    /**
     * An open SPI connection for {@code conninfo} on {@code backend}.
     *
     * @throws ProgrammingException when the string holds a NUL or does not parse
     * @throws NotSupportedException when it names an option of a newer libpq than the backend's
     * @throws io.pqbridge.errors.OperationalException "connection failed: ..." with libpq's message
     */
    static PgConn open(PgBackend backend, String conninfo) {
        String text = conninfo == null ? "" : conninfo;
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            // libpq reads a C string: everything after the NUL would be dropped without a word
            throw new ProgrammingException("the connection string contains a NUL character at offset " + nul
                    + ", which libpq cannot carry; remove it or use a different value");
        }
        try {
            NotSupportedException newer = NewerLibpqOptions.refusal(backend.conninfoParse(text), backend);
            if (newer != null) {
                throw newer;
            }
        } catch (IllegalArgumentException e) {
            NotSupportedException newer = NewerLibpqOptions.refusal(e.getMessage(), backend);
            if (newer != null) {
                throw newer;
            }
            throw new ProgrammingException(ConninfoSecrets.mask(e.getMessage().strip(), text));
        }
        PgConn pgconn = backend.connect(text);
        if (pgconn.status() != PgConnStatus.OK) {
            String message = pgconn.errorMessage();
            pgconn.finish();
            throw Errors.operational("connection failed", ConninfoSecrets.mask(message, text));
        }
        return pgconn;
    }

    /**
     * The body of psycopg's {@code with connect(...) as conn:} ({@link Connection#connect(String,
     * ConnectionBlock)}): commit and close on normal exit (a failed commit propagates and leaves
     * the connection open); on an exception roll back (logging a failure), close, and rethrow.
     */
    static <E extends Exception> void runScoped(Connection conn, ConnectionBlock<E> body) throws E {
        try {
            body.run(conn);
        } catch (Throwable t) {
            endScope(conn, t, true);
            throw Blocks.<E>rethrow(t);
        }
        endScope(conn, null, true);
    }

    /**
     * The exit rules of a connection block: after a {@code failure} roll back (a failure there is
     * logged and ignored), else commit (a failure there propagates, and the connection stays
     * open); then close if asked. A connection the block closed is left alone. A block that ended
     * normally on an idle connection has nothing to commit, which one read of the status settles
     * without the connection's lock (a pool ends a block per borrow).
     *
     * @return true when the connection was idle with nothing to commit, so known idle without
     *     another look
     */
    static boolean endScope(Connection conn, Throwable failure, boolean close) {
        if (failure == null && conn.pgconn.transactionStatus() == PgTransactionStatus.IDLE
                && conn.openTransactions == 0 && conn.pipelineInProgress() == null) {
            if (close) {
                conn.close();
            }
            return true;
        }
        if (conn.isClosed()) {
            return false;
        }
        if (failure != null) {
            try {
                conn.rollback();
            } catch (RuntimeException e) {
                Loggers.facade().log(System.Logger.Level.WARNING, "error ignored in rollback on {0}: {1}", conn,
                        e.getMessage());
            }
        } else {
            conn.commit();
        }
        if (close) {
            conn.close();
        }
        return false;
    }

    /**
     * pqbridge exchanges all text as UTF-8 (the SPI's rule), so a session whose client encoding
     * came out otherwise (PGCLIENTENCODING, client_encoding in the conninfo, a server default) is
     * switched to UTF-8 at once, as pgjdbc does; psycopg instead follows the session's encoding.
     */
    static void useUtf8(Connection conn) {
        String encoding = conn.pgconn.parameterStatus("client_encoding");
        if (encoding != null && !encoding.equalsIgnoreCase("UTF8")) {
            conn.execCommand("SET client_encoding TO 'UTF8'");
        }
    }
}

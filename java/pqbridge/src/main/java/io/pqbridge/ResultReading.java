package io.pqbridge;

import io.pqbridge.errors.DatabaseException;
import io.pqbridge.errors.Errors;
import io.pqbridge.errors.InterfaceException;
import io.pqbridge.errors.InternalException;
import io.pqbridge.errors.OperationalException;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgConnStatus;
import io.pqbridge.pq.PgDiagField;
import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading a command's results the way psycopg does ({@code fetch_many}) and turning an error
 * result into its exception. A failed read that libpq reports twice (the server's error, then its
 * own report of the lost connection) is raised once, as psycopg raises it.
 */
final class ResultReading {

    private ResultReading() {
    }

    /**
     * The results of the command just sent, up to the last one or up to a COPY result (after
     * which libpq would make up COPY results forever). When the server's error (e.g.
     * {@code AdminShutdown}) is followed by libpq's own report of the lost connection (an error
     * without SQLSTATE), that report is dropped: psycopg stops reading at the failed read that
     * libpq's report stands for.
     *
     * @throws OperationalException "the connection is closed" when another thread closed it while
     *     this one waited and no result came
     */
    static List<PgResult> fetch(PgConn pgconn) {
        List<PgResult> results = new ArrayList<>(1);
        boolean failed = false;
        for (PgResult r = pgconn.getResult(); r != null; r = pgconn.getResult()) {
            PgExecStatus status = r.status();
            if (status == PgExecStatus.FATAL_ERROR) {
                if (failed && r.errorField(PgDiagField.SQLSTATE) == null && pgconn.status() == PgConnStatus.BAD) {
                    continue;
                }
                failed = true;
            }
            results.add(r);
            if (status.isCopy()) {
                break;
            }
        }
        if (results.isEmpty() && pgconn.isFinished()) {
            // close() from another thread while this one waited: no result will ever come
            throw new OperationalException("the connection is closed");
        }
        return results;
    }

    /**
     * The exception for an error result. An error without SQLSTATE on a connection that is now
     * broken is libpq's report of a lost connection, raised as psycopg raises it there.
     */
    static DatabaseException errorFrom(PgConn pgconn, PgResult result) {
        if (result.errorField(PgDiagField.SQLSTATE) == null && pgconn.status() == PgConnStatus.BAD) {
            return Errors.operational("consuming input failed", result.errorMessage());
        }
        return Errors.fromResult(result);
    }

    /**
     * The second line of an error for a connection kept busy by {@code stuck}, a COPY TO STDOUT
     * left unread: which COPY it is and how to get out; empty when {@code stuck} is null.
     */
    static String stuckCopyHint(Copy stuck) {
        if (stuck == null) {
            return "";
        }
        return "\n" + stuck.describe() + " was left before its end and still holds the connection; read it to"
                + " the end (copy.read() until it returns an empty array), leave its block with an exception (for"
                + " example throw new Rollback() inside conn.transaction), or call copy.cancel()";
    }

    /**
     * The final result of a COPY, read once its data has ended (psycopg's {@code copy_from} and
     * {@code copy_end}): it must be a lone COMMAND_OK, else the COPY's error is raised here.
     */
    static PgResult copyEndResult(PgConn pgconn) {
        List<PgResult> results = fetch(pgconn);
        if (results.size() > 1) {
            throw new ProgrammingException("you cannot mix COPY with other operations");
        }
        if (results.isEmpty()) {
            throw Errors.operational("consuming input failed", pgconn.errorMessage());
        }
        PgResult result = results.get(0);
        if (result.status() != PgExecStatus.COMMAND_OK) {
            throw errorFrom(pgconn, result);
        }
        return result;
    }

    /**
     * The single result of an internal command (BEGIN, COMMIT, SAVEPOINT...), checked as psycopg's
     * {@code _exec_command} checks it: rows or a command, else the server's error.
     */
    static PgResult commandResult(PgConn pgconn, String command, List<PgResult> results) {
        if (results.size() != 1) {
            throw new InternalException("received " + results.size() + " results from command '" + command + "'");
        }
        PgResult result = results.get(0);
        PgExecStatus status = result.status();
        if (status != PgExecStatus.COMMAND_OK && status != PgExecStatus.TUPLES_OK) {
            if (status == PgExecStatus.FATAL_ERROR) {
                throw errorFrom(pgconn, result);
            }
            throw new InterfaceException("unexpected result " + status + " from command '" + command + "'");
        }
        return result;
    }
}

package io.pqbridge;

import io.pqbridge.errors.InternalException;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgResult;
import java.util.List;

/**
 * What {@link Cursor#execute} does (psycopg's {@code _execute_gen}): under the connection's lock,
 * the cursor's query started (its old results dropped, the implicit transaction opened), the
 * statement goes through the connection's {@link PreparedStatements} cache. Outside a pipeline its
 * results are read and checked (psycopg's {@code _check_results}) before they become the
 * cursor's, so a cursor never holds the results of a statement that failed or of a COPY it cannot
 * run. In a pipeline the statement is only sent (a COPY refused before); its results reach the
 * cursor later ({@link CursorPipelining}).
 *
 * <p>After the statement the cache is maintained (what it let go of is closed on the server);
 * when the results fail the check, a failure there is added to the statement's error instead of
 * hiding it.
 */
final class CursorExecution {

    private CursorExecution() {
    }

    /**
     * Runs {@code sql} from {@code cursor}, {@code params} bound on the server (null: none, the text
     * goes as it is), prepared as {@code prepare} says (null: as the cache decides).
     */
    static void run(Cursor cursor, String sql, Object params, Boolean prepare) {
        Connection conn = cursor.connection();
        conn.lock.acquire();
        try {
            conn.checkOpen();
            boolean opened = cursor.startQuery();
            Pipeline pipeline = conn.pipelineInProgress();
            if (pipeline != null) {
                if (Statements.isCopy(sql)) {
                    throw new ProgrammingException("COPY cannot be used with this method; use copy() instead");
                }
                pipeline.execute(cursor, Parameters.statement(conn, sql, params, cursor.isBinary()), prepare);
                conn.prepared.maintain(conn);
                return;
            }
            PreparedStatements.Statement statement = Parameters.statement(conn, sql, params, cursor.isBinary());
            List<PgResult> fetched = conn.prepared.run(conn, statement, prepare, opened);
            try {
                checkResults(conn, fetched);
            } catch (RuntimeException e) {
                conn.prepared.maintainAfterFailure(conn, e);
                throw e;
            }
            cursor.setResults(fetched);
            conn.prepared.maintain(conn);
        } finally {
            conn.lock.release();
        }
    }

    /** psycopg's {@code _check_results}: every result must be rows, a command or an empty query. */
    private static void checkResults(Connection conn, List<PgResult> fetched) {
        if (fetched.isEmpty()) {
            throw new InternalException("got no result from the query");
        }
        for (PgResult r : fetched) {
            PgExecStatus status = r.status();
            if (status == PgExecStatus.FATAL_ERROR) {
                throw ResultReading.errorFrom(conn.pgconn, r);
            }
            if (status.isCopy()) {
                throw new ProgrammingException("COPY cannot be used with this method; use copy() instead");
            }
            if (status != PgExecStatus.TUPLES_OK && status != PgExecStatus.COMMAND_OK
                    && status != PgExecStatus.EMPTY_QUERY) {
                throw new InternalException("unexpected result status from query: " + status);
            }
        }
    }
}

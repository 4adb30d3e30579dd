package io.pqbridge;

import io.pqbridge.errors.NotSupportedException;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgResult;
import java.util.List;

/**
 * Starting a COPY from a cursor (psycopg's {@code _start_copy_gen}) and the scoped block around
 * it: the statement, with its parameters merged in as literals, goes with the simple protocol; on
 * success the connection stays locked until the {@link Copy} ends.
 */
final class CopyStart {

    private CopyStart() {
    }

    /** The scoped form: the body runs with the COPY, which is then ended by psycopg's rules. */
    static <E extends Exception> void run(Cursor cursor, String sql, Object params, CopyBlock<E> body) throws E {
        Copy copy = open(cursor, sql, params);
        try {
            body.run(copy);
        } catch (Throwable t) {
            if (!copy.hasExited()) {
                try {
                    copy.finish(t);
                } catch (RuntimeException | Error exitError) {
                    throw Blocks.exitFailure(exitError, t);
                }
            }
            throw Blocks.<E>rethrow(t);
        }
        if (!copy.hasExited()) {
            copy.finish();
        }
    }

    /** psycopg's {@code _start_copy_gen}: on success the connection stays locked for the copy's block. */
    static Copy open(Cursor cursor, String sql, Object params) {
        Connection conn = cursor.connection();
        conn.lock.acquire();
        boolean opened = false;
        try {
            conn.checkOpen();
            if (conn.pipelineInProgress() != null) {
                throw new NotSupportedException("COPY cannot be used in pipeline mode");
            }
            cursor.startQuery();
            String statement = params == null ? sql : Parameters.merge(conn, sql, params);
            Sending.query(conn, statement);
            List<PgResult> fetched = ResultReading.fetch(conn.pgconn);
            if (fetched.size() != 1) {
                throw new ProgrammingException("COPY cannot be mixed with other operations");
            }
            PgResult result = fetched.get(0);
            PgExecStatus status = result.status();
            if (status == PgExecStatus.FATAL_ERROR) {
                throw ResultReading.errorFrom(conn.pgconn, result);
            }
            if (status != PgExecStatus.COPY_IN && status != PgExecStatus.COPY_OUT) {
                throw new ProgrammingException("copy() should be used only with COPY ... TO STDOUT or COPY ... FROM"
                        + " STDIN statements, got " + status);
            }
            cursor.setResults(fetched);
            Copy copy = new Copy(cursor, statement, result);
            conn.lock.holdFor(copy.lockHolder);
            opened = true;
            return copy;
        } finally {
            if (!opened) {
                conn.lock.release();
            }
        }
    }
}

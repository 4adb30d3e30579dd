package io.pqbridge;

import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgResult;
import java.util.List;

/**
 * A client-side {@link Cursor}'s part in a {@link Pipeline}: which of its statements' results it
 * still waits for, reading them when the cursor is asked for its results (psycopg's
 * {@code _fetch_pipeline}), and where each statement's results go when the pipeline hands them
 * over (psycopg's {@code _set_results} in pipeline mode).
 *
 * <p>Only the cursor's newest statement counts: a cursor that sends again in the same batch drops
 * the results of its earlier statements. During {@link Cursor#executeMany} every
 * run counts instead: its results are added to the cursor's ({@code returning}) or only their row
 * counts summed; once a run has failed the sum stops and the batch ends with a count of -1.
 *
 * <p>Not thread-safe, as the cursor is not; the pipeline calls in with the connection's lock held,
 * and {@link #awaitResults()} takes it itself.
 */
final class CursorPipelining {

    private final Connection conn;
    /** The cursor's results, which the pipeline's results replace or extend. */
    private final CursorResults results;
    /** The statement whose results the cursor waits for, null when none. */
    private Pipeline.Entry pending;
    /** During {@link Cursor#executeMany}: whether results are kept (true) or only counted (false); null otherwise. */
    private Boolean manyReturning;
    /** During {@link Cursor#executeMany}: a run's results held an error, or one was skipped for an earlier one's. */
    private boolean manyFailed;

    CursorPipelining(Connection conn, CursorResults results) {
        this.conn = conn;
        this.results = results;
    }

    /** {@return whether the results of a statement sent in a pipeline are still to come} */
    boolean awaiting() {
        return pending != null;
    }

    /** The cursor waits for the results of {@code entry}, its newest statement. */
    void expect(Pipeline.Entry entry) {
        pending = entry;
    }

    /** The cursor forgets the statement it waited for (a new one starts, or it closes). */
    void forget() {
        pending = null;
    }

    /**
     * The start of {@link Cursor#executeMany} (lock held, the cursor's query started): results kept
     * when {@code returning}, else counted from 0.
     */
    void startMany(boolean returning) {
        manyReturning = returning;
        manyFailed = false;
        results.setRowCount(returning ? -1 : 0);
    }

    /** The end of {@link Cursor#executeMany}, however it ended: after a failure the count is -1. */
    void endMany(boolean failed) {
        manyReturning = null;
        if (failed || manyFailed) {
            results.setRowCount(-1);
        }
    }

    /**
     * The results of a statement the cursor sent in a pipeline: those of its newest statement become
     * its results; during {@link Cursor#executeMany} each run's are kept or counted.
     */
    void deliver(Pipeline.Entry entry, List<PgResult> fetched) {
        boolean newest = entry == pending;
        if (newest) {
            pending = null;
        }
        if (manyReturning == null) {
            if (newest) {
                results.set(fetched);
            }
            return;
        }
        for (PgResult r : fetched) {
            PgExecStatus status = r.status();
            manyFailed |= status == PgExecStatus.FATAL_ERROR || status == PgExecStatus.PIPELINE_ABORTED;
        }
        if (manyReturning) {
            results.add(fetched);
        } else if (!manyFailed) {
            for (PgResult r : fetched) {
                results.setRowCount(results.rowCount() + Math.max(0, CursorResults.tagRowCount(r.cmdTuples())));
            }
        }
    }

    /** In a pipeline, reads results until the cursor's are in; nothing when it waits for none. */
    void awaitResults() {
        Pipeline.Entry entry = pending;
        if (entry == null) {
            return;
        }
        conn.lock.acquire();
        try {
            Pipeline pipeline = conn.pipelineInProgress();
            if (pipeline != null && !entry.done) {
                conn.checkOpen();
                pipeline.resolve(entry);
            }
        } finally {
            conn.lock.release();
        }
    }
}

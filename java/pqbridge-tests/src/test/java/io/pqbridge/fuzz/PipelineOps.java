package io.pqbridge.fuzz;

import io.pqbridge.Connection;
import io.pqbridge.Cursor;
import java.util.List;

/**
 * The pipeline operations of the fuzzer: a block that works, one whose error nobody fetches (it
 * comes at the block's end), one where a skipped statement is fetched ({@code PipelineAborted}
 * leaves the block, the error it follows is attached to it), one left by the sequence's own
 * exception, and {@code executeMany}, which is a pipeline of its own.
 */
final class PipelineOps {

    private PipelineOps() {
    }

    /** {@link FuzzOp#PIPELINE_OK}: two statements, the second's row read inside the block. */
    static void runOk(Connection conn) {
        conn.pipeline(p -> {
            conn.execute("SELECT 1");
            Cursor second = conn.execute("SELECT 2");
            Object value = second.fetchOne().get(0);
            if (!Integer.valueOf(2).equals(value)) {
                throw new AssertionError("the pipeline's SELECT 2 returned " + value);
            }
        });
    }

    /** {@link FuzzOp#PIPELINE_ERROR}: a division by zero between two statements, nothing fetched. */
    static void runError(Connection conn) {
        conn.pipeline(p -> {
            conn.execute("SELECT 1");
            conn.execute("SELECT 1/0");
            conn.execute("SELECT 2");
        });
    }

    /** {@link FuzzOp#PIPELINE_ABORTED_FETCH}: the statement after a failed one fetched inside the block. */
    static void fetchAborted(Connection conn) {
        conn.pipeline(p -> {
            conn.execute("SELECT 1/0");
            conn.execute("SELECT 2").fetchOne();
        });
    }

    /** {@link FuzzOp#PIPELINE_USER_EXCEPTION}: a statement sent, then the sequence's exception. */
    static void leaveByException(Connection conn) {
        conn.pipeline(p -> {
            conn.execute("SELECT 1");
            throw new Outcome.SequenceAbort();
        });
    }

    /** {@link FuzzOp#EXECUTE_MANY}: three runs of one statement. */
    static void executeMany(Connection conn) {
        Cursor cur = conn.cursor();
        cur.executeMany("SELECT %s::int", List.of(new Object[] {1}, new Object[] {2}, new Object[] {3}));
        if (cur.rowCount() != 3) {
            throw new AssertionError("executeMany counted " + cur.rowCount() + " rows, not 3");
        }
    }
}

package io.pqbridge.fuzz;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a run exercised of the row-stream, pipeline and prepared-statement rules, for the report
 * line: how often each stream or pipeline operation ended in each way, and each run of a statement dropped behind the
 * cache's back, by the transaction status it met (the rule that decides between running it again
 * and raising the error). A rule that a run never reached shows as missing, not as passed.
 */
final class Coverage {

    private final Map<String, Long> counts = new TreeMap<>();

    /** Counts a step that matched the model: {@code op} in state {@code before}, ended as {@code outcome}. */
    void record(FuzzOp op, PsycopgModel before, Outcome outcome) {
        String key;
        if (op.runsPreparedStatement() && before.cached() == CachedStatement.DROPPED) {
            // after a commit() that worked the run meets IDLE, whatever the status before
            boolean committed = op == FuzzOp.PREPARED_AFTER_COMMIT && (outcome == Outcome.NORMAL
                    || outcome == Outcome.INVALID_STATEMENT_NAME);
            key = "dropped statement run " + (before.closed() ? "after close()"
                    : "in " + (committed ? "IDLE after commit()" : before.status())
                    + (before.autocommit() ? " (autocommit)" : ""));
        } else if (op.name().startsWith("STREAM_") || op.name().startsWith("PIPELINE_") || op == FuzzOp.EXECUTE_MANY) {
            key = op.name();
        } else {
            return;
        }
        counts.merge(key + " -> " + outcome, 1L, Long::sum);
    }

    String summary() {
        return counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue() + "×")
                .collect(Collectors.joining("; "));
    }
}

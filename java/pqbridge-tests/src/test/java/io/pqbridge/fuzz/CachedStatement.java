package io.pqbridge.fuzz;

/**
 * Where the fuzzer's one prepared statement ({@link PreparedOps#SQL}) stands in the connection's
 * prepared-statement cache and on the server: the part of {@link PsycopgModel} that the
 * PreparedStatements class comment's rules drive. Only that statement is tracked: the cache also
 * prepares {@code SELECT 1} after five runs, but nothing drops that one behind the cache's back,
 * so it never changes an outcome.
 *
 * <p>What moves it: a run of the statement in {@code IDLE} or {@code INTRANS} ({@link #afterRun});
 * {@link FuzzOp#DROP_PREPARED_BEHIND_CACHE} (PREPARED becomes DROPPED); and every rollback the
 * library sees, {@code rollback()} of an open transaction and a transaction block that rolls back,
 * which clears the cache (NONE). {@code commit()} does not clear it, even of a failed transaction.
 */
enum CachedStatement {
    /** Unknown to the cache. */
    NONE,
    /** Run once unprepared with a threshold set: the cache counts it, threshold 1 prepares it next time. */
    COUNTED,
    /** Prepared: the cache has its name and the server has the statement. */
    PREPARED,
    /** The cache has its name, but the server's statement was dropped behind its back. */
    DROPPED;

    /**
     * After a successful run in {@code IDLE} or {@code INTRANS} (a DROPPED one run alone is
     * prepared afresh, so it ends PREPARED too): threshold 1 only counts a statement it has not
     * seen; {@code prepare=true}, threshold 0 and threshold 1 on a counted one prepare it.
     */
    CachedStatement afterRun(FuzzOp op) {
        return op == FuzzOp.PREPARED_THRESHOLD_1 && this == NONE ? COUNTED : PREPARED;
    }
}

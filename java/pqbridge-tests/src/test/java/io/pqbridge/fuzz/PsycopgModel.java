package io.pqbridge.fuzz;

import static io.pqbridge.TransactionStatus.ACTIVE;
import static io.pqbridge.TransactionStatus.IDLE;
import static io.pqbridge.TransactionStatus.INERROR;
import static io.pqbridge.TransactionStatus.INTRANS;

import io.pqbridge.TransactionStatus;
import java.util.List;
import java.util.stream.Stream;

/**
 * What psycopg 3 does, as an executable model: the connection's state as the client sees it, and
 * for each {@link FuzzOp} the outcomes psycopg allows and the state each leads to
 * (psycopg's COPY/transaction outcome table and its transaction
 * rules). The deviations modelled are pqbridge's own, each documented by the library: a thread that
 * calls the connection while its own open-form COPY or row stream holds it fails at once instead
 * of deadlocking; a row stream inside a transaction runs under a savepoint, so closing it early
 * leaves the transaction usable (psycopg leaves it failed); and the prepared-statement cache runs
 * a statement dropped behind its back once more, prepared afresh, when that is invisible
 * ({@link CachedStatement}).
 *
 * <p>Immutable: {@link #expect} returns the allowed {@link Step}s, each with the next model. Most
 * operations have exactly one; those that race with another thread ({@code cancel()} or
 * {@code close()} during a COPY) have several, and the runner accepts whichever happened.
 *
 * @param closed the connection is closed; every operation but close and cancel fails
 * @param autocommit the connection's autocommit setting
 * @param status the transaction status (ACTIVE: a COPY TO STDOUT left unread)
 * @param stuck ACTIVE because an open-form COPY was dropped unfinished: this thread's calls are
 *     refused at once (no {@code Copy} is left to read or cancel it); kept through a close, since
 *     the dropped COPY's block never ends and so never gives the connection's lock back: another
 *     thread's call waits for it for good, as it would in psycopg
 * @param cancelPending a cancel may have reached the COPY left ACTIVE: reading it to the end may
 *     end with QueryCanceled
 * @param cached where the fuzzer's prepared statement stands in the cache and on the server
 */
record PsycopgModel(boolean closed, boolean autocommit, TransactionStatus status, boolean stuck,
        boolean cancelPending, CachedStatement cached) {

    /**
     * One allowed way for an operation to end, and the model after it.
     *
     * @param beforeStatement the ending happens before the operation's statement runs (a cancel
     *     that reaches the BEGIN sent ahead of it): impossible once the statement sent data
     */
    record Step(Outcome outcome, PsycopgModel next, boolean beforeStatement) {
        Step(Outcome outcome, PsycopgModel next) {
            this(outcome, next, false);
        }
    }

    static PsycopgModel fresh(boolean autocommit) {
        return new PsycopgModel(false, autocommit, IDLE, false, false, CachedStatement.NONE);
    }

    /** True when psycopg would run {@code SELECT 1} on the connection now. */
    boolean usable() {
        return !closed && (status == IDLE || status == INTRANS);
    }

    List<Step> expect(FuzzStep step) {
        FuzzOp op = step.op();
        if (op == FuzzOp.PREPARED_THEN_DROPPED) {
            return then(FuzzOp.PREPARED_EXPLICIT, FuzzOp.DROP_PREPARED_BEHIND_CACHE);
        }
        if (op == FuzzOp.PREPARED_AFTER_COMMIT) {
            return then(FuzzOp.COMMIT, FuzzOp.PREPARED_EXPLICIT);
        }
        if (op == FuzzOp.GC) {
            return same(Outcome.NORMAL);
        }
        if (op == FuzzOp.CLOSE) {
            return List.of(new Step(Outcome.NORMAL, closedModel()));
        }
        if (op == FuzzOp.CANCEL) {
            // no lock, nothing to do when closed; a COPY left ACTIVE may be cancelled on the server
            return List.of(new Step(Outcome.NORMAL, status == ACTIVE && !stuck && !closed ? withCancelPending() : this));
        }
        if (op == FuzzOp.DROP_PREPARED_BEHIND_CACHE) {
            // the raw connection acts only where a command can run; the cache notices nothing
            return List.of(new Step(Outcome.NORMAL, usable() && cached == CachedStatement.PREPARED
                    ? withCached(CachedStatement.DROPPED) : this));
        }
        if (op == FuzzOp.RECOVER_BY_READING || op == FuzzOp.RECOVER_BY_CANCEL) {
            return recover(op);
        }
        if (op == FuzzOp.CLOSE_FROM_OTHER_THREAD || op == FuzzOp.STREAM_CLOSE_FROM_OTHER_THREAD) {
            // whatever the race gives, the connection ends closed; a COPY that won the race ends normally
            return List.of(new Step(Outcome.NORMAL, closedModel()), new Step(Outcome.ANY_PQ_EXCEPTION, closedModel()));
        }
        if (closed) {
            return same(Outcome.CLOSED);
        }
        if (op == FuzzOp.STREAM_COPY_REFUSED) {
            return same(Outcome.STREAM_COPY_REFUSED); // refused before the lock: even a held or busy connection
        }
        if (stuck) {
            return same(Outcome.OWN_COPY_OPEN);
        }
        if (op == FuzzOp.TOGGLE_AUTOCOMMIT) {
            return status == IDLE ? List.of(new Step(Outcome.NORMAL, withAutocommit(!autocommit)))
                    : same(Outcome.AUTOCOMMIT_REFUSED);
        }
        if (status == ACTIVE) {
            // every command is refused until the COPY left open is read or cancelled; a cancel
            // thread racing with the refusal may reach that COPY on the server
            return op == FuzzOp.CANCEL_FROM_OTHER_THREAD || op == FuzzOp.STREAM_CANCEL_FROM_OTHER_THREAD
                    ? List.of(new Step(Outcome.BUSY, withCancelPending()))
                    : same(Outcome.BUSY);
        }
        if (status == INERROR) {
            return inFailedTransaction(op);
        }
        // IDLE or INTRANS: a statement outside a transaction block opens the implicit transaction
        TransactionStatus afterStatement = autocommit ? IDLE : INTRANS;
        TransactionStatus afterError = autocommit ? IDLE : INERROR;
        return switch (op) {
            case SELECT_ONE, COPY_OUT_FULL, COPY_IN_FULL, COPY_IN_WRITE_BUFFER ->
                    List.of(new Step(Outcome.NORMAL, withStatus(afterStatement)));
            // a read-only buffer is refused inside the block: the exception exit, as for any exception
            case COPY_OUT_READ_INTO -> step.kind().readOnly
                    ? List.of(new Step(Outcome.REFUSED_BUFFER, withStatus(afterError)))
                    : List.of(new Step(Outcome.NORMAL, withStatus(afterStatement)));
            case DIVIDE_BY_ZERO -> List.of(new Step(Outcome.DIVISION_BY_ZERO, withStatus(afterError)));
            case COMMIT -> List.of(new Step(Outcome.NORMAL, withStatus(IDLE)));
            // rollback() of an open transaction clears the statement cache; with none open it does nothing
            case ROLLBACK -> List.of(new Step(Outcome.NORMAL, status == IDLE ? this : rolledBack()));
            case COPY_OUT_PARTIAL_NORMAL_EXIT -> List.of(new Step(Outcome.NORMAL, withStatus(ACTIVE)));
            case DROP_OPEN_COPY_OUT -> List.of(new Step(Outcome.NORMAL,
                    new PsycopgModel(false, autocommit, ACTIVE, true, false, cached)));
            // the exception exit cancels a COPY TO STDOUT and sends CopyFail for a COPY FROM STDIN
            case COPY_OUT_PARTIAL_EXCEPTION_EXIT, COPY_IN_EXCEPTION_EXIT -> List.of(new Step(Outcome.USER,
                    withStatus(afterError)));
            case COPY_IN_BAD_DATA -> List.of(new Step(Outcome.BAD_DATA, withStatus(afterError)));
            // a transaction block leaves the status as it found it: BEGIN..COMMIT/ROLLBACK from
            // IDLE, a savepoint released or rolled back inside an open transaction
            // (a block that rolls back clears the statement cache)
            case TX_COMMIT -> same(Outcome.NORMAL);
            case TX_ROLLBACK, TX_NESTED_ROLLBACK_OUTER, TX_COPY_OUT_PARTIAL_ROLLBACK, TX_COPY_IN_ROLLBACK ->
                    List.of(new Step(Outcome.NORMAL, withCached(CachedStatement.NONE)));
            case TX_ERROR -> List.of(new Step(Outcome.DIVISION_BY_ZERO, withCached(CachedStatement.NONE)));
            // the COPY or the stream is read to its end unless the cancel reaches it first; where
            // the statement opens the transaction, the cancel may reach the BEGIN sent before it
            // instead, which then fails and leaves none open (the server ignores a cancel that
            // arrives between commands, so that BEGIN is the only other command it can reach)
            case CANCEL_FROM_OTHER_THREAD, STREAM_CANCEL_FROM_OTHER_THREAD -> {
                List<Step> raced = List.of(new Step(Outcome.NORMAL, withStatus(afterStatement)),
                        new Step(Outcome.CANCELED, withStatus(afterError)));
                yield status == IDLE && !autocommit
                        ? Stream.concat(raced.stream(), Stream.of(new Step(Outcome.CANCELED, this, true))).toList()
                        : raced;
            }
            // a stream read to the end, or closed early (cancelled, drained, its savepoint rolled
            // back): the state a statement leaves
            case STREAM_FULL, STREAM_PARTIAL_CLOSE -> List.of(new Step(Outcome.NORMAL, withStatus(afterStatement)));
            case STREAM_PARTIAL_EXCEPTION -> List.of(new Step(Outcome.USER, withStatus(afterStatement)));
            case STREAM_HELD -> List.of(new Step(Outcome.OWN_STREAM_OPEN, withStatus(afterStatement)));
            // the cancel's error comes from the iteration: a failed statement, no savepoint rolled back
            case STREAM_CANCEL -> List.of(new Step(Outcome.CANCELED, withStatus(afterError)));
            case STREAM_ERROR_MIDWAY -> List.of(new Step(Outcome.DIVISION_BY_ZERO, withStatus(afterError)));
            case PREPARED_EXPLICIT, PREPARED_THRESHOLD_0, PREPARED_THRESHOLD_1 -> runPrepared(op);
            // a pipeline's statements run at its end (the sync) at the latest; an error there fails
            // the transaction as a statement's does (in autocommit the batch was one implicit transaction)
            case PIPELINE_OK, EXECUTE_MANY -> List.of(new Step(Outcome.NORMAL, withStatus(afterStatement)));
            case PIPELINE_ERROR -> List.of(new Step(Outcome.DIVISION_BY_ZERO, withStatus(afterError)));
            case PIPELINE_ABORTED_FETCH -> List.of(new Step(Outcome.PIPELINE_ABORTED, withStatus(afterError)));
            case PIPELINE_USER_EXCEPTION -> List.of(new Step(Outcome.USER, withStatus(afterStatement)));
            default -> throw new IllegalStateException("no rule for " + op);
        };
    }

    /**
     * In a failed transaction only COMMIT and ROLLBACK run (ROLLBACK also clearing the statement
     * cache); everything else is refused by the server, except a run of the prepared statement
     * dropped behind the cache's back: the server looks the statement up before it checks the
     * transaction, so that run fails for the missing statement, which the cache then forgets.
     */
    private List<Step> inFailedTransaction(FuzzOp op) {
        if (op == FuzzOp.COMMIT) {
            return List.of(new Step(Outcome.NORMAL, withStatus(IDLE)));
        }
        if (op == FuzzOp.ROLLBACK) {
            return List.of(new Step(Outcome.NORMAL, rolledBack()));
        }
        if (op.runsPreparedStatement() && cached == CachedStatement.DROPPED) {
            return List.of(new Step(Outcome.INVALID_STATEMENT_NAME, withCached(CachedStatement.NONE)));
        }
        if (op == FuzzOp.PIPELINE_USER_EXCEPTION) {
            return same(Outcome.USER); // the refusal at the block's end is attached to the sequence's exception
        }
        if (op == FuzzOp.PIPELINE_ABORTED_FETCH || op == FuzzOp.PIPELINE_OK) {
            // the first statement is refused, the second (fetched inside the block) skipped
            return same(Outcome.PIPELINE_ABORTED);
        }
        return same(Outcome.IN_FAILED_TRANSACTION);
    }

    /**
     * A run of the fuzzer's statement in IDLE or INTRANS. Dropped behind the cache's back, it is
     * run again, prepared afresh, when it runs alone (IDLE before the call: autocommit, or the
     * first statement of the transaction the call opens); in a transaction that already did work
     * the server's error is raised, the transaction fails, and the cache forgets the statement.
     */
    private List<Step> runPrepared(FuzzOp op) {
        if (cached == CachedStatement.DROPPED && status == INTRANS) {
            return List.of(new Step(Outcome.INVALID_STATEMENT_NAME,
                    new PsycopgModel(closed, autocommit, INERROR, false, false, CachedStatement.NONE)));
        }
        TransactionStatus after = autocommit ? IDLE : INTRANS;
        return List.of(new Step(Outcome.NORMAL,
                new PsycopgModel(closed, autocommit, after, false, false, cached.afterRun(op))));
    }

    /** Two operations in one step, the second only when the first ended normally (as the runner performs them). */
    private List<Step> then(FuzzOp first, FuzzOp second) {
        return expect(FuzzStep.of(first)).stream().flatMap(s -> s.outcome() == Outcome.NORMAL
                ? s.next().expect(FuzzStep.of(second)).stream() : Stream.of(s)).toList();
    }

    /** The ways out of a COPY left ACTIVE; a no-op when there is none to recover. */
    private List<Step> recover(FuzzOp op) {
        if (closed) {
            // a Copy kept past close(): reading it or cancelling it fails or finds nothing
            return List.of(new Step(Outcome.NORMAL, this), new Step(Outcome.ANY_PQ_EXCEPTION, this));
        }
        if (status != ACTIVE || stuck) {
            return same(Outcome.NORMAL);
        }
        TransactionStatus afterRead = autocommit ? IDLE : INTRANS;
        TransactionStatus afterCancel = autocommit ? IDLE : INERROR;
        if (op == FuzzOp.RECOVER_BY_CANCEL) {
            return List.of(new Step(Outcome.NORMAL, withStatus(afterCancel)));
        }
        return cancelPending
                ? List.of(new Step(Outcome.NORMAL, withStatus(afterRead)), new Step(Outcome.CANCELED, withStatus(afterCancel)))
                : List.of(new Step(Outcome.NORMAL, withStatus(afterRead)));
    }

    private List<Step> same(Outcome outcome) {
        return List.of(new Step(outcome, this));
    }

    private PsycopgModel withStatus(TransactionStatus value) {
        return new PsycopgModel(closed, autocommit, value, false, false, cached);
    }

    private PsycopgModel withAutocommit(boolean value) {
        return new PsycopgModel(closed, value, status, stuck, cancelPending, cached);
    }

    private PsycopgModel withCancelPending() {
        return new PsycopgModel(closed, autocommit, status, stuck, true, cached);
    }

    private PsycopgModel withCached(CachedStatement value) {
        return new PsycopgModel(closed, autocommit, status, stuck, cancelPending, value);
    }

    /** After {@code rollback()} of an open transaction: IDLE, the statement cache cleared. */
    private PsycopgModel rolledBack() {
        return new PsycopgModel(closed, autocommit, IDLE, false, false, CachedStatement.NONE);
    }

    /** Closed; a dropped COPY that held the lock still holds it (nothing can end its block). */
    private PsycopgModel closedModel() {
        return new PsycopgModel(true, autocommit, status, stuck, false, cached);
    }
}

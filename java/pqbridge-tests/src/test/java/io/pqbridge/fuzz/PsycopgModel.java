package io.pqbridge.fuzz;

import static io.pqbridge.TransactionStatus.ACTIVE;
import static io.pqbridge.TransactionStatus.IDLE;
import static io.pqbridge.TransactionStatus.INERROR;
import static io.pqbridge.TransactionStatus.INTRANS;

import io.pqbridge.TransactionStatus;
import java.util.List;

/**
 * What psycopg 3 does, as an executable model: the connection's state as the client sees it, and
 * for each {@link FuzzOp} the outcomes psycopg allows and the state each leads to
 * (psycopg's COPY/transaction outcome table and its transaction
 * rules; the one deviation modelled is pqbridge's own: a thread that calls the connection while its own
 * open-form COPY holds it fails at once instead of deadlocking).
 *
 * <p>Immutable: {@link #expect} returns the allowed {@link Step}s, each with the next model. Most
 * operations have exactly one; those that race with another thread ({@code cancel()} or
 * {@code close()} during a COPY) have several, and the runner accepts whichever happened.
 *
 * @param closed the connection is closed; every operation but close and cancel fails
 * @param autocommit the connection's autocommit setting
 * @param status the transaction status (ACTIVE: a COPY TO STDOUT left unread)
 * @param stuck ACTIVE because an open-form COPY was dropped unfinished: this thread's calls are
 *     refused at once (no {@code Copy} is left to read or cancel it)
 * @param cancelPending a cancel may have reached the COPY left ACTIVE: reading it to the end may
 *     end with QueryCanceled
 */
record PsycopgModel(boolean closed, boolean autocommit, TransactionStatus status, boolean stuck,
        boolean cancelPending) {

    /** One allowed way for an operation to end, and the model after it. */
    record Step(Outcome outcome, PsycopgModel next) {
    }

    static PsycopgModel fresh(boolean autocommit) {
        return new PsycopgModel(false, autocommit, IDLE, false, false);
    }

    /** True when psycopg would run {@code SELECT 1} on the connection now. */
    boolean usable() {
        return !closed && (status == IDLE || status == INTRANS);
    }

    List<Step> expect(FuzzStep step) {
        FuzzOp op = step.op();
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
        if (op == FuzzOp.RECOVER_BY_READING || op == FuzzOp.RECOVER_BY_CANCEL) {
            return recover(op);
        }
        if (op == FuzzOp.CLOSE_FROM_OTHER_THREAD) {
            // whatever the race gives, the connection ends closed; a COPY that won the race ends normally
            return List.of(new Step(Outcome.NORMAL, closedModel()), new Step(Outcome.ANY_PQ_EXCEPTION, closedModel()));
        }
        if (closed) {
            return same(Outcome.CLOSED);
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
            return op == FuzzOp.CANCEL_FROM_OTHER_THREAD ? List.of(new Step(Outcome.BUSY, withCancelPending()))
                    : same(Outcome.BUSY);
        }
        if (status == INERROR) {
            return op == FuzzOp.COMMIT || op == FuzzOp.ROLLBACK ? List.of(new Step(Outcome.NORMAL, withStatus(IDLE)))
                    : same(Outcome.IN_FAILED_TRANSACTION);
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
            case COMMIT, ROLLBACK -> List.of(new Step(Outcome.NORMAL, withStatus(IDLE)));
            case COPY_OUT_PARTIAL_NORMAL_EXIT -> List.of(new Step(Outcome.NORMAL, withStatus(ACTIVE)));
            case DROP_OPEN_COPY_OUT -> List.of(new Step(Outcome.NORMAL,
                    new PsycopgModel(false, autocommit, ACTIVE, true, false)));
            // the exception exit cancels a COPY TO STDOUT and sends CopyFail for a COPY FROM STDIN
            case COPY_OUT_PARTIAL_EXCEPTION_EXIT, COPY_IN_EXCEPTION_EXIT -> List.of(new Step(Outcome.USER,
                    withStatus(afterError)));
            case COPY_IN_BAD_DATA -> List.of(new Step(Outcome.BAD_DATA, withStatus(afterError)));
            // a transaction block leaves the status as it found it: BEGIN..COMMIT/ROLLBACK from
            // IDLE, a savepoint released or rolled back inside an open transaction
            case TX_ROLLBACK, TX_COMMIT, TX_NESTED_ROLLBACK_OUTER, TX_COPY_OUT_PARTIAL_ROLLBACK, TX_COPY_IN_ROLLBACK ->
                    same(Outcome.NORMAL);
            case TX_ERROR -> same(Outcome.DIVISION_BY_ZERO);
            // the COPY is read to its end unless the cancel reaches it first
            case CANCEL_FROM_OTHER_THREAD -> List.of(new Step(Outcome.NORMAL, withStatus(afterStatement)),
                    new Step(Outcome.CANCELED, withStatus(afterError)));
            default -> throw new IllegalStateException("no rule for " + op);
        };
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
        return new PsycopgModel(closed, autocommit, value, false, false);
    }

    private PsycopgModel withAutocommit(boolean value) {
        return new PsycopgModel(closed, value, status, stuck, cancelPending);
    }

    private PsycopgModel withCancelPending() {
        return new PsycopgModel(closed, autocommit, status, stuck, true);
    }

    private PsycopgModel closedModel() {
        return new PsycopgModel(true, autocommit, status, false, false);
    }
}

package io.pqbridge.fuzz;

import io.pqbridge.errors.OperationalException;
import io.pqbridge.errors.PqException;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.errors.DivisionByZero;
import io.pqbridge.errors.InFailedSqlTransaction;
import io.pqbridge.errors.InvalidSqlStatementName;
import io.pqbridge.errors.InvalidTextRepresentation;
import io.pqbridge.errors.PipelineAborted;
import io.pqbridge.errors.QueryCanceled;

/**
 * How an operation may end, as psycopg ends it: normally, or with one kind of exception. Kinds
 * are recognised by class and, where one class covers several situations, by message.
 */
enum Outcome {
    NORMAL,
    /** The sequence's own exception, thrown from inside a block and propagated unchanged. */
    USER,
    /** OperationalException "the connection is closed". */
    CLOSED,
    /**
     * OperationalException "... another command is already in progress" (or, for a pipeline,
     * "cannot enter pipeline mode, connection not idle"): a COPY left busy.
     */
    BUSY,
    /** ProgrammingException from the calling thread's own unfinished open-form COPY. */
    OWN_COPY_OPEN,
    /** ProgrammingException from the calling thread's own open row stream. */
    OWN_STREAM_OPEN,
    /** ProgrammingException for a COPY handed to {@code stream()}. */
    STREAM_COPY_REFUSED,
    /** InvalidSqlStatementName (26000): a prepared statement dropped behind the cache's back. */
    INVALID_STATEMENT_NAME,
    /** PipelineAborted: a statement the server skipped after an earlier one failed. */
    PIPELINE_ABORTED,
    /** InFailedSqlTransaction (25P02). */
    IN_FAILED_TRANSACTION,
    DIVISION_BY_ZERO,
    /** InvalidTextRepresentation (22P02): COPY FROM STDIN's bad line. */
    BAD_DATA,
    /** QueryCanceled (57014). */
    CANCELED,
    /** ProgrammingException "can't change 'autocommit' now: ...". */
    AUTOCOMMIT_REFUSED,
    /** IllegalArgumentException for a read-only buffer handed to a method that writes into it. */
    REFUSED_BUFFER,
    /** Any pqbridge exception: a race with close() from another thread. */
    ANY_PQ_EXCEPTION;

    /** True when {@code thrown} (null: a normal end) is this outcome. */
    boolean matches(Throwable thrown) {
        String message = thrown == null ? "" : String.valueOf(thrown.getMessage());
        return switch (this) {
            case NORMAL -> thrown == null;
            case USER -> thrown instanceof SequenceAbort;
            case CLOSED -> thrown instanceof OperationalException && message.equals("the connection is closed");
            case BUSY -> thrown instanceof OperationalException && (message.contains("another command is already in"
                    + " progress") || message.contains("cannot enter pipeline mode, connection not idle"));
            case OWN_COPY_OPEN -> thrown instanceof ProgrammingException && message.contains("COPY");
            case OWN_STREAM_OPEN -> thrown instanceof ProgrammingException
                    && message.startsWith("the connection is held by the open stream of");
            case STREAM_COPY_REFUSED -> thrown instanceof ProgrammingException
                    && message.equals("COPY cannot be used with this method; use copy() instead");
            case INVALID_STATEMENT_NAME -> thrown instanceof InvalidSqlStatementName;
            case PIPELINE_ABORTED -> thrown instanceof PipelineAborted;
            case IN_FAILED_TRANSACTION -> thrown instanceof InFailedSqlTransaction;
            case DIVISION_BY_ZERO -> thrown instanceof DivisionByZero;
            case BAD_DATA -> thrown instanceof InvalidTextRepresentation;
            case CANCELED -> thrown instanceof QueryCanceled;
            case AUTOCOMMIT_REFUSED -> thrown instanceof ProgrammingException
                    && message.startsWith("can't change 'autocommit' now");
            case REFUSED_BUFFER -> thrown instanceof IllegalArgumentException && message.contains("read-only");
            case ANY_PQ_EXCEPTION -> thrown instanceof PqException;
        };
    }

    /** The sequence's own exception, which the model expects to come back unchanged. */
    static final class SequenceAbort extends RuntimeException {
        SequenceAbort() {
            super("the fuzz sequence leaves the block", null, false, false);
        }
    }
}

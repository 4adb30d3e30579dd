package io.pqbridge.fuzz;

/**
 * One step of a misuse sequence: a public-API operation, used the right way or the wrong way.
 * {@link PsycopgModel} says what psycopg does for each; {@link SequenceRunner} performs it. The
 * weights make the generator pick the state-changing COPY and transaction misuses often and the
 * slow ones (draining a big COPY) rarely. The row streams ({@link StreamOps}) and the prepared
 * statements ({@link PreparedOps}) take a fifth of the steps between them, the pipelines
 * ({@link PipelineOps}) a tenth; the stream operations
 * that send a cancel weigh 1 each, since a cancel costs tens of milliseconds (the server forks a
 * process for it) and they would otherwise slow the whole run by half.
 */
enum FuzzOp {
    /** {@code execute("SELECT 1")}. */
    SELECT_ONE(6),
    /** {@code execute("SELECT 1/0")}: a server error. */
    DIVIDE_BY_ZERO(4),
    COMMIT(4),
    ROLLBACK(4),
    /** {@code setAutocommit(!autocommit)}: refused unless IDLE. */
    TOGGLE_AUTOCOMMIT(4),
    /** A small COPY TO STDOUT read to the end, normal exit. */
    COPY_OUT_FULL(4),
    /** A big COPY TO STDOUT, a few rows read, normal exit: psycopg #1008 situation 1 (busy). */
    COPY_OUT_PARTIAL_NORMAL_EXIT(4),
    /** A big COPY TO STDOUT, a few rows read, an exception: cancelled and drained. */
    COPY_OUT_PARTIAL_EXCEPTION_EXIT(3),
    /** COPY FROM STDIN of a few rows, normal exit. */
    COPY_IN_FULL(4),
    /** COPY FROM STDIN, a few rows, an exception: CopyFail. */
    COPY_IN_EXCEPTION_EXIT(4),
    /** COPY FROM STDIN of a line the server cannot parse: the error comes at the end. */
    COPY_IN_BAD_DATA(3),
    /** The open form of a big COPY TO STDOUT, one row read, the Copy dropped unfinished, then a GC. */
    DROP_OPEN_COPY_OUT(1),
    /** {@code transaction { SELECT 1; throw new Rollback() }}. */
    TX_ROLLBACK(3),
    /** {@code transaction { SELECT 1 }}. */
    TX_COMMIT(3),
    /** {@code transaction { SELECT 1/0 }}. */
    TX_ERROR(3),
    /** {@code transaction outer { transaction { throw new Rollback(outer) } }}. */
    TX_NESTED_ROLLBACK_OUTER(3),
    /** {@code transaction { big COPY TO STDOUT, partial read, throw new Rollback() }}: #1008 situation 3. */
    TX_COPY_OUT_PARTIAL_ROLLBACK(2),
    /** {@code transaction { COPY FROM STDIN of a few rows, throw new Rollback() }}. */
    TX_COPY_IN_ROLLBACK(3),
    /** A big COPY TO STDOUT read to the end while another thread calls {@code cancel()}. */
    CANCEL_FROM_OTHER_THREAD(2),
    /** {@code cancel()} with nothing to cancel (or a COPY left busy). */
    CANCEL(1),
    /** A big COPY TO STDOUT read to the end while another thread calls {@code close()}. */
    CLOSE_FROM_OTHER_THREAD(1),
    /** {@code close()}; a second one is a double close, anything after it a use after close. */
    CLOSE(1),
    /** Reads the COPY left busy to its end (the way out psycopg's message names first). */
    RECOVER_BY_READING(1),
    /** {@code copy.cancel()} on the COPY left busy (the other way out). */
    RECOVER_BY_CANCEL(3),
    /**
     * A small COPY TO STDOUT read with {@code readInto} into a buffer of the step's kind and fill
     * (a read-only one is refused; a window too small for a message is finished with {@code read()}).
     */
    COPY_OUT_READ_INTO(3),
    /** COPY FROM STDIN of whole rows sent with {@code write(ByteBuffer)} from a buffer of the step's kind and fill. */
    COPY_IN_WRITE_BUFFER(3),
    /** Drops every reference the sequence holds but the connection and runs the GC. */
    GC(2),
    /** A stream of 50 slow rows read to the end while another thread calls {@code cancel()}. */
    STREAM_CANCEL_FROM_OTHER_THREAD(1),
    /** A stream of 50 slow rows read to the end while another thread calls {@code close()}. */
    STREAM_CLOSE_FROM_OTHER_THREAD(1),
    /** A stream of 10 rows read to the end. */
    STREAM_FULL(3),
    /** A stream of a million rows, 3 read, then {@code close()}: cancelled, drained, its savepoint rolled back. */
    STREAM_PARTIAL_CLOSE(1),
    /** As {@link #STREAM_PARTIAL_CLOSE}, the stream closed by the sequence's exception leaving the loop. */
    STREAM_PARTIAL_EXCEPTION(1),
    /** A stream open, one row read, then this thread calls each locking method: all refused; then closed. */
    STREAM_HELD(1),
    /** A stream of slow rows, one read, {@code conn.cancel()}, then read on until the cancel's error arrives. */
    STREAM_CANCEL(1),
    /** A stream whose third row divides by zero: two rows, then the server's error from the iteration. */
    STREAM_ERROR_MIDWAY(2),
    /** {@code stream("COPY ...")}: refused before the lock is taken or anything is sent. */
    STREAM_COPY_REFUSED(1),
    /** The fuzzer's statement run with {@code prepare=true}. */
    PREPARED_EXPLICIT(3),
    /** The fuzzer's statement run with the prepare threshold set to 0 for the call: prepared at once. */
    PREPARED_THRESHOLD_0(2),
    /** The fuzzer's statement run with the prepare threshold set to 1 for the call: prepared at its second run. */
    PREPARED_THRESHOLD_1(3),
    /** {@code DEALLOCATE} of the fuzzer's statement on the raw connection, behind the cache's back. */
    DROP_PREPARED_BEHIND_CACHE(2),
    /**
     * {@link #PREPARED_EXPLICIT}, then (when it succeeded) {@link #DROP_PREPARED_BEHIND_CACHE}: so
     * that the next run meets a dropped statement often, not once in hundreds of sequences.
     */
    PREPARED_THEN_DROPPED(3),
    /**
     * {@code commit()}, then (when it succeeded) {@link #PREPARED_EXPLICIT}: the run is the first
     * statement of the transaction it opens, a case no single operation reaches, since the
     * SELECT 1 probe after every step opens the transaction first.
     */
    PREPARED_AFTER_COMMIT(3),
    /** A pipeline block of two statements, the second read inside it ({@link PipelineOps}). */
    PIPELINE_OK(2),
    /** A pipeline block whose division by zero nobody fetches: raised at the block's end. */
    PIPELINE_ERROR(2),
    /** A pipeline block where the statement after a failed one is fetched: {@code PipelineAborted}. */
    PIPELINE_ABORTED_FETCH(1),
    /** A pipeline block left by the sequence's exception after a statement. */
    PIPELINE_USER_EXCEPTION(1),
    /** {@code executeMany} of three runs (a pipeline of its own). */
    EXECUTE_MANY(2);

    final int weight;

    FuzzOp(int weight) {
        this.weight = weight;
    }

    /** Whether the operation hands a buffer to the API (its steps carry a buffer kind and fill). */
    boolean takesBuffer() {
        return this == COPY_OUT_READ_INTO || this == COPY_IN_WRITE_BUFFER;
    }

    /** Whether the operation runs the fuzzer's statement through the connection's prepared-statement cache. */
    boolean runsPreparedStatement() {
        return this == PREPARED_EXPLICIT || this == PREPARED_THRESHOLD_0 || this == PREPARED_THRESHOLD_1
                || this == PREPARED_THEN_DROPPED || this == PREPARED_AFTER_COMMIT;
    }
}

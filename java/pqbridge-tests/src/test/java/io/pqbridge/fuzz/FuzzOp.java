package io.pqbridge.fuzz;

/**
 * One step of a misuse sequence: a public-API operation, used the right way or the wrong way.
 * {@link PsycopgModel} says what psycopg does for each; {@link SequenceRunner} performs it. The
 * weights make the generator pick the state-changing COPY and transaction misuses often and the
 * slow ones (draining a big COPY) rarely.
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
    GC(2);

    final int weight;

    FuzzOp(int weight) {
        this.weight = weight;
    }

    /** Whether the operation hands a buffer to the API (its steps carry a buffer kind and fill). */
    boolean takesBuffer() {
        return this == COPY_OUT_READ_INTO || this == COPY_IN_WRITE_BUFFER;
    }
}

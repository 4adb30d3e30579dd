package io.pqbridge.pq;

/**
 * libpq's {@code ExecStatusType}: the kind of a {@link PgResult}. The ordinal of each constant is
 * libpq's numeric value, so the native backend maps by index and the pure-Java backend produces the
 * same constants.
 */
public enum PgExecStatus {
    /** The query string was empty. */
    EMPTY_QUERY,
    /** A command that returns no rows completed. */
    COMMAND_OK,
    /** A command that returns rows completed; the rows are in the result. */
    TUPLES_OK,
    /** COPY TO STDOUT started: read with {@link PgConn#getCopyData}. */
    COPY_OUT,
    /** COPY FROM STDIN started: write with {@link PgConn#putCopyData}. */
    COPY_IN,
    /** The server's response was not understood. */
    BAD_RESPONSE,
    /** A notice or warning (only ever given to a notice handler). */
    NONFATAL_ERROR,
    /** The command failed. */
    FATAL_ERROR,
    /** COPY BOTH (replication only). */
    COPY_BOTH,
    /** One row of a single-row-mode result. */
    SINGLE_TUPLE,
    /** Pipeline synchronisation point. */
    PIPELINE_SYNC,
    /** A command skipped because the pipeline was aborted. */
    PIPELINE_ABORTED,
    /** Some rows of a chunked-rows-mode result ({@link PgConn#setChunkedRowsMode}; libpq 17's {@code PGRES_TUPLES_CHUNK}). */
    TUPLES_CHUNK;

    private static final PgExecStatus[] BY_CODE = values();

    /**
     * {@return true for COPY_OUT, COPY_IN and COPY_BOTH: libpq hands such a result out again on
     * every {@code getResult} until the COPY ends, so a caller collecting results stops at it}
     */
    public boolean isCopy() {
        return this == COPY_OUT || this == COPY_IN || this == COPY_BOTH;
    }

    /**
     * The constant for libpq's numeric value.
     *
     * @param code libpq's {@code ExecStatusType} value
     * @return the constant of that ordinal; {@link #BAD_RESPONSE} for a value this enum does not
     *     know
     */
    public static PgExecStatus of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : BAD_RESPONSE;
    }
}

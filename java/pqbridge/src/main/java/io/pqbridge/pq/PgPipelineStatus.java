package io.pqbridge.pq;

/**
 * libpq's {@code PGpipelineStatus}, in libpq's order: whether the connection is in pipeline mode
 * ({@link PgConn#enterPipelineMode()}), and whether an error there made the server skip the
 * commands queued after it up to the next {@link PgConn#pipelineSync() sync}.
 */
public enum PgPipelineStatus {
    /** Not in pipeline mode: each command sends its own Sync and is answered before the next. */
    OFF,
    /** In pipeline mode: commands queue without waiting, results come back in order. */
    ON,
    /**
     * In pipeline mode after an error: each command queued before the next sync comes back as a
     * {@link PgExecStatus#PIPELINE_ABORTED} result; the sync's result ends this state.
     */
    ABORTED;

    private static final PgPipelineStatus[] BY_CODE = values();

    /**
     * The constant for libpq's numeric value.
     *
     * @param code libpq's {@code PGpipelineStatus} value
     * @return the constant of that ordinal; {@link #OFF} for anything out of range
     */
    public static PgPipelineStatus of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : OFF;
    }
}

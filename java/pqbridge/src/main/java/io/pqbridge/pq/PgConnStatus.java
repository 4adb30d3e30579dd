package io.pqbridge.pq;

/**
 * libpq's {@code ConnStatusType}, reduced to what a finished connect can report: a connection is
 * either usable ({@link #OK}) or not ({@link #BAD}: it failed to connect, was lost, or was closed).
 */
public enum PgConnStatus {
    /** The connection is established and usable. */
    OK,
    /** The connection failed to connect, was lost, or was closed. */
    BAD;

    /**
     * Maps libpq's numeric value.
     *
     * @param code libpq's {@code ConnStatusType} value
     * @return {@link #OK} for 0, {@link #BAD} for everything else (the in-progress states too)
     */
    public static PgConnStatus of(int code) {
        return code == 0 ? OK : BAD;
    }
}

package io.pqbridge.pq;

/**
 * libpq's {@code ConnStatusType}, reduced to what a finished connect can report: a connection is
 * either usable ({@link #OK}) or not ({@link #BAD}: it failed to connect, was lost, or was closed).
 */
public enum PgConnStatus {
    OK,
    BAD;

    /** Maps libpq's numeric value: 0 is OK, everything else (the in-progress states too) is BAD. */
    public static PgConnStatus of(int code) {
        return code == 0 ? OK : BAD;
    }
}

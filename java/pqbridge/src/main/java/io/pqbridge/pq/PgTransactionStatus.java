package io.pqbridge.pq;

/**
 * libpq's {@code PGTransactionStatusType}, in libpq's order.
 *
 * <p>{@link #ACTIVE} means "a command is in progress on the client side": from the moment a command
 * is sent until its final result has been consumed, which includes every moment of a COPY in
 * either direction. Otherwise the status is that of the server's last ReadyForQuery, and
 * {@link #UNKNOWN} once the connection is bad.
 */
public enum PgTransactionStatus {
    /** Idle, outside a transaction block. */
    IDLE,
    /**
     * A command is in progress on the client side: sent, its final result not yet consumed (COPY
     * included).
     */
    ACTIVE,
    /** Idle, inside a valid transaction block. */
    INTRANS,
    /**
     * Idle, inside a failed transaction block: the server ignores commands until the block ends.
     */
    INERROR,
    /** The connection is bad. */
    UNKNOWN;

    private static final PgTransactionStatus[] BY_CODE = values();

    /**
     * The constant for libpq's numeric value.
     *
     * @param code libpq's {@code PGTransactionStatusType} value
     * @return the constant of that ordinal; {@link #UNKNOWN} for anything out of range
     */
    public static PgTransactionStatus of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }
}

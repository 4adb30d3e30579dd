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
    IDLE,
    ACTIVE,
    INTRANS,
    INERROR,
    UNKNOWN;

    private static final PgTransactionStatus[] BY_CODE = values();

    /** The constant for libpq's numeric value; {@link #UNKNOWN} for anything out of range. */
    public static PgTransactionStatus of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }
}

package io.pqbridge;

import io.pqbridge.pq.PgTransactionStatus;

/**
 * The transaction status of a connection as libpq reports it (psycopg's
 * {@code conn.info.transaction_status}).
 *
 * <p>{@link #ACTIVE} means a command is in progress on the client side: from the moment it was sent
 * until its final result has been read. A COPY in either direction is ACTIVE until its final result
 * has been read, even when every row has been; a COPY TO STDOUT left unread keeps the connection
 * ACTIVE, and every new command is refused until it is read to the end or cancelled.
 */
public enum TransactionStatus {
    /** No transaction is open. */
    IDLE,
    /** A command is in progress (including an unfinished COPY). */
    ACTIVE,
    /** A transaction is open and usable. */
    INTRANS,
    /** A transaction is open and failed: only a rollback gets out of it. */
    INERROR,
    /** The connection is closed or broken. */
    UNKNOWN;

    static TransactionStatus of(PgTransactionStatus status) {
        return switch (status) {
            case IDLE -> IDLE;
            case ACTIVE -> ACTIVE;
            case INTRANS -> INTRANS;
            case INERROR -> INERROR;
            case UNKNOWN -> UNKNOWN;
        };
    }
}

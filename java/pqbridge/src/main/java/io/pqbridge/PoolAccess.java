package io.pqbridge;

import io.pqbridge.internal.PooledConnections;
import io.pqbridge.pq.PgConnStatus;
import io.pqbridge.pq.PgTransactionStatus;

/** {@link PooledConnections.Access} for the facade's connections. */
final class PoolAccess implements PooledConnections.Access {

    private static final int MAX_READS = 4;

    @Override
    public boolean endScope(Object conn, Throwable failure) {
        return ConnectionOpening.endScope((Connection) conn, failure, false);
    }

    @Override
    public PgTransactionStatus transactionStatus(Object conn) {
        return ((Connection) conn).pgconn.transactionStatus();
    }

    @Override
    public boolean usableWithoutRoundTrip(Object c) {
        Connection conn = (Connection) c;
        conn.lock.acquire();
        try {
            if (conn.pgconn.status() != PgConnStatus.OK) {
                return false;
            }
            if (conn.pgconn.transactionStatus() == PgTransactionStatus.IDLE && conn.pipelineInProgress() == null) {
                // a terminated backend's farewell (an ErrorResponse, which libpq reports as a notice
                // while idle) comes in one read and the socket's end in the next: read until nothing
                // is left, a few reads at most, so a stream of notifications cannot hold the caller
                for (int reads = 0; reads < MAX_READS && conn.pgconn.status() == PgConnStatus.OK; reads++) {
                    if (!conn.pgconn.awaitInput(0)) {
                        break;
                    }
                }
            }
            return conn.pgconn.status() == PgConnStatus.OK;
        } finally {
            conn.lock.release();
        }
    }
}

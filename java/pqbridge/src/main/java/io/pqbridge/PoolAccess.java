package io.pqbridge;

import io.pqbridge.internal.PooledConnections;
import io.pqbridge.pq.PgConnStatus;
import io.pqbridge.pq.PgTransactionStatus;

/** {@link PooledConnections.Access} for the facade's connections. */
final class PoolAccess implements PooledConnections.Access {

    @Override
    public void endScope(Object conn, Throwable failure) {
        ConnectionOpening.endScope((Connection) conn, failure, false);
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
                conn.pgconn.awaitInput(0);
            }
            return conn.pgconn.status() == PgConnStatus.OK;
        } finally {
            conn.lock.release();
        }
    }
}

package io.pqbridge.pool;

import io.pqbridge.Connection;
import java.util.concurrent.Future;

/**
 * A connection the pool opened, with what the pool knows of it: when it was made (a drain retires
 * the ones made before it), when it expires ({@code maxLifetime}, with jitter), when it last came
 * back (a connection idle for a while is probed before it is handed out) and, while borrowed with
 * leak detection on, the pending leak warning.
 */
final class PoolEntry {

    final Connection conn;
    final long createdAt;
    final long expireAt;
    /** Guarded by the pool's lock: written when the entry joins the idle queue. */
    long idleSince;
    /** Owned by the borrower: set at borrow, cancelled at return. */
    Future<?> leakWarning;

    PoolEntry(Connection conn, long createdAt, long expireAt) {
        this.conn = conn;
        this.createdAt = createdAt;
        this.expireAt = expireAt;
        this.idleSince = createdAt;
    }
}

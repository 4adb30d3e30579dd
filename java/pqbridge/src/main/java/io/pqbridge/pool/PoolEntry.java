package io.pqbridge.pool;

import io.pqbridge.Connection;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

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
    /** Ready for a request. */
    static final int IDLE = 0;
    /** Held by a request: {@code putconn} takes it back exactly once. */
    static final int LENT = 1;
    /** Held by the pool: new, coming back, being checked or closed. */
    static final int RETURNING = 2;

    /** {@link #IDLE}, {@link #LENT} or {@link #RETURNING}, changed by compare-and-set. */
    final AtomicInteger state = new AtomicInteger(RETURNING);
    /** Written when the entry becomes idle or is handed over; read by the next borrower. */
    volatile long idleSince;
    /** Owned by the borrower: set at borrow, cancelled at return. */
    Future<?> leakWarning;
    /** Owned by the borrower: when the connection was handed to it ({@link System#nanoTime()}), for {@code usage_ms}. */
    long lentAt;

    PoolEntry(Connection conn, long createdAt, long expireAt) {
        this.conn = conn;
        this.createdAt = createdAt;
        this.expireAt = expireAt;
        this.idleSince = createdAt;
    }
}

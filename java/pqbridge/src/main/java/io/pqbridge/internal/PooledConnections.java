package io.pqbridge.internal;

import io.pqbridge.pq.PgTransactionStatus;
import java.util.Objects;

/**
 * The bridge between the facade and {@code io.pqbridge.pool}: the pool needs two things of a
 * connection that are not API, and naming the facade's {@code Connection} here would make a package
 * cycle (the facade installs this), so connections pass as {@code Object}. {@code Connection}'s
 * class initialiser installs the implementation; the pool only holds connections it opened, so the
 * class is always initialised before the pool asks. This package is not exported.
 */
public final class PooledConnections {

    /** What the pool asks of a connection. */
    public interface Access {
        /**
         * The exit rules of psycopg's {@code with conn:} without the close: commit when
         * {@code failure} is null (a failed commit propagates), else roll back and log a failure to
         * do so. A closed connection is left alone.
         *
         * @return true when the connection was idle, with nothing to commit: then it is known to
         *     be idle without another look
         */
        boolean endScope(Object conn, Throwable failure);

        /** The connection's transaction status, read once ({@code UNKNOWN} when closed or broken). */
        PgTransactionStatus transactionStatus(Object conn);

        /**
         * Whether an idle connection is still usable, learnt without a round trip: what the server
         * already sent is read (a terminated backend's farewell, the socket's end) and the
         * connection's own state then says. False for a closed or broken connection.
         */
        boolean usableWithoutRoundTrip(Object conn);
    }

    private static volatile Access access;

    private PooledConnections() {
    }

    /** Called by {@code Connection}'s class initialiser. */
    public static void install(Access a) {
        access = Objects.requireNonNull(a);
    }

    /** The installed access; the caller holds a connection, so its class installed it. */
    public static Access access() {
        return Objects.requireNonNull(access, "io.pqbridge.Connection was not initialised");
    }
}

package io.pqbridge.cli;

import io.pqbridge.Connection;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.TestDatabase;
import io.pqbridge.testing.ThrowawayPostgres;

/**
 * The two servers {@code load --jobs} tests run against, one per way the load commits all or
 * nothing: the run's test server, which allows no prepared transactions (PostgreSQL's default:
 * the staging table is used), and a throwaway server of this class's own with
 * {@code max_prepared_transactions = 10} (two-phase commit), started on first use and deleted
 * when the JVM exits.
 */
enum LoadServers {
    STAGING, TWO_PHASE;

    private static ThrowawayPostgres twoPhase;

    /** The server's conninfo (superuser). */
    String conninfo() {
        return this == STAGING ? TestDatabase.conninfo() : twoPhaseServer().conninfo();
    }

    private static synchronized ThrowawayPostgres twoPhaseServer() {
        if (twoPhase == null) {
            ThrowawayPostgres server = ThrowawayPostgres.start();
            server.appendConfig("max_prepared_transactions = 10\n");
            server.stopImmediately();
            server.restart();
            twoPhase = server;
        }
        return twoPhase;
    }

    /** An autocommit connection to the server that checks it commits the way this constant says. */
    Connection connect(PgBackend backend) {
        Connection conn = Connection.connect(backend, conninfo());
        conn.setAutocommit(true);
        long allowed = Long.parseLong(conn.execute("SHOW max_prepared_transactions").fetchOne().getString(0));
        if ((allowed >= 2) != (this == TWO_PHASE)) {
            conn.close();
            throw new IllegalStateException("the " + this + " server allows " + allowed + " prepared transactions");
        }
        return conn;
    }

    /** What a load left behind: its prepared transactions and staging tables, by name; empty when none. */
    static String leftovers(Connection conn) {
        return conn.execute("SELECT coalesce(string_agg(gid, ', '), '') FROM pg_prepared_xacts").fetchOne().getString(0)
                + conn.execute("SELECT coalesce(string_agg(relname::text, ', '), '') FROM pg_class WHERE left(relname, 14) ="
                        + " 'pqbridge_load_'").fetchOne().getString(0);
    }
}

package io.pqbridge;

import io.pqbridge.errors.PqException;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.test.TestDatabase;
import java.util.concurrent.atomic.AtomicInteger;

/** Facade-level helpers for the behaviour tests: connections to the test server, unique names. */
final class Db {

    private static final AtomicInteger NAMES = new AtomicInteger();

    private Db() {
    }

    /** A connection to the test database on {@code backend}. */
    static Connection connect(PgBackend backend) {
        return Connection.connect(backend, TestDatabase.conninfo());
    }

    /** An autocommit connection, for setting up and checking from outside the connection under test. */
    static Connection autocommit(PgBackend backend) {
        Connection conn = connect(backend);
        conn.setAutocommit(true);
        return conn;
    }

    /** A table name no other test uses. */
    static String table(String prefix) {
        return prefix + "_" + ProcessHandle.current().pid() + "_" + NAMES.incrementAndGet();
    }

    /** True when the connection runs a trivial query (the "is it reusable" check of the outcome table). */
    static boolean selectOneWorks(Connection conn) {
        try {
            return conn.execute("SELECT 1").fetchOne().get(0).toString().equals("1");
        } catch (PqException e) {
            return false;
        }
    }

    static TransactionStatus status(Connection conn) {
        return conn.info().transactionStatus();
    }

    /** Runs statements on a separate autocommit connection. */
    static void run(PgBackend backend, String sql) {
        try (Connection other = autocommit(backend)) {
            other.execute(sql);
        }
    }

    /** The single value of a one-row, one-column query on a separate autocommit connection. */
    static Object scalar(PgBackend backend, String sql) {
        try (Connection other = autocommit(backend)) {
            return other.execute(sql).fetchOne().get(0);
        }
    }
}

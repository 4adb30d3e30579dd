package io.pqbridge;

import io.pqbridge.errors.OperationalException;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgConninfoOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Read-only properties of a connection (psycopg's {@code conn.info}). A live view: every call asks
 * the connection, takes no connection lock, and may be used from any thread.
 */
public final class ConnectionInfo {

    /** Options {@link #dsn()} leaves out: secrets, and those only meaningful to the client process. */
    private static final Set<String> HIDDEN = Set.of("password", "sslpassword");
    /** The options of {@link Connection#toString()}, as psycopg's {@code connection_summary}. */
    private static final String[] SUMMARY = {"host", "port", "dbname"};

    private final PgConn pgconn;
    private final PgBackend backend;

    ConnectionInfo(PgConn pgconn, PgBackend backend) {
        this.pgconn = pgconn;
        this.backend = backend;
    }

    /**
     * {@return the libpq transaction status; {@link TransactionStatus#UNKNOWN} on a closed
     * connection}
     */
    public TransactionStatus transactionStatus() {
        return TransactionStatus.of(pgconn.transactionStatus());
    }

    /**
     * {@return the PID of the server process serving this connection; 0 on a broken connection}
     *
     * @throws OperationalException when the connection is closed
     */
    public int backendPid() {
        checkNotClosed();
        return pgconn.backendPid();
    }

    /**
     * {@return the server version as an integer, e.g. 150018 for 15.18; 0 on a broken connection}
     *
     * @throws OperationalException when the connection is closed
     */
    public int serverVersion() {
        checkNotClosed();
        return pgconn.serverVersion();
    }

    /**
     * {@return the value of a parameter the server reported; null if not reported}
     *
     * @param name the parameter's name, e.g. {@code "server_version"}, {@code "TimeZone"}
     * @throws OperationalException when the connection is closed
     */
    public String parameterStatus(String name) {
        checkNotClosed();
        return pgconn.parameterStatus(name);
    }

    /**
     * {@return the connection string of the options set to a non-default value, password left out
     * (psycopg's {@code info.dsn}): the values that came from the connection string or the
     * environment, not libpq's compiled-in defaults}
     *
     * @throws OperationalException when the connection is closed
     */
    public String dsn() {
        checkNotClosed();
        Map<String, String> defaults = new HashMap<>();
        for (PgConninfoOption option : backend.conninfoDefaults()) {
            defaults.put(option.keyword(), option.value());
        }
        // as psycopg: libpq reports no compiled default for these two
        defaults.putIfAbsent("channel_binding", "prefer");
        defaults.put("passfile", Path.of(System.getProperty("user.home"), ".pgpass").toString());
        StringBuilder dsn = new StringBuilder();
        for (PgConninfoOption option : pgconn.conninfo()) {
            if (option.value() == null || HIDDEN.contains(option.keyword())
                    || option.value().equals(defaults.get(option.keyword()))) {
                continue;
            }
            if (dsn.length() > 0) {
                dsn.append(' ');
            }
            dsn.append(option.keyword()).append('=').append(quote(option.value()));
        }
        return dsn.toString();
    }

    @Override
    public String toString() {
        return "ConnectionInfo[" + transactionStatus() + "]";
    }

    /** {@code host=... port=... database=...} for messages; empty when closed. */
    /** psycopg's {@code connection_summary}: {@code [IDLE] (host=... port=... database=...)}. */
    static String summary(PgConn pgconn) {
        if (pgconn.isFinished() || pgconn.status() != io.pqbridge.pq.PgConnStatus.OK) {
            return "[BAD]";
        }
        return "[" + pgconn.transactionStatus() + "] (" + describe(pgconn) + ")";
    }

    static String describe(PgConn pgconn) {
        StringBuilder out = new StringBuilder();
        java.util.List<PgConninfoOption> options = pgconn.conninfo();
        for (String key : SUMMARY) {
            for (PgConninfoOption option : options) {
                if (option.keyword().equals(key) && option.value() != null && !option.value().isEmpty()) {
                    if (out.length() > 0) {
                        out.append(' ');
                    }
                    out.append(key.equals("dbname") ? "database" : key).append('=').append(option.value());
                }
            }
        }
        return out.toString();
    }

    private void checkNotClosed() {
        if (pgconn.isFinished()) {
            throw new OperationalException("the connection is closed");
        }
    }

    /** A conninfo value: bare when it can be, else single-quoted with {@code \} escapes (libpq's rules). */
    private static String quote(String value) {
        boolean bare = !value.isEmpty();
        for (int i = 0; i < value.length() && bare; i++) {
            char c = value.charAt(i);
            bare = !Character.isWhitespace(c) && c != '\'' && c != '\\' && c != '=';
        }
        if (bare) {
            return value;
        }
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}

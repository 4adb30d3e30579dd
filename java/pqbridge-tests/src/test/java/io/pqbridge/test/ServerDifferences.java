package io.pqbridge.test;

import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.Pq;

/**
 * What the behaviour suites assert differently by the major version of the server under test, one
 * method per real server change, each naming the release it came in. The server matrix runs the
 * suites on PostgreSQL 13 to 18: a test whose expectation depends on the server asks here rather
 * than skipping on the versions it does not match.
 */
public final class ServerDifferences {

    private static final int MAJOR = probeMajor();

    private ServerDifferences() {
    }

    private static int probeMajor() {
        try (PgConn conn = Spi.connect(Pq.backend("java"))) {
            return conn.serverVersion() / 10000;
        }
    }

    /** {@return the major version of the test server: 13 for 13.16} */
    public static int major() {
        return MAJOR;
    }

    /**
     * PostgreSQL 14 names the bind parameter that failed to convert in a CONTEXT line (with
     * {@code log_parameter_max_length_on_error} at its default 0, the value shows as '...').
     *
     * @return the line as the message's tail, from the newline on, or "" before 14
     */
    public static String portalParameterContext(int parameter) {
        return MAJOR >= 14 ? "\nCONTEXT:  unnamed portal parameter $" + parameter + " = '...'" : "";
    }

    /**
     * How pg_hba.conf's rejection names a connection without TLS: "SSL off" until 13, "no
     * encryption" from 14, when GSSAPI encryption made TLS one encryption of two.
     */
    public static String hbaUnencrypted() {
        return MAJOR >= 14 ? "no encryption" : "SSL off";
    }

    /**
     * PostgreSQL 18 reports {@code search_path} to the client (a ParameterStatus at startup and on
     * change); before, libpq knows no value for it.
     *
     * @return the default search path as reported, or null before 18
     */
    public static String reportedSearchPath() {
        return MAJOR >= 18 ? "\"$user\", public" : null;
    }
}

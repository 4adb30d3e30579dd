package io.pqbridge;

import io.pqbridge.errors.Errors;
import io.pqbridge.errors.OperationalException;

/**
 * The facade's sends on a connection's SPI, with libpq's refusal to send turned into the facade's
 * error. Callers hold the connection's lock.
 */
final class Sending {

    private Sending() {
    }

    /** Sends with the simple protocol. */
    static void query(Connection conn, String sql) {
        if (!conn.pgconn.sendQuery(sql)) {
            throw failed(conn, "sending query failed");
        }
    }

    /** Sends with the extended protocol. */
    static void queryParams(Connection conn, String sql, int[] types, byte[][] values, int[] formats,
            int resultFormat) {
        if (!conn.pgconn.sendQueryParams(sql, types, values, formats, resultFormat)) {
            throw failed(conn, "sending query and params failed");
        }
    }

    /**
     * The error for a command libpq refused to send: {@code what}, then libpq's reason. While a
     * COPY TO STDOUT left unread keeps the connection busy, a second line says which COPY it is
     * and how to get out.
     */
    static OperationalException failed(Connection conn, String what) {
        String message = what + ": " + Errors.cleanMessage(conn.pgconn.errorMessage());
        if (message.contains("another command is already in progress") || message.contains("connection not idle")) {
            message += ResultReading.stuckCopyHint(conn.unfinishedCopy);
        }
        return new OperationalException(message);
    }
}

package io.pqbridge;

import io.pqbridge.pq.PgResult;

/** Glue between the facade and the adaptation layer (temporary until io.pqbridge.adapt lands). */
final class Statements {

    private Statements() {
    }

    static void sendBound(Connection conn, String sql, Object params) {
        throw new NotSupportedException("parameters need io.pqbridge.adapt");
    }

    static String mergeLiterals(Connection conn, String sql, Object params) {
        throw new NotSupportedException("parameters need io.pqbridge.adapt");
    }

    static Object[] loadRow(Connection conn, PgResult result, int row) {
        Object[] values = new Object[result.nfields()];
        for (int i = 0; i < values.length; i++) {
            values[i] = result.text(row, i);
        }
        return values;
    }
}

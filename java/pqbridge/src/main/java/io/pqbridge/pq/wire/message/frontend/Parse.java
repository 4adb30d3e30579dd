package io.pqbridge.pq.wire.message.frontend;

/**
 * Parse ('P'): a statement name, the query, and parameter type OIDs. As libpq, the types are sent
 * only when there are parameters and types were given; a missing type is 0 (server infers).
 */
public final class Parse {

    public static final byte TYPE = 'P';

    private Parse() {
    }

    public static void encode(OutputBuffer out, String statement, String sql, int parameterCount, int[] typeOids) {
        int at = out.begin(TYPE);
        out.cstring(statement).cstring(sql);
        if (parameterCount > 0 && typeOids != null) {
            out.int16(parameterCount);
            for (int i = 0; i < parameterCount; i++) {
                out.int32(i < typeOids.length ? typeOids[i] : 0);
            }
        } else {
            out.int16(0);
        }
        out.end(at);
    }
}

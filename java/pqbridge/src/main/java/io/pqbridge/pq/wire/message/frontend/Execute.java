package io.pqbridge.pq.wire.message.frontend;

/** Execute ('E'): runs a portal; libpq always asks for every row (0). */
public final class Execute {

    public static final byte TYPE = 'E';

    private Execute() {
    }

    public static void encode(OutputBuffer out, String portal, int maxRows) {
        int at = out.begin(TYPE);
        out.cstring(portal).int32(maxRows);
        out.end(at);
    }
}

package io.pqbridge.pq.wire.message.frontend;

/** Query ('Q'): a simple-protocol query string. */
public final class Query {

    public static final byte TYPE = 'Q';

    private Query() {
    }

    public static void encode(OutputBuffer out, String sql) {
        int at = out.begin(TYPE);
        out.cstring(sql);
        out.end(at);
    }
}

package io.pqbridge.pq.wire.message.frontend;

/** Close ('C'): closes {@code 'S'} a prepared statement or {@code 'P'} a portal, by name. */
public final class Close {

    public static final byte TYPE = 'C';

    private Close() {
    }

    public static void encode(OutputBuffer out, char kind, String name) {
        int at = out.begin(TYPE);
        out.int8(kind).cstring(name);
        out.end(at);
    }
}

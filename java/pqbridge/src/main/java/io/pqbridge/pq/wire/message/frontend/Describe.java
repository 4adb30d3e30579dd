package io.pqbridge.pq.wire.message.frontend;

/** Describe ('D'): {@code 'S'} a prepared statement or {@code 'P'} a portal, by name. */
public final class Describe {

    public static final byte TYPE = 'D';

    private Describe() {
    }

    public static void encode(OutputBuffer out, char kind, String name) {
        int at = out.begin(TYPE);
        out.int8(kind).cstring(name);
        out.end(at);
    }
}

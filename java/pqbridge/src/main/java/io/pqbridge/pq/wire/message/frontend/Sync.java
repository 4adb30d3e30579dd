package io.pqbridge.pq.wire.message.frontend;

/** Sync ('S'): ends an extended-protocol cycle; the server answers ReadyForQuery. */
public final class Sync {

    public static final byte TYPE = 'S';

    private Sync() {
    }

    public static void encode(OutputBuffer out) {
        out.end(out.begin(TYPE));
    }
}

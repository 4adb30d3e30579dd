package io.pqbridge.pq.wire.message.frontend;

/** Terminate ('X'): the client is closing the connection. */
public final class Terminate {

    public static final byte TYPE = 'X';

    private Terminate() {
    }

    public static void encode(OutputBuffer out) {
        out.end(out.begin(TYPE));
    }
}

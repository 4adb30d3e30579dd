package io.pqbridge.pq.wire.message.frontend;

/** Flush ('H'): asks the server to send what it has buffered. */
public final class Flush {

    public static final byte TYPE = 'H';

    private Flush() {
    }

    public static void encode(OutputBuffer out) {
        out.end(out.begin(TYPE));
    }
}

package io.pqbridge.pq.wire.message.frontend;

/** CopyDone ('c') from the client: the end of COPY IN data. */
public final class CopyDone {

    public static final byte TYPE = 'c';

    private CopyDone() {
    }

    public static void encode(OutputBuffer out) {
        out.end(out.begin(TYPE));
    }
}

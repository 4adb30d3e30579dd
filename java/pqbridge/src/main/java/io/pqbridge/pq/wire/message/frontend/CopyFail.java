package io.pqbridge.pq.wire.message.frontend;

/** CopyFail ('f'): aborts COPY IN; the server fails the COPY with this text. */
public final class CopyFail {

    public static final byte TYPE = 'f';

    private CopyFail() {
    }

    public static void encode(OutputBuffer out, String reason) {
        int at = out.begin(TYPE);
        out.cstring(reason);
        out.end(at);
    }
}

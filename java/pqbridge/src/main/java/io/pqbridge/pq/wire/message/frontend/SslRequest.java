package io.pqbridge.pq.wire.message.frontend;

/** SSLRequest: asks the server to switch to TLS; it answers one byte, 'S' or 'N'. */
public final class SslRequest {

    public static final int CODE = 80877103;

    private SslRequest() {
    }

    public static void encode(OutputBuffer out) {
        int at = out.beginUntyped();
        out.int32(CODE);
        out.endUntyped(at);
    }
}

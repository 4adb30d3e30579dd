package io.pqbridge.pq.wire.message.frontend;

/** CancelRequest: sent alone on a new connection, quoting the BackendKeyData; the server answers nothing. */
public final class CancelRequest {

    public static final int CODE = 80877102;

    private CancelRequest() {
    }

    public static void encode(OutputBuffer out, int processId, int secretKey) {
        int at = out.beginUntyped();
        out.int32(CODE).int32(processId).int32(secretKey);
        out.end(at);
    }
}

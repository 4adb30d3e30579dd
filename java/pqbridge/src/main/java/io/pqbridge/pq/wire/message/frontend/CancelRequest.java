package io.pqbridge.pq.wire.message.frontend;

/**
 * CancelRequest: sent alone on a new connection, quoting the BackendKeyData (its key of 4 bytes,
 * or up to 256 in protocol 3.2); the server answers nothing.
 */
public final class CancelRequest {

    public static final int CODE = 80877102;

    private CancelRequest() {
    }

    public static void encode(OutputBuffer out, int processId, byte[] secretKey) {
        int at = out.beginUntyped();
        out.int32(CODE).int32(processId).bytes(secretKey, 0, secretKey.length);
        out.endUntyped(at);
    }
}

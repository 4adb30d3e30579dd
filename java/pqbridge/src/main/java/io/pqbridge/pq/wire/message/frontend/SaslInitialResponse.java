package io.pqbridge.pq.wire.message.frontend;

/** SASLInitialResponse ('p'): the chosen mechanism and the client-first message (length -1 when none). */
public final class SaslInitialResponse {

    private SaslInitialResponse() {
    }

    public static void encode(OutputBuffer out, String mechanism, byte[] initialResponse) {
        int at = out.begin(PasswordMessage.TYPE);
        out.cstring(mechanism);
        if (initialResponse == null) {
            out.int32(-1);
        } else {
            out.int32(initialResponse.length).bytes(initialResponse, 0, initialResponse.length);
        }
        out.end(at);
    }
}

package io.pqbridge.pq.wire.message.frontend;

/** SASLResponse ('p'): raw SASL data (the client-final message). */
public final class SaslResponse {

    private SaslResponse() {
    }

    public static void encode(OutputBuffer out, byte[] data) {
        int at = out.begin(PasswordMessage.TYPE);
        out.bytes(data, 0, data.length);
        out.end(at);
    }
}

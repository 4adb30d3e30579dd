package io.pqbridge.pq.wire.auth;

/**
 * libpq 18's {@code scram_client_key} and {@code scram_server_key}: a SCRAM-SHA-256 ClientKey and
 * ServerKey given instead of a password (postgres_fdw and dblink pass a login on this way). With
 * the client key the client proves it knows the password without having it; with the server key
 * it checks the server's signature. A key not given is derived from the password as usual.
 *
 * <p>Both are base64 (PostgreSQL's strict decoder: no whitespace, padding only at the end) of
 * exactly 32 bytes, checked when the options are settled, with libpq's texts.
 *
 * @param clientKey the decoded client key, or null
 * @param serverKey the decoded server key, or null
 */
public record ScramKeys(byte[] clientKey, byte[] serverKey) {

    /** Neither key given. */
    public static final ScramKeys NONE = new ScramKeys(null, null);

    private static final int KEY_LENGTH = 32;

    /**
     * Decodes the two options.
     *
     * @throws IllegalArgumentException with libpq's text when one is not base64 or not 32 bytes
     */
    public static ScramKeys of(String clientKey, String serverKey) {
        if (clientKey == null && serverKey == null) {
            return NONE;
        }
        return new ScramKeys(decode(clientKey, "client"), decode(serverKey, "server"));
    }

    private static byte[] decode(String encoded, String which) {
        if (encoded == null) {
            return null;
        }
        byte[] key = ScramClient.pgBase64Decode(encoded);
        if (key == null) {
            throw new IllegalArgumentException("invalid SCRAM " + which + " key");
        }
        if (key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("invalid SCRAM " + which + " key length: " + key.length);
        }
        return key;
    }

    /** Never shows the keys, which are password equivalents. */
    @Override
    public String toString() {
        return "ScramKeys[clientKey=" + (clientKey == null ? "none" : "given") + ", serverKey="
                + (serverKey == null ? "none" : "given") + "]";
    }
}

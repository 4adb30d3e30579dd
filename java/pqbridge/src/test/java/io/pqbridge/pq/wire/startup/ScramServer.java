package io.pqbridge.pq.wire.startup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server's side of one SCRAM-SHA-256 exchange (RFC 5802), computed from a known password,
 * salt, iteration count and the client's nonce with the JDK's own PBKDF2, independently of the
 * client under test: the messages a server sends, and the exact client-final message a correct
 * client answers with. The password must be ASCII (SASLprep leaves it alone).
 */
final class ScramServer {

    private final byte[] saltedPassword;
    private final byte[] salt;
    private final int iterations;
    private final String serverNonce;

    ScramServer(String password, byte[] salt, int iterations, String serverNonce) throws Exception {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
        this.saltedPassword = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        this.salt = salt.clone();
        this.iterations = iterations;
        this.serverNonce = serverNonce;
    }

    /** The server-first message for a client that sent {@code clientNonce}. */
    String serverFirst(String clientNonce) {
        return "r=" + clientNonce + serverNonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + iterations;
    }

    /**
     * The client-final message a correct client sends.
     *
     * @param gs2Header the client-first message's GS2 header ({@code n,,}, {@code y,,} or {@code p=tls-server-end-point,,})
     * @param bindingData the tls-server-end-point data for PLUS, else an empty array
     */
    String clientFinal(String clientNonce, String gs2Header, byte[] bindingData) throws Exception {
        String withoutProof = withoutProof(clientNonce, gs2Header, bindingData);
        byte[] clientKey = hmac(saltedPassword, "Client Key");
        byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
        byte[] signature = hmac(storedKey, authMessage(clientNonce, withoutProof));
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    /** The server-final message (the server's signature) for that client-final message. */
    String serverFinal(String clientNonce, String gs2Header, byte[] bindingData) throws Exception {
        String withoutProof = withoutProof(clientNonce, gs2Header, bindingData);
        byte[] serverKey = hmac(saltedPassword, "Server Key");
        return "v=" + Base64.getEncoder().encodeToString(hmac(serverKey, authMessage(clientNonce, withoutProof)));
    }

    private String withoutProof(String clientNonce, String gs2Header, byte[] bindingData) {
        byte[] header = gs2Header.getBytes(StandardCharsets.US_ASCII);
        byte[] binding = new byte[header.length + bindingData.length];
        System.arraycopy(header, 0, binding, 0, header.length);
        System.arraycopy(bindingData, 0, binding, header.length, bindingData.length);
        return "c=" + Base64.getEncoder().encodeToString(binding) + ",r=" + clientNonce + serverNonce;
    }

    private String authMessage(String clientNonce, String clientFinalWithoutProof) {
        return "n=,r=" + clientNonce + "," + serverFirst(clientNonce) + "," + clientFinalWithoutProof;
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.ISO_8859_1));
    }
}

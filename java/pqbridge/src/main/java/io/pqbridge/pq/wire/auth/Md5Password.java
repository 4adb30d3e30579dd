package io.pqbridge.pq.wire.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The answer to AuthenticationMD5Password: {@code "md5" + hex(md5(hex(md5(password || user)) || salt))},
 * the password and user name taken as UTF-8 bytes (libpq sends the bytes it was given; Java strings
 * become UTF-8). The caller sends it in a PasswordMessage with a terminating NUL.
 */
public final class Md5Password {

    private Md5Password() {
    }

    /**
     * @param user the user name of the startup message
     * @param salt the 4 bytes of the server's request
     */
    public static String response(String user, String password, byte[] salt) {
        String inner = md5Hex(concat(password.getBytes(StandardCharsets.UTF_8), user.getBytes(StandardCharsets.UTF_8)));
        return "md5" + md5Hex(concat(inner.getBytes(StandardCharsets.US_ASCII), salt));
    }

    private static String md5Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5, which every Java runtime must provide", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}

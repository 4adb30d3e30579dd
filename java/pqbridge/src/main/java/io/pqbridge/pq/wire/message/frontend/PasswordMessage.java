package io.pqbridge.pq.wire.message.frontend;

/** PasswordMessage ('p'): a cleartext password or an "md5..." hash, NUL-terminated. */
public final class PasswordMessage {

    public static final byte TYPE = 'p';

    private PasswordMessage() {
    }

    public static void encode(OutputBuffer out, String password) {
        int at = out.begin(TYPE);
        out.cstring(password);
        out.end(at);
    }
}

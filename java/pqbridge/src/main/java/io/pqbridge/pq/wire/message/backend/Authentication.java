package io.pqbridge.pq.wire.message.backend;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * AuthenticationRequest ('R'): the request code and the bytes that follow it (the MD5 salt, the
 * SASL mechanism list, or SASL data).
 */
public record Authentication(int code, byte[] data) implements BackendMessage {

    public static final byte TYPE = 'R';

    public static final int OK = 0;
    public static final int KERBEROS_V5 = 2;
    public static final int CLEARTEXT_PASSWORD = 3;
    public static final int MD5_PASSWORD = 5;
    public static final int SCM_CREDENTIAL = 6;
    public static final int GSS = 7;
    public static final int GSS_CONTINUE = 8;
    public static final int SSPI = 9;
    public static final int SASL = 10;
    public static final int SASL_CONTINUE = 11;
    public static final int SASL_FINAL = 12;

    static Authentication decode(MessageCursor in) throws MalformedMessageException {
        int code = in.int32();
        return new Authentication(code, in.bytes(in.remaining()));
    }

    /** The 4-byte salt of {@link #MD5_PASSWORD}. */
    public byte[] md5Salt() throws MalformedMessageException {
        if (data.length < 4) {
            throw MalformedMessageException.insufficientData(TYPE);
        }
        return java.util.Arrays.copyOf(data, 4);
    }

    /** The mechanism names of {@link #SASL}: NUL-terminated strings ending with an empty one. */
    public List<String> saslMechanisms() throws MalformedMessageException {
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == 0) {
                if (i == start) {
                    return names;
                }
                names.add(new String(data, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        throw MalformedMessageException.insufficientData(TYPE);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Authentication a && a.code == code && java.util.Arrays.equals(a.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * code + java.util.Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Authentication[code=" + code + ", " + data.length + " bytes]";
    }
}

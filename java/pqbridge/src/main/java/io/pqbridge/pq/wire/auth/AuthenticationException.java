package io.pqbridge.pq.wire.auth;

/**
 * An authentication step failed on the client side; the message is libpq's text for that failure,
 * without the trailing newline libpq adds when it appends the text to the connection's error
 * message (the caller adds it, after the per-attempt prefix). A message may span several lines,
 * as some of libpq's do.
 */
public final class AuthenticationException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * libpq's text when the server asks for a password (cleartext, MD5 or SASL) and none is
     * available: no {@code password} option, no {@code PGPASSWORD}, no passfile entry, or an empty
     * one.
     */
    public static final String NO_PASSWORD_SUPPLIED = "fe_sendauth: no password supplied";

    public AuthenticationException(String libpqMessage) {
        super(libpqMessage);
    }
}

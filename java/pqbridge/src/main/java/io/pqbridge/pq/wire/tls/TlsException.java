package io.pqbridge.pq.wire.tls;

/**
 * Setting up TLS failed; the message is libpq's text for that failure, without the trailing
 * newline libpq adds when it appends the text to the connection's error message (the caller adds
 * it, after the per-attempt prefix). A message may span several lines, as some of libpq's do.
 */
public final class TlsException extends Exception {
    private static final long serialVersionUID = 1L;

    public TlsException(String libpqMessage) {
        super(libpqMessage);
    }

    TlsException(String libpqMessage, Throwable cause) {
        super(libpqMessage, cause);
    }
}

package io.pqbridge.pq.wire.conninfo;

/**
 * The connection options are unusable; the message is libpq's text for it without the trailing
 * newline (for example {@code invalid connection option "foo"}). libpq reports these before any
 * connection attempt, so they carry no per-attempt prefix.
 */
public final class ConninfoException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConninfoException(String libpqMessage) {
        super(libpqMessage, null, false, false);
    }
}

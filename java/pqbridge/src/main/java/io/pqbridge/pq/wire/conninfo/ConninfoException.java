package io.pqbridge.pq.wire.conninfo;

/**
 * The connection options are unusable; the message is libpq's text for it without the trailing
 * newline (for example {@code invalid connection option "foo"}). libpq reports these before any
 * connection attempt, so they carry no per-attempt prefix.
 */
public final class ConninfoException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The options as far as libpq had settled them when the problem was found; null for a syntax error. */
    private final transient ConnectionOptions settledSoFar;

    public ConninfoException(String libpqMessage) {
        this(libpqMessage, null);
    }

    ConninfoException(String libpqMessage, ConnectionOptions settledSoFar) {
        super(libpqMessage, null, false, false);
        this.settledSoFar = settledSoFar;
    }

    /**
     * The options libpq had settled before this problem (its PGconn keeps them, so PQconninfo
     * still lists them), or null when the string itself could not be parsed.
     */
    public ConnectionOptions settledSoFar() {
        return settledSoFar;
    }
}

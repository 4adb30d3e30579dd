package io.pqbridge.pq.wire.auth;

import io.pqbridge.pq.wire.tls.TlsException;
import io.pqbridge.pq.wire.tls.TlsSession;

/**
 * What SCRAM needs to know of the connection's TLS, as facts rather than a socket: whether TLS is
 * in use, and the tls-server-end-point channel-binding data (RFC 5929: the hash of the server
 * certificate) that SCRAM-SHA-256-PLUS binds to.
 *
 * <p>The data is taken when the value is made, but a failure to make it (a certificate signed
 * with an algorithm the binding has no hash for, such as Ed25519) is kept and reported only when
 * {@link #hash()} is asked: libpq reports it only once SCRAM-SHA-256-PLUS needs the data, and a
 * connection that never binds must not fail over it. Immutable.
 */
public final class TlsEndPoint {

    /** A connection without TLS: SCRAM cannot bind, and must not be offered PLUS. */
    public static final TlsEndPoint NO_TLS = new TlsEndPoint(false, null, null);

    private final boolean inUse;
    private final byte[] hash;
    private final String failure;

    private TlsEndPoint(boolean inUse, byte[] hash, String failure) {
        this.inUse = inUse;
        this.hash = hash;
        this.failure = failure;
    }

    /** The end point of {@code session}; {@link #NO_TLS} when it is null (a plain connection). */
    public static TlsEndPoint of(TlsSession session) {
        if (session == null) {
            return NO_TLS;
        }
        try {
            return hashed(session.tlsServerEndPoint());
        } catch (TlsException e) {
            return new TlsEndPoint(true, null, e.getMessage());
        }
    }

    /** A TLS connection whose server certificate hashes to {@code hash}. */
    public static TlsEndPoint hashed(byte[] hash) {
        return new TlsEndPoint(true, hash.clone(), null);
    }

    public boolean inUse() {
        return inUse;
    }

    /**
     * The channel-binding data.
     *
     * @throws AuthenticationException with libpq's text when the certificate gives none
     * @throws IllegalStateException on {@link #NO_TLS}, which has none: SCRAM asks only over TLS
     */
    public byte[] hash() throws AuthenticationException {
        if (!inUse) {
            throw new IllegalStateException("no channel-binding data without TLS: SCRAM-SHA-256-PLUS needs a TLS connection");
        }
        if (failure != null) {
            throw new AuthenticationException(failure);
        }
        return hash.clone();
    }
}

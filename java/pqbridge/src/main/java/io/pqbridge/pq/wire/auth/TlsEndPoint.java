package io.pqbridge.pq.wire.auth;

import io.pqbridge.pq.wire.tls.TlsException;
import io.pqbridge.pq.wire.tls.TlsSession;

/**
 * What authentication needs to know of the connection's TLS, as facts rather than a socket:
 * whether TLS is in use, the tls-server-end-point channel-binding data (RFC 5929: the hash of the
 * server certificate) that SCRAM-SHA-256-PLUS binds to, and whether the server asked for a
 * client certificate and one was sent ({@code sslcertmode=require} checks them).
 *
 * <p>The data is taken when the value is made, but a failure to make it (a certificate signed
 * with an algorithm the binding has no hash for, such as Ed25519) is kept and reported only when
 * {@link #hash()} is asked: libpq reports it only once SCRAM-SHA-256-PLUS needs the data, and a
 * connection that never binds must not fail over it. Immutable.
 */
public final class TlsEndPoint {

    /** A connection without TLS: SCRAM cannot bind, and must not be offered PLUS. */
    public static final TlsEndPoint NO_TLS = new TlsEndPoint(false, null, null, false, false);

    private final boolean inUse;
    private final byte[] hash;
    private final String failure;
    private final boolean certificateRequested;
    private final boolean certificateSent;

    private TlsEndPoint(boolean inUse, byte[] hash, String failure, boolean certificateRequested,
            boolean certificateSent) {
        this.inUse = inUse;
        this.hash = hash;
        this.failure = failure;
        this.certificateRequested = certificateRequested;
        this.certificateSent = certificateSent;
    }

    /** The end point of {@code session}; {@link #NO_TLS} when it is null (a plain connection). */
    public static TlsEndPoint of(TlsSession session) {
        if (session == null) {
            return NO_TLS;
        }
        boolean requested = session.clientCertificateRequested();
        boolean sent = session.clientCertificateSent();
        try {
            return new TlsEndPoint(true, session.tlsServerEndPoint().clone(), null, requested, sent);
        } catch (TlsException e) {
            return new TlsEndPoint(true, null, e.getMessage(), requested, sent);
        }
    }

    /** A TLS connection whose server certificate hashes to {@code hash}. */
    public static TlsEndPoint hashed(byte[] hash) {
        return new TlsEndPoint(true, hash.clone(), null, false, false);
    }

    public boolean inUse() {
        return inUse;
    }

    /** {@return whether the server asked for a client certificate in the handshake} */
    public boolean certificateRequested() {
        return certificateRequested;
    }

    /** {@return whether the client sent one} */
    public boolean certificateSent() {
        return certificateSent;
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

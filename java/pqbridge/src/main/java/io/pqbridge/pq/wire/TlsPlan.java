package io.pqbridge.pq.wire;

import io.pqbridge.pq.wire.tls.SslMode;

/**
 * Whether a connection attempt asks for TLS, and what libpq does next when it cannot have what it
 * asked for: sslmode as PQconnectPoll walks it on one address ({@code allow_ssl_try} and
 * {@code wait_ssl_try} in libpq, here one value with a name).
 *
 * <p>A server that declines TLS ('N') lets the attempt go on in plain on the same connection
 * unless the plan is {@link #TLS_REQUIRED}; the attempt's plan is then {@link #PLAIN}. A plan with
 * a {@link #fallback()} gets a second attempt, on a new connection, when the first one's TLS
 * handshake fails or the server rejects the first one during authentication.
 */
enum TlsPlan {
    /** No SSLRequest: sslmode=disable, a Unix socket, prefer's second attempt, or after an 'N'. */
    PLAIN,
    /** sslmode=allow: plain first; if the server rejects that, a new attempt with TLS. */
    PLAIN_THEN_TLS,
    /** allow's second attempt: TLS unless the server declines it; no further attempt. */
    TLS_IF_SUPPORTED,
    /** sslmode=prefer: TLS unless declined; a new plain attempt if TLS fails or is rejected. */
    TLS_THEN_PLAIN,
    /** require, verify-ca, verify-full: TLS or nothing. */
    TLS_REQUIRED;

    static TlsPlan of(SslMode mode) {
        return switch (mode) {
            case DISABLE -> PLAIN;
            case ALLOW -> PLAIN_THEN_TLS;
            case PREFER -> TLS_THEN_PLAIN;
            case REQUIRE, VERIFY_CA, VERIFY_FULL -> TLS_REQUIRED;
        };
    }

    /** The attempt sends SSLRequest. */
    boolean requestsTls() {
        return this == TLS_IF_SUPPORTED || this == TLS_THEN_PLAIN || this == TLS_REQUIRED;
    }

    /** The plan of the next attempt on the same address when this one fails as the class comment says; null if none. */
    TlsPlan fallback() {
        return switch (this) {
            case PLAIN_THEN_TLS -> TLS_IF_SUPPORTED;
            case TLS_THEN_PLAIN -> PLAIN;
            default -> null;
        };
    }
}

/**
 * TLS for the java backend through JSSE, set up and verified as libpq 15 sets up OpenSSL, with
 * libpq's (and OpenSSL's) texts.
 *
 * <p>How a connection uses it (the startup flow owns SSLRequest and the sslmode retries):
 * {@link io.pqbridge.pq.wire.tls.TlsOptions#fromConninfo} once per connection, before any
 * attempt (invalid values fail there); on 'S', {@link io.pqbridge.pq.wire.tls.TlsSession#handshake}
 * on the plain socket; then all traffic through {@link io.pqbridge.pq.wire.tls.TlsSession#socket()},
 * naming failures with {@link io.pqbridge.pq.wire.tls.TlsSession#transferFailure} and
 * {@link io.pqbridge.pq.wire.tls.TlsSession#endOfStreamMessage()}.
 */
package io.pqbridge.pq.wire.tls;

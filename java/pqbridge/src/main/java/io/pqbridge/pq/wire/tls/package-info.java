/**
 * TLS for the java backend through JSSE's {@code SSLEngine}, set up and verified as libpq 15 sets
 * up OpenSSL, with libpq's (and OpenSSL's) texts.
 *
 * <p>How a connection uses it (the startup flow owns SSLRequest, the waits and the sslmode
 * retries): {@link io.pqbridge.pq.wire.tls.TlsOptions#fromConninfo} once per connection, before
 * any attempt (invalid values fail there); on 'S', {@link io.pqbridge.pq.wire.tls.TlsHandshake#begin}
 * on the plain non-blocking channel and {@link io.pqbridge.pq.wire.tls.TlsHandshake#advance} until
 * it is done; then all traffic through the {@link io.pqbridge.pq.wire.tls.TlsSession}'s
 * non-blocking {@code read} and {@code write}, naming failures with
 * {@link io.pqbridge.pq.wire.tls.TlsSession#transferFailure} and
 * {@link io.pqbridge.pq.wire.tls.TlsSession#endOfStreamMessage()}.
 */
package io.pqbridge.pq.wire.tls;

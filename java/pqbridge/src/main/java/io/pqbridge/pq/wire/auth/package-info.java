/**
 * Client authentication of the java backend, as libpq 15 answers each Authentication request.
 *
 * <p>How a connection attempt uses it ({@code io.pqbridge.pq.wire.startup.StartupExchange} owns the
 * messages):
 * <ul>
 *   <li>every request: {@link io.pqbridge.pq.wire.auth.ChannelBinding#checkRequest} first;</li>
 *   <li>3 (cleartext): send the password; 5 (MD5): {@link io.pqbridge.pq.wire.auth.Md5Password#response};
 *       no password for either: {@link io.pqbridge.pq.wire.auth.AuthenticationException#NO_PASSWORD_SUPPLIED};</li>
 *   <li>10 (SASL): {@link io.pqbridge.pq.wire.auth.ScramClient#start} with the connection's
 *       {@link io.pqbridge.pq.wire.auth.TlsEndPoint}, then SASLInitialResponse;
 *       11 and 12: {@link io.pqbridge.pq.wire.auth.ScramClient#exchange}, then SASLResponse if it
 *       returned data.</li>
 * </ul>
 * Every failure is an {@link io.pqbridge.pq.wire.auth.AuthenticationException} whose message is
 * libpq's text without its trailing newline.
 */
package io.pqbridge.pq.wire.auth;

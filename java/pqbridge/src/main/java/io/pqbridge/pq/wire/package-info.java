/**
 * The {@code java} backend: the PostgreSQL wire protocol in Java, behaving as libpq 15 does
 * and as the {@code native} backend does on top of it.
 *
 * <p>{@link io.pqbridge.pq.wire.WireBackend} connects ({@code Connector}: conninfo, hosts,
 * TLS negotiation, authentication, startup) and hands out {@code WirePgConn}, whose steps
 * ({@code WireSteps}) run the same loops the native shim runs over libpq, under the blocking
 * layer both backends share ({@code io.pqbridge.pq.blocking}). The libpq client state they drive
 * is {@code ProtocolCore}, which does no I/O (it is fed bytes and asked for bytes to send);
 * {@code ProtocolMachine} runs libpq's functions over it, with {@code SocketIo} moving the bytes
 * through a {@code Transport}. Messages are in {@code io.pqbridge.pq.wire.message}, options in
 * {@code io.pqbridge.pq.wire.conninfo}, authentication and TLS in {@code wire.auth} and
 * {@code wire.tls}. Nothing here loads native code.
 */
package io.pqbridge.pq.wire;

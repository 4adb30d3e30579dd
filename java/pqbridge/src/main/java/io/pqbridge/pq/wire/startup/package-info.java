/**
 * Connection start-up without I/O: the decisions of libpq's {@code PQconnectPoll} that need no
 * socket, each given facts and bytes and answering what to do next, so they are unit-tested on
 * canned byte streams. {@link io.pqbridge.pq.wire.startup.StartupExchange} is the StartupMessage
 * and the authentication exchange up to AuthenticationOk (its inputs:
 * {@link io.pqbridge.pq.wire.startup.StartupParameters} and
 * {@link io.pqbridge.pq.wire.startup.Login}); {@link io.pqbridge.pq.wire.startup.TargetServerCheck}
 * is the target_session_attrs decision. The connector in {@code io.pqbridge.pq.wire} reads,
 * sends, waits, keeps connect_timeout and chooses the next host; the session's own startup
 * messages (ParameterStatus, BackendKeyData, notices, ReadyForQuery) are parsed by its protocol
 * state, as libpq parses them.
 */
package io.pqbridge.pq.wire.startup;

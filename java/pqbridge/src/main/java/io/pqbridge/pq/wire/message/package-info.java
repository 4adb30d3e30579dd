/**
 * The PostgreSQL protocol 3.0 messages, one small type per message, split like r2dbc-postgresql's
 * layout: {@link io.pqbridge.pq.wire.message.backend} (server to client, decoded by a switch on the
 * type byte) and {@link io.pqbridge.pq.wire.message.frontend} (client to server, encoded into an
 * {@link io.pqbridge.pq.wire.message.frontend.OutputBuffer}). No type here knows about sockets or
 * conversation state; the flows in {@code io.pqbridge.pq.wire} do.
 */
package io.pqbridge.pq.wire.message;

/**
 * Backend (server to client) messages and their decoder
 * ({@link io.pqbridge.pq.wire.message.backend.BackendMessageDecoder}). Strings are UTF-8, the only
 * client encoding the java backend speaks. Messages that carry bulk data
 * ({@link io.pqbridge.pq.wire.message.backend.DataRow},
 * {@link io.pqbridge.pq.wire.message.backend.CopyData}) are views into the input buffer, valid
 * until the caller consumes the next message.
 */
package io.pqbridge.pq.wire.message.backend;

/**
 * Frontend (client to server) messages. Each type encodes itself into an
 * {@link io.pqbridge.pq.wire.message.frontend.OutputBuffer} with a static {@code encode} method, so
 * sending allocates nothing beyond the buffer's own growth. Strings are sent as UTF-8 and end at
 * their first NUL character, as libpq's C strings do.
 */
package io.pqbridge.pq.wire.message.frontend;

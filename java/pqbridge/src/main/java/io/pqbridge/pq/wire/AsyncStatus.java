package io.pqbridge.pq.wire;

/**
 * libpq's {@code asyncStatus}: where the connection is in a command's exchange. IDLE (no command),
 * BUSY (results expected), READY (a result is complete and waits to be taken), COPY_IN, COPY_OUT.
 */
enum AsyncStatus { IDLE, BUSY, READY, COPY_IN, COPY_OUT }

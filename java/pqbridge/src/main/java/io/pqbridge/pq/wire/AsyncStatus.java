package io.pqbridge.pq.wire;

/**
 * libpq's {@code asyncStatus}: where the connection is in a command's exchange. IDLE (no command),
 * BUSY (results expected), READY (a result is complete and waits to be taken), READY_MORE (a
 * single-row result waits, more of the same command follow), COPY_IN, COPY_OUT, and
 * PIPELINE_IDLE (pipeline mode, between two queued commands: the next {@code PQgetResult} returns
 * the null that ends the previous command's results).
 */
enum AsyncStatus { IDLE, BUSY, READY, READY_MORE, COPY_IN, COPY_OUT, PIPELINE_IDLE }

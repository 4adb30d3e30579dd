package io.pqbridge.pq.wire;

/**
 * libpq's {@code asyncStatus}: where the connection is in a command's exchange. IDLE (no command),
 * BUSY (results expected), READY (a result is complete and waits to be taken), READY_MORE (a
 * single-row result waits, more of the same command follow), COPY_IN, COPY_OUT, COPY_BOTH (a
 * replication stream: data both ways; the server's CopyDone leaves COPY_IN, the client's leaves
 * COPY_OUT, as in libpq), and PIPELINE_IDLE (pipeline mode, between two queued commands: the next
 * {@code PQgetResult} returns the null that ends the previous command's results).
 */
enum AsyncStatus {
    IDLE, BUSY, READY, READY_MORE, COPY_IN, COPY_OUT, COPY_BOTH, PIPELINE_IDLE;

    /** {@return true in a COPY of either direction, or both} */
    boolean inCopy() {
        return this == COPY_IN || this == COPY_OUT || this == COPY_BOTH;
    }

    /** {@return true when the client may send COPY data: COPY IN or COPY BOTH} */
    boolean sendsCopyData() {
        return this == COPY_IN || this == COPY_BOTH;
    }

    /** {@return true when the server sends COPY data: COPY OUT or COPY BOTH} */
    boolean receivesCopyData() {
        return this == COPY_OUT || this == COPY_BOTH;
    }
}

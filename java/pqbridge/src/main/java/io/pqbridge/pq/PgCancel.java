package io.pqbridge.pq;

/**
 * A connection's cancel handle (libpq's {@code PGcancel} + {@code PQcancel}).
 *
 * <p>Thread-safe and lock-free with respect to its connection: it may be used from any thread
 * while another thread is blocked in a query or a COPY on the same connection. It opens a new
 * connection to the server's address and sends a CancelRequest with the backend key; success only
 * means the request was delivered, and the effect shows in the connection's normal results. It
 * lives exactly as long as its connection: after {@link PgConn#finish()} a cancel is a no-op that
 * reports success (the server would ignore it anyway).
 */
public interface PgCancel {

    /**
     * Sends the cancel request and waits until the server has taken it.
     *
     * @return null when the request was delivered, else libpq's error text
     *     (e.g. {@code "PQcancel() -- connect() failed: error 111\n"})
     */
    String cancel();
}

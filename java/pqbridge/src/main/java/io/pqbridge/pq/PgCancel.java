package io.pqbridge.pq;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

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

    /**
     * Sends the cancel request and waits until the server has taken it, for at most
     * {@code timeout}: libpq 17's cancel connection ({@code PQcancelCreate}, {@code PQcancelStart},
     * {@code PQcancelPoll}) driven with a deadline, as psycopg's {@code cancel_safe} drives it. The
     * java backend does the same on its own socket; the native backend on a libpq older than 17
     * runs {@link #cancel()} on a daemon thread and waits for it at most {@code timeout}.
     *
     * @param timeout how long to wait for the request to be delivered
     * @return null when the request was delivered, else the error text
     * @throws TimeoutException when it was not delivered within {@code timeout}; the attempt is
     *     abandoned
     */
    String cancel(Duration timeout) throws TimeoutException;
}

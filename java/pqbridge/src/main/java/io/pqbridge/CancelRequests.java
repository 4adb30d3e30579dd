package io.pqbridge;

import io.pqbridge.errors.CancellationTimeout;
import io.pqbridge.errors.OperationalException;
import io.pqbridge.pq.Loggers;
import io.pqbridge.pq.PgCancel;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The facade's side of a cancel request ({@link Connection#cancel()} and
 * {@link Connection#cancelSafe(Duration)}): the backend's handle delivers it, this class turns
 * the outcome into psycopg's exceptions. Takes no lock: a cancel is sent while another thread
 * holds the connection.
 */
final class CancelRequests {

    private CancelRequests() {
    }

    /** psycopg's {@code cancel()}: an unbounded delivery. */
    static void cancel(PgCancel handle) {
        String error = handle.cancel();
        if (error != null) {
            throw new OperationalException("cancel failed: " + error.strip());
        }
    }

    /** psycopg's {@code cancel_safe(timeout)}: a delivery bounded by {@code timeout}. */
    static void cancelSafe(PgCancel handle, Duration timeout) {
        String error;
        try {
            error = handle.cancel(timeout);
        } catch (TimeoutException e) {
            throw new CancellationTimeout("cancellation timeout expired (" + timeout.toMillis()
                    + " ms): the server did not take the cancel request in time; check that it is reachable,"
                    + " or allow a longer timeout");
        }
        if (error != null) {
            throw new OperationalException("cancellation failed: " + error.strip());
        }
    }

    /**
     * psycopg's {@code _try_cancel}: a best-effort cancel whose failure is logged, used where a
     * failed cancel must not hide the error being handled.
     */
    static void tryCancel(Connection conn) {
        try {
            conn.cancel();
        } catch (RuntimeException e) {
            Loggers.facade().log(System.Logger.Level.WARNING, "query cancellation failed: {0}", e.getMessage());
        }
    }
}

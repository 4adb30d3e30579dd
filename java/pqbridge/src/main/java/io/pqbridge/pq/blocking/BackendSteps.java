package io.pqbridge.pq.blocking;

import io.pqbridge.pq.PgNotify;
import io.pqbridge.pq.PgResult;

/**
 * The part of a connection that differs between the backends: steps that never wait longer than
 * one slice, and the ways to end the connection. {@link BlockingLayer} builds the blocking SPI
 * calls from them; the native backend implements them over its C shim, the java backend over its
 * protocol machine.
 *
 * <p>Threads. Every method but {@link #abort()} and {@link #closeNow()} is called by the layer's
 * lock holder, so by one thread at a time. Those two are called by a finishing thread without
 * the lock, possibly while another thread is inside a slice: they must be thread-safe and quick.
 *
 * <p>Slices. A slice method makes progress without blocking and waits for the socket at most
 * {@code sliceMs} in all, then returns, so that the layer regains control (and can hand the lock
 * to a finish) at least once per slice.
 *
 * <p>After {@link #release()} the layer calls nothing but {@link #takeInterrupt()} and, from a
 * finish racing another, {@link #abort()} (so that one must be idempotent): it gives a finished
 * connection's answers itself.
 *
 * <p>Reachability. An implementation must not hold the {@code PgConn} that owns the layer (nor
 * anything that holds it): the layer's leak safety net keeps the steps reachable from a
 * {@link java.lang.ref.Cleaner}, so a reference back would keep the connection alive forever.
 */
public interface BackendSteps {

    /**
     * One slice of {@code PQflush} in blocking mode: sends pending output, waiting up to
     * {@code sliceMs} for the socket (reading what arrives meanwhile).
     *
     * @return 0 when everything was sent, 1 when output remains after the slice, -1 on failure
     */
    int flush(int sliceMs);

    /**
     * One slice of waiting for the next result (flushing pending output, reading input).
     *
     * @return 1 when the next {@code PQgetResult} will not block (a lost connection counts: libpq
     *     then hands out its error results), 0 when the slice ran out first
     */
    int awaitResult(int sliceMs);

    /**
     * One slice of waiting for input while idle: waits up to {@code sliceMs} for the socket to be
     * readable, then reads what is there (parsing what was already buffered first).
     *
     * @return 1 when input was read or the connection failed, 0 when the slice ran out first
     */
    int awaitInput(int sliceMs);

    /** Hands the notices and notifications received so far to {@code events}, oldest first. */
    void drainEvents(Events events);

    /** Whether a wait swallowed the calling thread's interrupt since the last call (then clears it). */
    boolean takeInterrupt();

    /** First step of a finish, on the finishing thread, without the lock: makes waits end early. */
    void abort();

    /**
     * Closes the socket now, without the lock, under a caller blocked where no slice bounds it (a
     * socket write to a server that stopped reading). A backend whose every wait is a bounded
     * slice has nothing to do here.
     */
    void closeNow();

    /** Whether {@link #release()} would free something: a socket, a native handle. */
    boolean holdsConnection();

    /** Ends the session (Terminate, as {@code PQfinish} does) and frees everything, once. */
    void release();

    /** Where {@link #drainEvents} delivers; the layer's, used only during that call. */
    interface Events {

        /** A notice or warning from the server, as a {@code NONFATAL_ERROR} result. */
        void notice(PgResult notice);

        /** A notification ({@code NOTIFY}) received on a channel this session listens on. */
        void notification(PgNotify notification);
    }
}

package io.pqbridge;

import io.pqbridge.errors.OperationalException;
import io.pqbridge.errors.ProgrammingException;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;

/**
 * The lock that serialises the operations of one {@link Connection} (psycopg's
 * {@code connection.lock}), with psycopg's COPY rule and one deliberate deviation.
 *
 * <p>Every operation that talks to the server holds it for its whole exchange; a COPY holds it
 * from the statement until its block ends (psycopg ≥ 3.2.13, issue #1210), so another thread's
 * command waits for the block to end instead of failing on a busy connection. psycopg's lock is
 * not reentrant, so the thread that owns an open COPY block deadlocks when it calls the connection
 * from inside the block; here that call fails at once with a {@link ProgrammingException} naming
 * the open COPY (a deliberate deviation: psycopg deadlocks there). A {@link RowStream} holds the
 * lock the same way, from its statement until it is read to the end or closed.
 *
 * <p>Once the connection is closed, a call from the thread that still holds it (an open-form COPY
 * dropped unfinished, then {@code close()}) fails with "the connection is closed", as every
 * call on a closed connection does: the COPY the reentry message would name is gone with it.
 *
 * <p>A semaphore rather than a {@code ReentrantLock}: an open-form {@link Copy} may be finished by
 * another thread than the one that opened it, and the lock must be released by whoever ends it.
 * Waiting is interruptible: an interrupted waiter gets an {@link OperationalException} and keeps
 * its interrupt flag.
 */
final class ConnectionLock {

    private final Semaphore permit = new Semaphore(1, true);
    private final BooleanSupplier connectionClosed;
    /** The thread holding the permit, null when free; read by other threads for the fast-fail test only. */
    private volatile Thread owner;
    /** The COPY block or row stream that holds the permit until it ends, null when none. */
    private volatile Holder holder;

    /** Something that keeps the connection from its start to its end (a COPY block, a row stream). */
    interface Holder {
        /** {@return what it is, e.g. {@code the COPY TO STDOUT started by "..."}} */
        String describe();

        /** {@return how the caller ends it, e.g. {@code leave its block, or call finish() or close() on it}} */
        String howToEnd();
    }

    ConnectionLock(BooleanSupplier connectionClosed) {
        this.connectionClosed = connectionClosed;
    }

    /** Waits for the connection; fails at once when the calling thread already holds it. */
    void acquire() {
        Thread me = Thread.currentThread();
        if (owner == me) {
            if (connectionClosed.getAsBoolean()) {
                throw new OperationalException("the connection is closed");
            }
            throw reentry();
        }
        try {
            permit.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationalException("interrupted while waiting for the connection, which another thread is"
                    + " using (a query, or a COPY block that has not ended yet)", e);
        }
        owner = me;
    }

    /** Releases the connection; called by whoever ends the operation. */
    void release() {
        holder = null;
        owner = null;
        permit.release();
    }

    /** Marks the held lock as held by {@code until} until {@link #release()}. */
    void holdFor(Holder until) {
        holder = until;
    }

    /** True when {@code candidate} holds the lock. */
    boolean heldBy(Holder candidate) {
        return holder == candidate;
    }

    private ProgrammingException reentry() {
        Holder current = holder;
        if (current == null) {
            return new ProgrammingException("the connection is already in use by this thread; an operation cannot"
                    + " call the connection from inside itself");
        }
        return new ProgrammingException("the connection is held by " + current.describe()
                + " in this same thread, so this call would wait for itself forever; end it first ("
                + current.howToEnd() + "), then use the connection");
    }
}

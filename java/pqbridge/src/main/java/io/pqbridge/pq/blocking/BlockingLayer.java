package io.pqbridge.pq.blocking;

import io.pqbridge.pq.Loggers;
import io.pqbridge.pq.PgNotify;
import io.pqbridge.pq.PgResult;
import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The blocking half of a connection, written once for both backends: the lock, blocking calls
 * made of bounded slices, event delivery, the notification queue, finish() and the safety net for
 * connections dropped without it. A backend's {@code PgConn} owns one layer and supplies the
 * {@link BackendSteps} that differ; every SPI call runs between {@link #enter()} and
 * {@link #exit()}.
 *
 * <pre>
 * Implementation notes
 * --------------------
 * Lock. One fair ReentrantLock per connection; every SPI call holds it, so backend state and
 * native handles are used by one thread at a time. A blocking call yields it between slices
 * (unlock, lock): because the lock is fair, a queued finish() or status query from another
 * thread gets it then, instead of the yielding thread barging back in.
 *
 * Slices. A blocking call loops: run one slice (at most SLICE_MS of waiting), deliver the
 * events it produced, return if it completed, else yield the lock and go again. A finish()
 * therefore gets in within a slice, and the blocked caller, on its next turn, finds the
 * connection finished and answers as libpq answers a NULL PGconn (the answers are given here,
 * once: no step runs after release).
 *
 * Where the waits are. The wait inside a slice belongs to the backend. The native backend's is
 * the poll() loop in the C shim (pqs_wait_result, pqs_flush, pqs_put_copy_data,
 * pqs_get_copy_data, each bounded by its slice argument); it stays there rather than moving up
 * here as a socket-wait call, because (1) the PGconn and its socket never leave C, so no handle
 * or descriptor is used from Java between calls and the crash surface stays one checked call per
 * slice; (2) the order of PQflush, PQconsumeInput and PQisBusy, and the ownership of the copy
 * buffer libpq hands out, stay beside the libpq calls they belong to; (3) COPY OUT keeps
 * crossing JNI once per batch of messages. The java backend's slices (WireSteps) are the same
 * loops over its protocol machine, step for step, so both answer alike.
 *
 * Interrupts. A wait may swallow the thread's interrupt (the java backend's selector wait does,
 * so that the wait goes on and the channel stays open); exit() restores it, so the caller finds
 * it still set and the connection intact.
 *
 * Events. After each step the backend's queued notices and notifications are drained: notices
 * go to the notice handler, on the calling thread with the lock held (a handler that throws is
 * logged and the call goes on); notifications go to the notify handler the same way, or, when
 * there is none, queue for notifies().
 *
 * Finish. abort(), then wait up to FINISH_PATIENCE_MS for the lock. A caller inside a slice
 * yields well within that; one that does not (a notice handler that blocks, a native call that
 * overruns its slice) gets closeNow(), which closes the socket under it (the java backend's close
 * also wakes a selector wait), and the lock is taken once it lets go. Then release(), once. A
 * second finish() returns when the first is done.
 *
 * Leaks. A Cleaner watches the owner (the PgConn). Its action, the Closer, holds the lock, the
 * steps and the finished flag, never the owner or the notice handler (which may well hold the
 * owner's facade): so an unreachable, unfinished connection is finished on the Cleaner's thread
 * as finish() would, with a warning if it still held a connection.
 * </pre>
 */
public final class BlockingLayer {

    /** The longest a step may wait before the lock is offered to other callers. */
    public static final int SLICE_MS = 100;
    /** How long finish() waits for a blocked caller before closing the socket under it. */
    public static final int FINISH_PATIENCE_MS = 200;

    private static final Cleaner CLEANER = Cleaner.create();

    private final Closer closer;
    private final ReentrantLock lock;
    private final BackendSteps steps;
    private final Cleaner.Cleanable cleanable;
    private final ArrayDeque<PgNotify> notifications = new ArrayDeque<>(); // guarded by lock
    private final Delivery delivery = new Delivery();
    private volatile Consumer<PgResult> noticeHandler;
    private volatile Consumer<PgNotify> notifyHandler;

    /**
     * @param owner the connection that uses this layer; once it is unreachable and unfinished,
     *     the layer finishes it and logs a warning
     * @param steps the backend's part, which must not hold {@code owner}
     */
    public BlockingLayer(Object owner, BackendSteps steps) {
        this.closer = new Closer(steps);
        this.lock = closer.lock;
        this.steps = steps;
        this.cleanable = CLEANER.register(owner, closer);
    }

    // ---- the lock ---------------------------------------------------------------------------------

    /** Takes the connection's lock; every SPI call starts here. */
    public void enter() {
        lock.lock();
        closer.turns++;
    }

    /**
     * How many times the lock has been taken so far, the caller's own turn included; lock held.
     * A call that finds it one above what it was in the same call made last knows that nothing
     * ran on the connection in between (no other call, no slice of a blocked call, no finish), so
     * what that call read of the backend's state still holds.
     */
    public long turn() {
        return closer.turns;
    }

    /** Restores an interrupt a wait swallowed, then releases the lock; every SPI call ends here. */
    public void exit() {
        try {
            if (steps.takeInterrupt()) {
                Thread.currentThread().interrupt();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Lets queued threads (a finish, a status query) in between two slices of a blocking call. */
    private void yieldLock() {
        lock.unlock();
        lock.lock();
        closer.turns++;
    }

    /** {@return whether finish() has run} Lock held. */
    public boolean finished() {
        return closer.finished;
    }

    // ---- blocking calls (lock held) -------------------------------------------------------------

    /**
     * Repeats a slice until it returns something other than 0, delivering events after each run
     * and yielding the lock between runs.
     *
     * @param whenFinished the answer once the connection is finished (before or between slices)
     * @param slice one attempt, waiting at most the given milliseconds; 0 means "not yet"
     */
    public int repeat(int whenFinished, Slice slice) {
        for (;;) {
            if (closer.finished) {
                return whenFinished;
            }
            int r = slice.run(SLICE_MS);
            deliverEvents();
            if (r != 0) {
                return r;
            }
            yieldLock();
        }
    }

    /**
     * Sends all pending output, like blocking libpq's {@code PQflush}: 0 when sent, -1 on failure
     * or once finished. Lock held.
     */
    public int flush() {
        for (;;) {
            if (closer.finished) {
                return -1;
            }
            int r = steps.flush(SLICE_MS);
            if (r != 1) {
                return r;
            }
            deliverEvents();
            yieldLock();
        }
    }

    /** The SPI's {@code flush()}: {@link #flush()}, then the events the socket brought meanwhile. Lock held. */
    public int flushAll() {
        int flushed = flush();
        deliverEvents();
        return flushed;
    }

    /** Ends a send step ({@code PQsendQuery} and its kin): its events, then a flush. */
    public boolean sent(boolean queued) {
        return sent(queued, true);
    }

    /**
     * Ends a send step: its events, then, if {@code flushAll}, a flush of everything pending, as
     * blocking libpq does. In pipeline mode commands pass false: libpq pushes them out only once
     * 64 KB are queued (which the step itself did), so a pipeline costs no write per command; the
     * rest goes with the sync or the next wait for a result.
     */
    public boolean sent(boolean queued, boolean flushAll) {
        deliverEvents();
        return queued && (!flushAll || flush() >= 0);
    }

    /** Ends a {@code PQputCopyEnd} step: its events, then, if it queued the end (1), a flush. */
    public int copyEnded(int queued) {
        deliverEvents();
        if (queued != 1) {
            return queued;
        }
        return flush() < 0 ? -1 : 1;
    }

    /** Waits until the next result will not block, or the connection is finished. */
    public void awaitResult() {
        while (!closer.finished && steps.awaitResult(SLICE_MS) == 0) {
            deliverEvents();
            yieldLock();
        }
    }

    /**
     * Waits up to {@code timeoutMs} for input while idle, slice by slice, yielding the lock
     * between slices: true when input was read or the connection failed or is finished.
     */
    public boolean awaitInput(int timeoutMs) {
        long deadline = System.nanoTime() + Math.max(0, timeoutMs) * 1_000_000L;
        for (;;) {
            if (closer.finished) {
                return true;
            }
            long remaining = Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
            int r = steps.awaitInput((int) Math.min(SLICE_MS, remaining));
            deliverEvents();
            if (r != 0) {
                return true;
            }
            if (remaining <= SLICE_MS) {
                return false;
            }
            yieldLock();
        }
    }

    /** One bounded attempt of a blocking call; see {@link #repeat}. */
    @FunctionalInterface
    public interface Slice {

        /** {@return the call's answer, or 0 when the slice ended before it could complete} */
        int run(int sliceMs);
    }

    // ---- events -------------------------------------------------------------------------------------

    /** Hands notices received so far to the handler and queues notifications. Lock held. */
    public void deliverEvents() {
        if (!closer.finished) {
            steps.drainEvents(delivery);
        }
    }

    /** The notice receiver; null drops notices. Any thread. */
    public void setNoticeHandler(Consumer<PgResult> handler) {
        this.noticeHandler = handler;
    }

    /** The notification receiver; null queues them for {@link #notifies()}. Any thread. */
    public void setNotifyHandler(Consumer<PgNotify> handler) {
        this.notifyHandler = handler;
    }

    /** {@code PQnotifies}: reads what has arrived, then takes the oldest queued notification. */
    public PgNotify notifies() {
        enter();
        try {
            deliverEvents();
            return notifications.poll();
        } finally {
            exit();
        }
    }

    /** The layer's side of {@link BackendSteps#drainEvents}; runs with the lock held. */
    private final class Delivery implements BackendSteps.Events {

        @Override
        public void notice(PgResult notice) {
            Consumer<PgResult> handler = noticeHandler;
            if (handler != null) {
                try {
                    handler.accept(notice);
                } catch (RuntimeException e) {
                    Loggers.backends().log(System.Logger.Level.WARNING, "notice handler failed", e);
                }
            }
        }

        @Override
        public void notification(PgNotify notification) {
            Consumer<PgNotify> handler = notifyHandler;
            if (handler == null) {
                notifications.add(notification);
                return;
            }
            try {
                handler.accept(notification);
            } catch (RuntimeException e) {
                Loggers.backends().log(System.Logger.Level.WARNING, "notify handler failed", e);
            }
        }
    }

    // ---- lifecycle ----------------------------------------------------------------------------------

    /** {@return whether finish() has run} Any thread. */
    public boolean isFinished() {
        enter();
        try {
            return closer.finished;
        } finally {
            exit();
        }
    }

    /** {@code PQfinish}: any thread, idempotent; see the class notes. */
    public void finish() {
        closer.close(false);
        cleanable.clean();
    }

    /**
     * finish()'s protocol, and the Cleaner's action for an owner dropped without it. Holds only
     * what closing needs; see the class notes for why never the owner.
     */
    private static final class Closer implements Runnable {
        final ReentrantLock lock = new ReentrantLock(true);
        final BackendSteps steps;
        long turns; // guarded by lock: how many times it was taken (see turn())
        volatile boolean finished; // written with the lock held, once release() is over

        Closer(BackendSteps steps) {
            this.steps = steps;
        }

        void close(boolean leaked) {
            if (finished) {
                return;
            }
            steps.abort();
            boolean locked;
            try {
                locked = lock.tryLock(FINISH_PATIENCE_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                locked = false;
            }
            if (!locked) {
                steps.closeNow(); // releases a caller that holds the lock past the patience
                lock.lock();
            }
            turns++;
            try {
                if (finished) {
                    return;
                }
                if (leaked && steps.holdsConnection()) {
                    Loggers.backends().log(System.Logger.Level.WARNING,
                            "a pqbridge connection was garbage-collected without being closed; close it explicitly");
                }
                try {
                    steps.release();
                } finally {
                    finished = true; // after release: a finish that sees it returns with the work done
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void run() {
            close(true);
        }
    }
}

package io.pqbridge;

import io.pqbridge.errors.Errors;
import io.pqbridge.errors.OperationalException;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.pq.PgConnStatus;
import io.pqbridge.pq.PgNotify;
import io.pqbridge.pq.PgTransactionStatus;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A connection's notifications (psycopg's {@code notifies()}, {@code _notify_handlers} and
 * {@code _notifies_backlog}). The backend hands each notification to {@link #dispatch}, during
 * whatever call it arrived in, and that decides where it goes:
 * <ul>
 *   <li>to every notify handler, in the order they were added (one that throws is logged, the
 *       others still run, the call goes on);</li>
 *   <li>to the queue that {@link #stream} reads, when no handler is registered or a
 *       {@code notifies()} is waiting. So nothing is lost, and an application that only uses
 *       handlers does not grow a queue nobody reads.</li>
 * </ul>
 *
 * <p>Waiting. A {@code notifies()} stream waits on the socket through the SPI
 * ({@code awaitInput}), one slice ({@value #SLICE_MS} ms at most) per call, holding
 * the connection's lock only during the call: other threads may use the connection between two
 * slices, and the stream then finds what their calls received in the queue. Between slices it
 * checks whether {@link Connection#cancel()} was called since it started, or its thread was
 * interrupted, and ends if so; {@link Connection#close()} ends it within a slice too.
 */
final class Notifications {

    /** The longest one wait holds the lock, and the longest a cancel() or an interrupt waits to be seen. */
    static final int SLICE_MS = 100;
    /** A timeout past this is no timeout (and cannot overflow a deadline). */
    private static final Duration FOREVER = Duration.ofDays(36_500);

    private final Connection conn;
    private final Callbacks<Notify> handlers = new Callbacks<>("notify", "addNotifyHandler");
    private final ArrayDeque<Notify> queue = new ArrayDeque<>(); // guarded by this
    private final AtomicInteger waiting = new AtomicInteger();
    /** Counts {@link Connection#cancel()} calls; a stream ends when it changes under it. */
    private volatile int wakeups;

    Notifications(Connection conn) {
        this.conn = conn;
    }

    void add(Consumer<Notify> handler) {
        handlers.add(handler);
    }

    void remove(Consumer<Notify> handler) {
        handlers.remove(handler);
    }

    /** Ends every {@code notifies()} stream open now, within a slice. */
    void wakeUp() {
        wakeups++;
    }

    /** The backend's notification receiver; runs inside an SPI call, on the thread that made it. */
    void dispatch(PgNotify received) {
        Notify notify = new Notify(received.channel(), received.payload(), received.backendPid());
        handlers.dispatch(notify);
        if (handlers.isEmpty() || waiting.get() > 0) {
            synchronized (this) {
                queue.add(notify);
            }
        }
    }

    /** {@link Connection#notifies(Duration, Integer)}. */
    Stream<Notify> stream(Duration timeout, Integer stopAfter) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("the timeout cannot be negative: " + timeout);
        }
        if (stopAfter != null && stopAfter < 0) {
            throw new IllegalArgumentException("stopAfter cannot be negative: " + stopAfter);
        }
        boolean forever = timeout == null || timeout.compareTo(FOREVER) > 0;
        long deadline = forever ? 0 : System.nanoTime() + timeout.toNanos();
        int startedAt = wakeups;
        Spliterator<Notify> waiter = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED
                | Spliterator.NONNULL) {
            private long delivered;

            @Override
            public boolean tryAdvance(Consumer<? super Notify> action) {
                if (stopAfter != null && delivered >= stopAfter) {
                    return false;
                }
                Notify next = next(deadline, forever, startedAt);
                if (next == null) {
                    return false;
                }
                delivered++;
                action.accept(next);
                return true;
            }
        };
        return StreamSupport.stream(waiter, false);
    }

    /** The next notification, waiting until {@code deadline}; null when the wait ends without one. */
    private Notify next(long deadline, boolean forever, int startedAt) {
        boolean polledOnce = false;
        for (;;) {
            Notify queued = poll();
            if (queued != null) {
                return queued;
            }
            long remainingNanos = forever ? SLICE_MS * 1_000_000L : deadline - System.nanoTime();
            if ((polledOnce && remainingNanos <= 0) || wakeups != startedAt || Thread.currentThread().isInterrupted()) {
                return null;
            }
            // rounded up, so the stream never ends before its deadline
            int sliceMs = (int) Math.min(SLICE_MS, Math.max(0, (remainingNanos + 999_999) / 1_000_000));
            if (!awaitSlice(sliceMs)) {
                return poll(); // closed: what came before the close is still delivered, then the end
            }
            polledOnce = true;
        }
    }

    private synchronized Notify poll() {
        return queue.poll();
    }

    /** One slice of waiting, under the connection's lock; false once the connection was closed. */
    private boolean awaitSlice(int sliceMs) {
        conn.lock.acquire();
        try {
            if (conn.pgconn.status() != PgConnStatus.OK) {
                if (!conn.isBroken()) {
                    return false;
                }
                throw new OperationalException("the connection is lost");
            }
            checkIdle();
            waiting.incrementAndGet();
            try {
                conn.pgconn.awaitInput(sliceMs);
            } finally {
                waiting.decrementAndGet();
            }
            if (conn.pgconn.status() != PgConnStatus.OK) {
                if (!conn.isBroken()) {
                    return false; // close() marks the connection before it finishes it
                }
                throw new OperationalException("consuming input failed: "
                        + Errors.cleanMessage(conn.pgconn.errorMessage()));
            }
            return true;
        } finally {
            conn.lock.release();
        }
    }

    /** No command may be running: its results would be read as if they were notifications. */
    private void checkIdle() {
        if (conn.pipelineInProgress() != null) {
            throw new ProgrammingException("cannot wait for notifications inside a pipeline block; leave the block first");
        }
        if (conn.pgconn.transactionStatus() == PgTransactionStatus.ACTIVE) {
            throw new OperationalException("cannot wait for notifications: another command is already in progress"
                    + ResultReading.stuckCopyHint(conn.unfinishedCopy));
        }
    }
}

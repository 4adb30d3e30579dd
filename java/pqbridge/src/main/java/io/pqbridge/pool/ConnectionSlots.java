package io.pqbridge.pool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool's connections and its waiting requests, without a lock on the way of a borrow or a
 * return: each connection has a state ({@link PoolEntry#IDLE}, {@link PoolEntry#LENT},
 * {@link PoolEntry#RETURNING}) changed by compare-and-set, and a thread first tries the connection
 * it gave back last, which is usually still idle and in its cache, then the others in order. So
 * threads borrowing and returning at a high rate neither queue on a lock nor fight over one queue's
 * head (HikariCP's design; a shared queue cost 6 times as much at 16 threads on 2 cores).
 *
 * <p>Requests that find no idle connection queue, and a connection given back wakes the one
 * waiting longest, which then takes an idle connection like any other thread. The thread that
 * woke it yields its processor once ({@link Thread#yield}, as HikariCP's return does while
 * requests wait): otherwise it usually borrows the same connection back before the woken thread
 * runs, which then finds nothing and sleeps again, a wake-up and two context switches for nothing.
 * With 16 threads on 8 connections and 2 processors, the yield raised the rate of borrow,
 * {@code SELECT 1}, return cycles by a fifth to two fifths, and cut the server's CPU per query,
 * which paid for the wasted switches too. A thread that asks
 * while a connection is idle takes it, even if requests wait: java.util.concurrent's non-fair locks
 * and HikariCP do the same, because handing each connection to a sleeping thread costs a wake-up
 * and a context switch per use (2.4 times fewer queries per second in the benchmark's W11 with 16
 * threads on 8 connections). psycopg_pool hands a returned connection to the first waiting request.
 * Waiting requests are woken in arrival order, and each still ends at its own timeout.
 *
 * <p>A request queues itself and then looks for an idle connection once more; a connection made
 * idle is followed by a look at the queue. Each side writes before it reads what the other writes,
 * so at least one of them sees the other: no request sleeps while a connection sits idle.
 *
 * <p>psycopg_pool hands idle connections out in turn; here a thread gets back its own last one
 * first, so connections beyond what the load needs stay unused, and the pool shrinks by closing
 * one that stayed idle for a whole {@code maxIdle} (see {@link PoolMaintenance}).
 */
final class ConnectionSlots {

    /** Every open connection, copied on write (connections come and go rarely). */
    private volatile PoolEntry[] all = new PoolEntry[0];
    private final ThreadLocal<PoolEntry> lastReturned = new ThreadLocal<>();
    private final ConcurrentLinkedQueue<WaitingClient> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waitingCount = new AtomicInteger();
    private final AtomicBoolean wakeInFlight = new AtomicBoolean();

    /** Adds a new connection, owned by the caller ({@link PoolEntry#RETURNING}) until it is released. */
    synchronized void add(PoolEntry entry) {
        PoolEntry[] next = Arrays.copyOf(all, all.length + 1);
        next[all.length] = entry;
        all = next;
    }

    /** Removes a connection for good. */
    synchronized void remove(PoolEntry entry) {
        PoolEntry[] current = all;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == entry) {
                PoolEntry[] next = new PoolEntry[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                all = next;
                return;
            }
        }
    }

    /** An idle connection, now lent: the caller's last one if idle, else the first idle; null when none is. */
    PoolEntry lendIdle() {
        PoolEntry mine = lastReturned.get();
        if (mine != null && mine.state.get() == PoolEntry.IDLE && mine.state.compareAndSet(PoolEntry.IDLE, PoolEntry.LENT)) {
            return mine;
        }
        for (PoolEntry entry : all) {
            if (entry.state.get() == PoolEntry.IDLE && entry.state.compareAndSet(PoolEntry.IDLE, PoolEntry.LENT)) {
                return entry;
            }
        }
        return null;
    }

    /**
     * Makes a connection the caller owns ({@link PoolEntry#RETURNING}) idle as of {@code now}, and
     * wakes the request waiting longest, if any, to take it.
     */
    void release(PoolEntry entry, long now) {
        entry.idleSince = now;
        lastReturned.set(entry);
        entry.state.set(PoolEntry.IDLE);
        if (waitingCount.get() > 0 && wakeFirst()) {
            Thread.yield(); // let the woken request take it (see the class comment)
        }
    }

    /**
     * Wakes the request waiting longest, unless a request woken earlier has not run yet: it will
     * take this connection too, or pass the wake-up on ({@link #passOn}). One wake-up at a time,
     * because a busy pool gives connections back faster than woken threads get a processor, and
     * most of those wake-ups would find the connection taken again. True when a request was woken.
     */
    private boolean wakeFirst() {
        if (wakeInFlight.get() || !wakeInFlight.compareAndSet(false, true)) {
            return false;
        }
        WaitingClient first = waiting.peek();
        if (first == null) {
            wakeInFlight.set(false);
            return false;
        }
        first.wake();
        return true;
    }

    /**
     * A place for a connection came free without a connection (the null pool's connect that
     * failed): the request waiting longest is woken to open one itself.
     */
    void placeFreed() {
        if (waitingCount.get() > 0) {
            wakeFirst();
        }
    }

    /** A waiting request runs again: it looks for an idle connection next, so a new wake-up may go out. */
    void awake() {
        wakeInFlight.set(false);
    }

    /**
     * A request that took a connection, or gave up, has left the queue: if connections are still
     * idle, the next request is woken, since the wake-up meant for it may have been taken.
     */
    void passOn() {
        if (waitingCount.get() > 0 && idleCount() > 0) {
            wakeFirst();
        }
    }

    /**
     * Gives a connection the caller owns to the request waiting longest; false when no request
     * waits (the null pool's way, under its lock).
     */
    boolean handOver(PoolEntry entry) {
        WaitingClient client;
        while (waitingCount.get() > 0 && (client = waiting.poll()) != null) {
            waitingCount.decrementAndGet();
            entry.state.set(PoolEntry.LENT);
            if (client.give(entry)) {
                return true;
            }
            entry.state.set(PoolEntry.RETURNING); // that request had given up
        }
        return false;
    }

    /**
     * Queues a request, unless {@code maxWaiting} (above 0) requests wait already; the request must
     * then look for an idle connection once more before it sleeps.
     *
     * @return -1 when queued, else how many requests were waiting
     */
    int enqueue(WaitingClient client, int maxWaiting) {
        int n;
        do {
            n = waitingCount.get();
            if (maxWaiting > 0 && n >= maxWaiting) {
                return n;
            }
        } while (!waitingCount.compareAndSet(n, n + 1));
        waiting.offer(client);
        return -1;
    }

    /** Takes a request that gave up out of the queue, if it is still there. */
    void remove(WaitingClient client) {
        if (waiting.remove(client)) {
            waitingCount.decrementAndGet();
        }
    }

    List<WaitingClient> takeAllWaiting() {
        List<WaitingClient> taken = new ArrayList<>();
        WaitingClient client;
        while ((client = waiting.poll()) != null) {
            waitingCount.decrementAndGet();
            taken.add(client);
        }
        return taken;
    }

    /** Takes every idle connection out of service (now owned by the caller). */
    List<PoolEntry> takeAllIdle() {
        List<PoolEntry> taken = new ArrayList<>();
        for (PoolEntry entry : all) {
            if (entry.state.compareAndSet(PoolEntry.IDLE, PoolEntry.RETURNING)) {
                taken.add(entry);
            }
        }
        return taken;
    }

    /** Takes out of service the connection idle longest, if it has been idle since {@code since} or before. */
    PoolEntry takeIdleSince(long since) {
        PoolEntry oldest = null;
        for (PoolEntry entry : all) {
            if (entry.state.get() == PoolEntry.IDLE && entry.idleSince - since <= 0
                    && (oldest == null || entry.idleSince - oldest.idleSince < 0)) {
                oldest = entry;
            }
        }
        return oldest != null && oldest.state.compareAndSet(PoolEntry.IDLE, PoolEntry.RETURNING) ? oldest : null;
    }

    /** {@return how many connections are idle and have been since {@code since} or before} */
    int idleSince(long since) {
        int n = 0;
        for (PoolEntry entry : all) {
            if (entry.state.get() == PoolEntry.IDLE && entry.idleSince - since <= 0) {
                n++;
            }
        }
        return n;
    }

    int idleCount() {
        int n = 0;
        for (PoolEntry entry : all) {
            if (entry.state.get() == PoolEntry.IDLE) {
                n++;
            }
        }
        return n;
    }

    int waitingCount() {
        return waitingCount.get();
    }
}

package io.pqbridge.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * W11: {@value Workload#POOL_THREADS} threads sharing one pool of {@value Workload#POOL_SIZE}
 * connections, each looping on borrow, use, return for a fixed time, and the figures of such a
 * run. A pool's cost is paid per borrow and shows only under contention, so there are more threads
 * than connections (as in a server whose request threads outnumber its connections): returns hand
 * connections over to waiting threads. Two phases, the same threads count in each: cycles that
 * run {@code SELECT 1} (the throughput users get), then cycles that borrow and return alone (the
 * pool's own cost, with no round trip to hide it). Each client writes its two cycles as its users
 * do; this class only runs them.
 *
 * <p>Timing: the threads are started and parked first, the {@link Meter} starts, and they are
 * released together; when the time is up each finishes the cycle it is in and parks again until
 * the Meter has stopped. Every thread is alive at both ends, so the Meter's per-thread CPU and
 * allocation accounting sees them all, and the elapsed time ends with the last cycle: every
 * counted cycle is whole.
 */
final class PoolCycles {

    /** A cycle with the query: borrow, {@code SELECT 1}, return; it returns the value read. */
    @FunctionalInterface
    interface QueryCycle {
        int run() throws Exception;
    }

    /** A cycle without a statement: borrow and return. */
    @FunctionalInterface
    interface BareCycle {
        void run() throws Exception;
    }

    private PoolCycles() {
    }

    /**
     * Runs both phases for {@code millis} each and returns the query phase's {@link Measurement}
     * ({@code rows}: its cycles) with the bare phase's wall time, CPU time, allocation and cycles,
     * and the number of threads.
     */
    static Measurement run(long millis, QueryCycle query, BareCycle bare) throws Exception {
        Phase withQuery = phase(millis, query);
        if (withQuery.sum != withQuery.m.get(Measurement.ROWS)) {
            throw new IllegalStateException("SELECT 1 returned something else than 1");
        }
        Measurement bareOnly = phase(millis, () -> {
            bare.run();
            return 0;
        }).m;
        return withQuery.m.with(Measurement.THREADS, Workload.POOL_THREADS)
                .with(Measurement.BARE_WALL, bareOnly.get(Measurement.WALL))
                .with(Measurement.BARE_CPU, bareOnly.get(Measurement.CPU))
                .with(Measurement.BARE_ALLOC, bareOnly.get(Measurement.ALLOC))
                .with(Measurement.BARE_CYCLES, bareOnly.get(Measurement.ROWS));
    }

    /** A phase's figures ({@code rows}: its cycles) and the sum of its cycles' results. */
    private record Phase(Measurement m, long sum) {
    }

    private static Phase phase(long millis, QueryCycle cycle) throws Exception {
        int n = Workload.POOL_THREADS;
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(n);
        CountDownLatch leave = new CountDownLatch(1);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] cycles = new long[n];
        long[] sums = new long[n];
        Thread[] threads = new Thread[n];
        for (int t = 0; t < n; t++) {
            int slot = t;
            threads[t] = new Thread(() -> {
                long count = 0;
                long total = 0;
                ready.countDown();
                try {
                    go.await();
                    while (!stop.get()) {
                        total += cycle.run();
                        count++;
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    stop.set(true);
                }
                cycles[slot] = count;
                sums[slot] = total;
                done.countDown();
                try {
                    leave.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "w11-" + t);
            threads[t].start();
        }
        ready.await();
        Meter meter = Meter.start(0);
        go.countDown();
        done.await(millis, TimeUnit.MILLISECONDS); // early only when a failure stopped every thread
        stop.set(true);
        done.await();
        long totalCycles = 0;
        long sum = 0;
        for (int t = 0; t < n; t++) {
            totalCycles += cycles[t];
            sum += sums[t];
        }
        Measurement m = meter.stop(totalCycles, 0);
        leave.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        Throwable e = failure.get();
        if (e instanceof Exception ex) {
            throw ex;
        }
        if (e != null) {
            throw (Error) e;
        }
        return new Phase(m, sum);
    }

    /** Cycles per second with the query, in one run. */
    static double throughput(Measurement m) {
        return m.get(Measurement.ROWS) / (m.get(Measurement.WALL) / 1e9);
    }

    /**
     * The time one borrow-and-return takes a thread, in one run: elapsed × threads / cycles of the
     * bare phase, waiting for a connection included (wall-based, not CPU time).
     */
    static double overheadNs(Measurement m) {
        return (double) m.get(Measurement.BARE_WALL) * m.get(Measurement.THREADS) / m.get(Measurement.BARE_CYCLES);
    }

    /** Client CPU (the whole process's) per cycle with the query, in ns. */
    static double cpuPerCycleNs(Measurement m) {
        return (double) m.get(Measurement.CPU) / m.get(Measurement.ROWS);
    }

    /** Client CPU (the whole process's) per bare borrow-and-return, in ns. */
    static double bareCpuPerCycleNs(Measurement m) {
        return (double) m.get(Measurement.BARE_CPU) / m.get(Measurement.BARE_CYCLES);
    }
}

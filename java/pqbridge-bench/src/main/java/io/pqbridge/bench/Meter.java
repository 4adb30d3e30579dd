package io.pqbridge.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Measures one workload inside a client JVM: wall time, the process's CPU time (all threads, so
 * GC and JIT work caused by the workload count, as they would for a user; to the nanosecond from
 * the kernel's per-thread accounting, see {@link #cpuSince}) and the part of it spent by the
 * calling thread (the rest is the JVM's own: GC, JIT, safepoints), heap bytes allocated
 * by all threads, the peak heap occupancy, and the CPU time of the server process at the other
 * end of the connection when it runs on this machine. Start it after the connection and any
 * preparation, stop it when the workload's last result is in.
 */
final class Meter {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** The resolution of the JVM's process CPU time on Linux: one clock tick (USER_HZ = 100). */
    private static final long TICK_NS = 10_000_000L;

    private final int serverPid;
    private final long serverCpu;
    private final long alloc;
    private final Map<String, Long> tasks;
    private final long threadCpu;
    private final long cpu;
    private final long wall;

    private Meter(int serverPid) {
        this.serverPid = serverPid;
        this.serverCpu = serverCpuNs(serverPid);
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
        this.alloc = allocatedBytes();
        this.tasks = taskCpuNs();
        this.threadCpu = THREADS.getCurrentThreadCpuTime();
        this.cpu = OS.getProcessCpuTime();
        this.wall = System.nanoTime();
    }

    /** Starts measuring; {@code serverPid} is the connection's backend process id. */
    static Meter start(int serverPid) {
        return new Meter(serverPid);
    }

    /** Stops and returns the figures. */
    Measurement stop(long rows, long bytes) {
        long wallNs = System.nanoTime() - wall;
        long threadCpuNs = THREADS.getCurrentThreadCpuTime() - threadCpu;
        long cpuNs = OS.getProcessCpuTime() - cpu;
        long preciseNs = cpuSince(tasks, taskCpuNs());
        if (preciseNs >= 0 && cpuNs - preciseNs < TICK_NS + TICK_NS / 2) {
            cpuNs = preciseNs;
        }
        long allocBytes = allocatedBytes() - alloc;
        long after = serverCpuNs(serverPid);
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        Map<String, Long> f = new LinkedHashMap<>();
        f.put(Measurement.WALL, wallNs);
        f.put(Measurement.CPU, cpuNs);
        f.put(Measurement.THREAD_CPU, threadCpuNs);
        f.put(Measurement.ROWS, rows);
        f.put(Measurement.BYTES, bytes);
        f.put(Measurement.SERVER_CPU, serverCpu >= 0 && after >= 0 ? after - serverCpu : -1);
        f.put(Measurement.ALLOC, allocBytes);
        f.put(Measurement.PEAK_HEAP, peak);
        f.put(Measurement.MAX_HEAP, Runtime.getRuntime().maxMemory());
        return new Measurement(f);
    }

    /**
     * The process's CPU time since {@code before}, to the nanosecond, as the sum over its threads
     * (JVM threads, GC and JIT threads alike) of the time each spent on a CPU; -1 when that cannot
     * be known exactly: no schedstat on this kernel, or a thread that existed at the start ended
     * (its time went with it). A thread that both started and ended in between is invisible here,
     * so the caller also compares with the JVM's process CPU time, which counts every thread but
     * in clock ticks (it is within one tick of the truth): when that is more than 1.5 ticks
     * higher, something was missed and the coarse figure is the better one.
     */
    private static long cpuSince(Map<String, Long> before, Map<String, Long> after) {
        if (before == null || after == null || !after.keySet().containsAll(before.keySet())) {
            return -1;
        }
        long total = 0;
        for (Map.Entry<String, Long> e : after.entrySet()) {
            total += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return total;
    }

    /** Nanoseconds on a CPU per thread of this process (/proc/self/task/TID/schedstat), or null. */
    private static Map<String, Long> taskCpuNs() {
        Map<String, Long> cpu = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    cpu.put(task.getFileName().toString(), firstNumber(task.resolve("schedstat")));
                } catch (NoSuchFileException e) {
                    // the thread ended while we listed: it is not in this snapshot
                }
            }
            return cpu;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long firstNumber(Path file) throws IOException {
        String s = Files.readString(file);
        int space = s.indexOf(' ');
        return Long.parseLong(space < 0 ? s.trim() : s.substring(0, space));
    }

    /** Heap bytes allocated so far by the threads alive now (the workload runs on live threads). */
    private static long allocatedBytes() {
        long total = 0;
        for (long bytes : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
            if (bytes > 0) {
                total += bytes;
            }
        }
        return total;
    }

    /**
     * CPU time of a local PostgreSQL process (/proc/PID/schedstat, to the nanosecond), or -1 when
     * PID is not a postgres process on this machine.
     */
    static long serverCpuNs(int pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            Path proc = Path.of("/proc", Integer.toString(pid));
            if (!Files.readString(proc.resolve("comm")).startsWith("postgres")) {
                return -1;
            }
            return firstNumber(proc.resolve("schedstat"));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}

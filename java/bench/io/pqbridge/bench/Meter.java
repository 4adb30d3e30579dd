package io.pqbridge.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Measures one workload inside a client JVM: wall time, the process's CPU time (all threads, so
 * GC and JIT work caused by the workload count, as they would for a user), heap bytes allocated
 * by all threads, the peak heap occupancy, and the CPU time of the server process at the other
 * end of the connection when it runs on this machine. Start it after the connection and any
 * preparation, stop it when the workload's last result is in.
 */
final class Meter {

    /** Linux reports process times in clock ticks of 1/100 s (USER_HZ) on every usual kernel. */
    private static final long NS_PER_TICK = 10_000_000L;

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final int serverPid;
    private final long serverCpu;
    private final long alloc;
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
        long cpuNs = OS.getProcessCpuTime() - cpu;
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
        f.put(Measurement.ROWS, rows);
        f.put(Measurement.BYTES, bytes);
        f.put(Measurement.SERVER_CPU, serverCpu >= 0 && after >= 0 ? after - serverCpu : -1);
        f.put(Measurement.ALLOC, allocBytes);
        f.put(Measurement.PEAK_HEAP, peak);
        f.put(Measurement.MAX_HEAP, Runtime.getRuntime().maxMemory());
        return new Measurement(f);
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

    /** CPU time of a local PostgreSQL process from /proc, or -1 when it is not one on this machine. */
    static long serverCpuNs(int pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            if (open < 0 || close < 0 || !stat.startsWith("postgres", open + 1)) {
                return -1;
            }
            // after ") ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
            String[] f = stat.substring(close + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}

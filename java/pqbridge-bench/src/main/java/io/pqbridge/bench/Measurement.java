package io.pqbridge.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one run of one workload by one contestant, as its client process measured them.
 * It travels between processes as one line, {@code ok key=value ...} (the C client prints the same
 * line), with integer values:
 * <ul>
 *   <li>{@code wall_ns}: wall time of the workload;</li>
 *   <li>{@code cpu_ns}: CPU time of the whole client process during the workload (every thread:
 *       the caller, GC, JIT), taken inside the process so start-up is excluded;</li>
 *   <li>{@code rows}, {@code bytes}: what went through (bytes of COPY data; 0 when not counted);</li>
 *   <li>{@code server_cpu_ns}: CPU time of the server process serving the connection, -1 when
 *       unknown (the server is not on this machine);</li>
 *   <li>JVM clients also: {@code thread_cpu_ns} (the part of {@code cpu_ns} spent by the thread
 *       running the workload; the rest is the JVM's GC, JIT and other threads), {@code alloc_bytes}
 *       (heap allocated by all threads during the workload),
 *       {@code peak_heap_bytes} and {@code max_heap_bytes} (W7, W10);</li>
 *   <li>W11 ({@link PoolCycles}): the figures above are its query phase's ({@code rows}: its
 *       cycles), with {@code threads}, and {@code bare_wall_ns}, {@code bare_cpu_ns},
 *       {@code bare_alloc_bytes} and {@code bare_cycles} of its borrow-and-return phase.</li>
 *   <li>W10 by the C client: {@code chunk_rows}, the rows per result it asked libpq for (1: its
 *       libpq is older than 17 and has single-row mode only).</li>
 * </ul>
 */
public record Measurement(Map<String, Long> figures) {

    public static final String WALL = "wall_ns";
    public static final String CPU = "cpu_ns";
    public static final String THREAD_CPU = "thread_cpu_ns";
    public static final String ROWS = "rows";
    public static final String BYTES = "bytes";
    public static final String SERVER_CPU = "server_cpu_ns";
    public static final String ALLOC = "alloc_bytes";
    public static final String PEAK_HEAP = "peak_heap_bytes";
    public static final String MAX_HEAP = "max_heap_bytes";
    public static final String THREADS = "threads";
    public static final String BARE_WALL = "bare_wall_ns";
    public static final String BARE_CPU = "bare_cpu_ns";
    public static final String BARE_ALLOC = "bare_alloc_bytes";
    public static final String BARE_CYCLES = "bare_cycles";
    public static final String CHUNK_ROWS = "chunk_rows";

    public Measurement {
        figures = Map.copyOf(figures);
    }

    /** Parses a result line; throws with the line when it is not {@code ok ...}. */
    public static Measurement parse(String line) {
        if (line == null || !line.startsWith("ok ")) {
            throw new IllegalStateException("expected a result line 'ok key=value ...', got: " + line);
        }
        Map<String, Long> figures = new LinkedHashMap<>();
        for (String field : line.substring(3).trim().split(" +")) {
            int eq = field.indexOf('=');
            if (eq <= 0) {
                throw new IllegalStateException("malformed field '" + field + "' in result line: " + line);
            }
            figures.put(field.substring(0, eq), Long.parseLong(field.substring(eq + 1)));
        }
        for (String required : new String[] {WALL, CPU, ROWS}) {
            if (!figures.containsKey(required)) {
                throw new IllegalStateException("result line without " + required + ": " + line);
            }
        }
        return new Measurement(figures);
    }

    /** The figure, or -1 when this measurement does not have it. */
    public long get(String key) {
        return figures.getOrDefault(key, -1L);
    }

    /** A copy with one figure replaced. */
    public Measurement with(String key, long value) {
        Map<String, Long> copy = new LinkedHashMap<>(figures);
        copy.put(key, value);
        return new Measurement(copy);
    }

    public String toLine() {
        StringBuilder s = new StringBuilder("ok");
        figures.forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
        return s.toString();
    }
}

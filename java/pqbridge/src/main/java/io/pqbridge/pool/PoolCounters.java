package io.pqbridge.pool;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * psycopg_pool's usage counters, under its names ({@code requests_num}, {@code usage_ms}...). They
 * are bumped on every borrow and return, from many threads at once, so each is a
 * {@link LongAdder}: an increment touches a cell of its own thread instead of one contended word.
 * A reading while others count is not one instant's picture (psycopg's is not either).
 */
final class PoolCounters {

    /** The counters, each with its key in {@code getStats()}. */
    enum Counter {
        REQUESTS_NUM("requests_num"),
        REQUESTS_QUEUED("requests_queued"),
        REQUESTS_WAIT_MS("requests_wait_ms"),
        REQUESTS_ERRORS("requests_errors"),
        USAGE_MS("usage_ms"),
        RETURNS_BAD("returns_bad"),
        CONNECTIONS_NUM("connections_num"),
        CONNECTIONS_MS("connections_ms"),
        CONNECTIONS_ERRORS("connections_errors"),
        CONNECTIONS_LOST("connections_lost");

        final String key;

        Counter(String key) {
            this.key = key;
        }
    }

    private final LongAdder[] adders = new LongAdder[Counter.values().length];

    PoolCounters() {
        for (int i = 0; i < adders.length; i++) {
            adders[i] = new LongAdder();
        }
    }

    void increment(Counter counter) {
        adders[counter.ordinal()].increment();
    }

    /** Adds the milliseconds elapsed since {@code startNanos} ({@link System#nanoTime()}). */
    void addMillisSince(Counter counter, long startNanos) {
        addMillis(counter, startNanos, System.nanoTime());
    }

    /** Adds the milliseconds from {@code startNanos} to {@code endNanos} ({@link System#nanoTime()}). */
    void addMillis(Counter counter, long startNanos, long endNanos) {
        adders[counter.ordinal()].add((endNanos - startNanos) / 1_000_000L);
    }

    /** Puts every counter into {@code into}, zeroing them when {@code reset}. */
    void read(Map<String, Long> into, boolean reset) {
        for (Counter c : Counter.values()) {
            LongAdder adder = adders[c.ordinal()];
            into.put(c.key, reset ? adder.sumThenReset() : adder.sum());
        }
    }
}

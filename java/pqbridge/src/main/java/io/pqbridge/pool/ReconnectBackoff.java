package io.pqbridge.pool;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The delays between attempts to connect (psycopg_pool's {@code AttemptWithBackoff}): the first
 * retry after about a second (plus or minus 10%, so that pools restarted together do not retry in
 * step), each next one twice as long, none past the moment to give up, which the first failure
 * fixes at {@code timeout} later. Not thread-safe: one chain of attempts owns it.
 */
final class ReconnectBackoff {

    private static final double INITIAL_DELAY_S = 1.0;
    private static final double JITTER = 0.1;
    private static final double FACTOR = 2.0;

    private final long timeoutNanos;
    private long delayNanos;
    private long giveUpAt;
    private boolean started;

    ReconnectBackoff(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    /** Computes the delay before the next attempt, after one failed at {@code now}. */
    void failedAt(long now) {
        if (!started) {
            started = true;
            giveUpAt = now + timeoutNanos;
            delayNanos = (long) (jitter(INITIAL_DELAY_S, -JITTER, JITTER) * 1e9);
        } else {
            delayNanos = (long) (delayNanos * FACTOR);
        }
        if (delayNanos > giveUpAt - now) {
            delayNanos = Math.max(0, giveUpAt - now);
        }
    }

    /** {@return the delay before the next attempt, in nanoseconds} */
    long delayNanos() {
        return delayNanos;
    }

    /** {@return whether the time to give up has come} */
    boolean timeToGiveUp(long now) {
        return started && now - giveUpAt >= 0;
    }

    /** {@code value} changed by a random fraction between {@code minFraction} and {@code maxFraction}. */
    static double jitter(double value, double minFraction, double maxFraction) {
        return value * (1.0 + minFraction + (maxFraction - minFraction) * ThreadLocalRandom.current().nextDouble());
    }
}

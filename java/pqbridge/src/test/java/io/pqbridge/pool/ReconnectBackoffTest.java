package io.pqbridge.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;

/** psycopg_pool's backoff: about 1 s first (plus or minus 10%), doubling, never past the give-up time. */
class ReconnectBackoffTest {

    private static final long S = TimeUnit.SECONDS.toNanos(1);

    @RepeatedTest(20)
    void delaysStartNearOneSecondDoubleAndStopAtTheGiveUpTime() {
        ReconnectBackoff b = new ReconnectBackoff(10 * S);
        long now = 1_000 * S;
        assertFalse(b.timeToGiveUp(now), "not before the first failure");
        b.failedAt(now);
        long first = b.delayNanos();
        assertTrue(first >= 0.9 * S && first <= 1.1 * S, "first delay " + first);
        now += first;
        b.failedAt(now);
        assertEquals(2 * first, b.delayNanos(), 1);
        now += b.delayNanos();
        b.failedAt(now);
        assertEquals(4 * first, b.delayNanos(), 2);
        now += b.delayNanos();
        b.failedAt(now);
        long giveUpAt = 1_000 * S + 10 * S;
        assertEquals(giveUpAt - now, b.delayNanos(), "capped at the give-up time");
        assertFalse(b.timeToGiveUp(now));
        assertTrue(b.timeToGiveUp(giveUpAt));
    }

    @RepeatedTest(20)
    void jitterStaysWithinItsBounds() {
        double v = ReconnectBackoff.jitter(3600, -0.05, 0.0);
        assertTrue(v >= 3600 * 0.95 && v <= 3600, String.valueOf(v));
    }
}

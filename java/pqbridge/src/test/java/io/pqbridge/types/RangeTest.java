package io.pqbridge.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** psycopg's Range semantics: bounds, inclusivity, unbounded sides, emptiness, containment, equality. */
class RangeTest {

    @Test
    void boundsAndContainment() {
        Range<Integer> r = new Range<>(1, 5);
        assertEquals("[)", r.bounds());
        assertTrue(r.contains(1) && r.contains(4));
        assertFalse(r.contains(5) || r.contains(0));
        Range<Integer> closed = new Range<>(1, 5, "[]");
        assertTrue(closed.contains(5));
        Range<Integer> open = new Range<>(1, 5, "()");
        assertFalse(open.contains(1));
        Range<Integer> below = new Range<>(null, 5, "[]");
        assertEquals("(]", below.bounds(), "a missing bound is never included");
        assertTrue(below.lowerInf() && !below.upperInf() && below.contains(Integer.MIN_VALUE));
        assertTrue(new Range<Integer>(null, null).contains(0));
        assertFalse(Range.<Integer>empty().contains(0));
        assertTrue(Range.empty().isEmpty() && !Range.empty().lowerInf());
        assertThrows(IllegalArgumentException.class, () -> new Range<>(1, 2, "[["));
    }

    @Test
    void equalityIsPsycopgs() {
        assertEquals(new Range<>(1, 5), new Range<>(1, 5, "[)"));
        assertNotEquals(new Range<>(1, 5), new Range<>(1, 4, "[]"), "the same integers, written otherwise");
        assertNotEquals(Range.empty(), new Range<Integer>(null, null));
        assertEquals("[1, 5)", new Range<>(1, 5).toString());
        assertEquals("empty", Range.empty().toString());
    }
}

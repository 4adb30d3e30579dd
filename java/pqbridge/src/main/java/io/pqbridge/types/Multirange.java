package io.pqbridge.types;

import java.util.List;
import java.util.Objects;

/**
 * A PostgreSQL multirange value (PostgreSQL 14 and later; psycopg's {@code Multirange}): an
 * ordered list of non-overlapping {@link Range}s. {@code int4multirange} and its kin load as
 * multiranges of the matching {@code Range}s; a multirange is sent as the type of its ranges'
 * bounds (an empty one as {@code unknown} text, typed by the context). Equality compares the
 * ranges in order; the server merges and sorts what it is given. Immutable.
 *
 * @param <T> the class of the bounds
 */
public final class Multirange<T extends Comparable<? super T>> {

    private final List<Range<T>> ranges;

    /**
     * @param ranges the ranges, in order; no null
     */
    public Multirange(List<Range<T>> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /**
     * {@return a multirange of the given ranges}
     *
     * @param <T> the class of the bounds
     * @param ranges the ranges, in order
     */
    @SafeVarargs
    public static <T extends Comparable<? super T>> Multirange<T> of(Range<T>... ranges) {
        return new Multirange<>(List.of(ranges));
    }

    /** {@return the ranges, in order} */
    public List<Range<T>> ranges() {
        return ranges;
    }

    /**
     * {@return true when one of the ranges contains {@code value}}
     *
     * @param value a value of the bounds' class
     */
    public boolean contains(T value) {
        Objects.requireNonNull(value, "value");
        return ranges.stream().anyMatch(r -> r.contains(value));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multirange<?> m && m.ranges.equals(ranges);
    }

    @Override
    public int hashCode() {
        return ranges.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{");
        for (Range<T> r : ranges) {
            s.append(s.length() > 1 ? ", " : "").append(r);
        }
        return s.append('}').toString();
    }
}

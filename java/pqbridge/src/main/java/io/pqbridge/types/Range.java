package io.pqbridge.types;

import java.util.Objects;

/**
 * A PostgreSQL range value (psycopg's {@code Range}): a lower and an upper bound, each included
 * or not, either missing for an unbounded side; or the empty range. {@code int4range},
 * {@code int8range}, {@code numrange}, {@code daterange}, {@code tsrange} and {@code tstzrange}
 * load as ranges of {@code Integer}, {@code Long}, {@code BigDecimal}, {@code LocalDate},
 * {@code LocalDateTime} and {@code OffsetDateTime}, and a range of those classes is sent as that
 * type.
 *
 * <p>Equality is psycopg's: the same bounds and the same inclusivity, as given. The server
 * normalises a discrete range ({@code [1,5]} comes back as {@code [1,6)}), so compare what it
 * returned with what it returned. Immutable.
 *
 * @param <T> the class of the bounds
 */
public final class Range<T extends Comparable<? super T>> {

    private static final Range<?> EMPTY = new Range<>(null, null, "()", true);

    private final T lower;
    private final T upper;
    private final boolean lowerInc;
    private final boolean upperInc;
    private final boolean empty;

    /**
     * A range with the given bounds (psycopg's {@code Range(lower, upper, bounds)}).
     *
     * @param lower the lower bound; null for none (unbounded below)
     * @param upper the upper bound; null for none (unbounded above)
     * @param bounds {@code "[)"}, {@code "[]"}, {@code "()"} or {@code "(]"}: whether each bound is
     *     included; a missing bound is never included
     * @throws IllegalArgumentException for other bounds
     */
    public Range(T lower, T upper, String bounds) {
        this(lower, upper, bounds, false);
    }

    /**
     * A range from {@code lower} included to {@code upper} excluded, PostgreSQL's default bounds.
     *
     * @param lower the lower bound; null for none
     * @param upper the upper bound; null for none
     */
    public Range(T lower, T upper) {
        this(lower, upper, "[)", false);
    }

    private Range(T lower, T upper, String bounds, boolean empty) {
        if (bounds == null || bounds.length() != 2 || "[(".indexOf(bounds.charAt(0)) < 0
                || "])".indexOf(bounds.charAt(1)) < 0) {
            throw new IllegalArgumentException("the bounds of a range are \"[)\", \"[]\", \"()\" or \"(]\", not "
                    + (bounds == null ? "null" : "\"" + bounds + "\""));
        }
        this.lower = lower;
        this.upper = upper;
        this.lowerInc = lower != null && bounds.charAt(0) == '[';
        this.upperInc = upper != null && bounds.charAt(1) == ']';
        this.empty = empty;
    }

    /**
     * {@return the empty range (psycopg's {@code Range(empty=True)})}
     *
     * @param <T> the class the bounds would have
     */
    @SuppressWarnings("unchecked")
    public static <T extends Comparable<? super T>> Range<T> empty() {
        return (Range<T>) EMPTY;
    }

    /** {@return the lower bound, null when unbounded below or empty} */
    public T lower() {
        return lower;
    }

    /** {@return the upper bound, null when unbounded above or empty} */
    public T upper() {
        return upper;
    }

    /** {@return the bounds as PostgreSQL writes them: {@code "[)"}, {@code "(]"}...} */
    public String bounds() {
        return (lowerInc ? "[" : "(") + (upperInc ? "]" : ")");
    }

    /** {@return true for the empty range} */
    public boolean isEmpty() {
        return empty;
    }

    /** {@return true when the lower bound is included} */
    public boolean lowerInc() {
        return lowerInc;
    }

    /** {@return true when the upper bound is included} */
    public boolean upperInc() {
        return upperInc;
    }

    /** {@return true when the range is unbounded below (and not empty)} */
    public boolean lowerInf() {
        return !empty && lower == null;
    }

    /** {@return true when the range is unbounded above (and not empty)} */
    public boolean upperInf() {
        return !empty && upper == null;
    }

    /**
     * {@return true when {@code value} is in the range (psycopg's {@code in})}
     *
     * @param value a value of the bounds' class
     */
    public boolean contains(T value) {
        Objects.requireNonNull(value, "value");
        if (empty) {
            return false;
        }
        if (lower != null) {
            int c = value.compareTo(lower);
            if (c < 0 || (c == 0 && !lowerInc)) {
                return false;
            }
        }
        if (upper != null) {
            int c = value.compareTo(upper);
            return c < 0 || (c == 0 && upperInc);
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Range<?> r && r.empty == empty && r.lowerInc == lowerInc && r.upperInc == upperInc
                && Objects.equals(r.lower, lower) && Objects.equals(r.upper, upper);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lower, upper, lowerInc, upperInc, empty);
    }

    /** {@return the range as PostgreSQL's text shows it, roughly: {@code [1, 5)}, {@code empty}} */
    @Override
    public String toString() {
        if (empty) {
            return "empty";
        }
        return (lowerInc ? "[" : "(") + (lower == null ? "" : lower) + ", " + (upper == null ? "" : upper)
                + (upperInc ? "]" : ")");
    }
}

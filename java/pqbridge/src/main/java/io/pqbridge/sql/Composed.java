package io.pqbridge.sql;

import io.pqbridge.adapt.AdaptContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A sequence of composables written one after the other (psycopg's {@code sql.Composed}), as
 * {@link Sql#format} and {@link Sql#join} build it. A value given where a composable is expected
 * becomes a {@link Literal}.
 */
public final class Composed extends Composable {

    private final List<Composable> seq;

    /**
     * @param seq the parts, in order; an element that is not a {@link Composable} becomes a
     *     {@link Literal}
     */
    public Composed(List<?> seq) {
        List<Composable> parts = new ArrayList<>(seq.size());
        for (Object o : seq) {
            parts.add(wrap(o));
        }
        this.seq = List.copyOf(parts);
    }

    /** {@return the parts, in order} */
    public List<Composable> seq() {
        return seq;
    }

    /**
     * {@return the parts with {@code joiner} between each two (psycopg's {@code Composed.join()}),
     * for example {@code new Composed(List.of(a, b)).join(", ")}}
     *
     * @param joiner raw SQL text
     */
    public Composed join(String joiner) {
        return join(new Sql(joiner));
    }

    /**
     * {@return the parts with {@code joiner} between each two}
     *
     * @param joiner the separator
     */
    public Composed join(Sql joiner) {
        return joiner.join(seq);
    }

    /** {@code a} then {@code b}, a Composed on either side flattened. */
    static Composed of(Composable a, Composable b) {
        List<Composable> parts = new ArrayList<>();
        for (Composable c : new Composable[] {a, Objects.requireNonNull(b, "other")}) {
            if (c instanceof Composed composed) {
                parts.addAll(composed.seq);
            } else {
                parts.add(c);
            }
        }
        return new Composed(parts);
    }

    static Composable wrap(Object o) {
        return o instanceof Composable c ? c : new Literal(o);
    }

    @Override
    void render(StringBuilder out, AdaptContext ctx, boolean forParameters) {
        for (Composable c : seq) {
            c.render(out, ctx, forParameters);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Composed other && seq.equals(other.seq);
    }

    @Override
    public int hashCode() {
        return seq.hashCode();
    }

    @Override
    public String toString() {
        return "Composed([" + seq.stream().map(Object::toString).collect(Collectors.joining(", ")) + "])";
    }
}

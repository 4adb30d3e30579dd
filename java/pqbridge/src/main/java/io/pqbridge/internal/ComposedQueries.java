package io.pqbridge.internal;

import io.pqbridge.adapt.AdaptContext;
import java.util.Objects;
import java.util.function.Function;

/**
 * The bridge between the facade and {@code io.pqbridge.sql}, which need two things of each other
 * that must be neither API nor a package cycle (the composables name the facade's
 * {@code Connection}, so the facade cannot name them): the facade renders a composable for a
 * statement with parameters (a {@code %} in a literal or a name doubled), and a composable reads
 * an open connection's session settings. Each side installs its half when its class loads; this
 * package is not exported, so applications on the module path cannot call it.
 */
public final class ComposedQueries {

    /** Renders a composable; {@code io.pqbridge.sql.Composable} installs it. */
    @FunctionalInterface
    public interface Renderer {
        /**
         * The text of {@code query} if it is a composable, else null.
         *
         * @param forParameters whether {@code %} in literals and names is doubled
         */
        String render(Object query, AdaptContext ctx, boolean forParameters);
    }

    private static volatile Renderer renderer = (query, ctx, forParameters) -> null;
    private static volatile Function<Object, AdaptContext> contexts;

    private ComposedQueries() {
    }

    /** Called by {@code Composable}'s class initialiser. */
    public static void installRenderer(Renderer r) {
        renderer = Objects.requireNonNull(r);
    }

    /** Called by {@code Connection}'s class initialiser: the session settings of an open connection. */
    public static void installContexts(Function<Object, AdaptContext> c) {
        contexts = Objects.requireNonNull(c);
    }

    /**
     * The text of {@code query} if it is a composable (whose class, having an instance, installed
     * the renderer), else null.
     */
    public static String render(Object query, AdaptContext ctx, boolean forParameters) {
        return renderer.render(query, ctx, forParameters);
    }

    /** The session settings of {@code conn}, a connection (whose class installed this). */
    public static AdaptContext contextOf(Object conn) {
        return contexts.apply(Objects.requireNonNull(conn, "conn"));
    }
}

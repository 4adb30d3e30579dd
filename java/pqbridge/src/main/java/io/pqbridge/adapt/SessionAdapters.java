package io.pqbridge.adapt;

import io.pqbridge.types.Dumper;
import io.pqbridge.types.Loader;

/**
 * Dumpers and loaders that convert other values on the way (a composite's fields): they need the
 * session's {@link AdaptContext} (its settings and registrations), which the public
 * {@link Dumper} and {@link Loader} do not see. {@link RegisteredCodec} hands it to them; called
 * without one, they use {@link AdaptContext#DEFAULT}.
 */
public final class SessionAdapters {

    private SessionAdapters() {
    }

    /**
     * A dumper given the session.
     *
     * @param <T> the Java class it writes
     */
    public interface SessionDumper<T> extends Dumper<T> {

        /**
         * {@return the value in {@link #format()}, its parts converted for {@code ctx}}
         *
         * @param value the value, not null
         * @param ctx the session
         */
        byte[] dump(T value, AdaptContext ctx);

        @Override
        default byte[] dump(T value) {
            return dump(value, AdaptContext.DEFAULT);
        }
    }

    /**
     * A loader given the session.
     *
     * @param <T> what a value becomes
     */
    public interface SessionLoader<T> extends Loader<T> {

        /**
         * {@return the value, its parts converted for {@code ctx}}
         *
         * @param data the value's bytes
         * @param ctx the session
         */
        T load(byte[] data, AdaptContext ctx);

        @Override
        default T load(byte[] data) {
            return load(data, AdaptContext.DEFAULT);
        }
    }
}

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

    /**
     * {@return a session dumper of the given type and format that writes with {@code dump}} (the
     * session-aware twin of {@link Dumper#of})
     *
     * @param <T> the Java class it writes
     * @param oid the OID of the type written
     * @param format the format {@code dump} writes
     * @param dump makes the bytes of one value for a session
     */
    public static <T> SessionDumper<T> dumper(int oid, io.pqbridge.types.Format format,
            java.util.function.BiFunction<? super T, AdaptContext, byte[]> dump) {
        return new SessionDumper<>() {
            @Override
            public int oid() {
                return oid;
            }

            @Override
            public io.pqbridge.types.Format format() {
                return format;
            }

            @Override
            public byte[] dump(T value, AdaptContext ctx) {
                return dump.apply(value, ctx);
            }
        };
    }
}

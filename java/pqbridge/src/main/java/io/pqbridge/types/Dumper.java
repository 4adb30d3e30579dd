package io.pqbridge.types;

/**
 * Writes Java values of one class as one PostgreSQL type (psycopg's {@code Dumper}), registered
 * with {@link AdaptersMap#registerDumper}. pqbridge then uses it for parameters, COPY
 * {@code writeRow}, literals and the elements of arrays of that class.
 *
 * <p>Stateless and thread-safe: one instance serves every connection it is registered for.
 *
 * @param <T> the Java class it writes
 */
public interface Dumper<T> {

    /** {@return the OID of the type written, sent with a parameter; 0 lets the server infer it} */
    int oid();

    /** {@return the format {@link #dump} writes} */
    Format format();

    /**
     * {@return the value in {@link #format()}}: for {@link Format#TEXT} the type's text form as
     * UTF-8 (no NUL), for {@link Format#BINARY} its binary form
     *
     * @param value the value, never null (NULL needs no dumper)
     */
    byte[] dump(T value);

    /**
     * {@return a dumper of the given type and format that writes with {@code dump}}
     *
     * @param <T> the Java class it writes
     * @param oid the OID of the type written; 0 lets the server infer it
     * @param format the format {@code dump} writes
     * @param dump makes the bytes of one value
     */
    static <T> Dumper<T> of(int oid, Format format, java.util.function.Function<? super T, byte[]> dump) {
        java.util.Objects.requireNonNull(format, "format");
        java.util.Objects.requireNonNull(dump, "dump");
        return new Dumper<>() {
            @Override
            public int oid() {
                return oid;
            }

            @Override
            public Format format() {
                return format;
            }

            @Override
            public byte[] dump(T value) {
                return dump.apply(value);
            }

            @Override
            public String toString() {
                return "Dumper[oid " + oid + ", " + format + "]";
            }
        };
    }
}

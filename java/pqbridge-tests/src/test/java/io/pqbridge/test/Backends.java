package io.pqbridge.test;

import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.Pq;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The backends a behaviour test runs on: every backend that loads in this JVM, or only the one
 * {@code pqbridge.impl} requests (the java-only run of scripts/test sets it and leaves the native
 * library out). Use as {@code @MethodSource("io.pqbridge.test.Backends#all")}.
 */
public final class Backends {

    private Backends() {
    }

    public static Stream<PgBackend> all() {
        String requested = Pq.requested();
        if (requested != null) {
            return Stream.of(Pq.backend(requested));
        }
        return Pq.availableBackends().stream().map(Pq::backend);
    }

    /**
     * Every backend of {@link #all()} with every case, the backend first:
     * {@code Arguments.of(backend, caseArguments...)}, for tests with more parameters than the backend.
     */
    public static Stream<Arguments> crossed(Stream<Arguments> cases) {
        List<Object[]> each = cases.map(Arguments::get).toList();
        return all().flatMap(backend -> each.stream().map(arguments -> {
            Object[] withBackend = new Object[arguments.length + 1];
            withBackend[0] = backend;
            System.arraycopy(arguments, 0, withBackend, 1, arguments.length);
            return Arguments.of(withBackend);
        }));
    }
}

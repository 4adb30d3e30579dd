package io.pqbridge.test;

import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.Pq;
import java.util.stream.Stream;

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
}

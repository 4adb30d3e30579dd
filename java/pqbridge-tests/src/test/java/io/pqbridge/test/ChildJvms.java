package io.pqbridge.test;

import io.pqbridge.pq.PgBackend;
import io.pqbridge.testing.ChildResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What tests need to run child JVMs: the suite's JVM options, and one child per backend run side
 * by side (long tests such as fuzzing and the soak halve their time on two cores).
 */
public final class ChildJvms {

    private ChildJvms() {
    }

    /**
     * The suite's own JVM options ({@code pqbridge.test.jvm}, set by the POM: native access, the
     * library path) minus its crash-report location, which {@link io.pqbridge.testing.ChildJvm}
     * sets per child, followed by {@code extra}.
     */
    public static List<String> options(String... extra) {
        Stream<String> suite = Arrays.stream(System.getProperty("pqbridge.test.jvm", "").split("\\s+"))
                .filter(o -> !o.isBlank() && !o.startsWith("-XX:ErrorFile"));
        return Stream.concat(suite, Arrays.stream(extra)).toList();
    }

    /** Runs {@code child} for every backend that loads, each on its own thread; results by backend name. */
    public static Map<String, ChildResult> perBackend(Function<PgBackend, ChildResult> child)
            throws InterruptedException {
        Map<String, ChildResult> results = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (PgBackend backend : Backends.all().toList()) {
            Thread t = new Thread(() -> results.put(backend.name(), child.apply(backend)), "child-" + backend.name());
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        return new TreeMap<>(results);
    }
}

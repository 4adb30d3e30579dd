package io.pqbridge.test;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * JVM options for the child JVMs tests start: the suite's own ({@code pqbridge.test.jvm}, set by
 * the POM: native access, the library path) minus its crash-report location, which
 * {@link io.pqbridge.testing.ChildJvm} sets per child, followed by the test's own.
 */
public final class ChildOptions {

    private ChildOptions() {
    }

    public static List<String> suiteAnd(String... extra) {
        Stream<String> suite = Arrays.stream(System.getProperty("pqbridge.test.jvm", "").split("\\s+"))
                .filter(o -> !o.isBlank() && !o.startsWith("-XX:ErrorFile"));
        return Stream.concat(suite, Arrays.stream(extra)).toList();
    }
}

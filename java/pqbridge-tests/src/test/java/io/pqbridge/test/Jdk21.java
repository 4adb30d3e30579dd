package io.pqbridge.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A JDK of release 21 or later for child JVMs, while the build and the suite run on 17: the one
 * named by the system property {@value #PROPERTY}, else by the environment variable
 * {@value #ENV}, else the newest under {@value #SCAN_ROOT} (by the {@code JAVA_VERSION} of each
 * {@code release} file). A JDK that is named but unusable (no {@code bin/java}, older than 21) is
 * an error, not a reason to skip: the run asked for it. Tests that find none skip with
 * {@link #HOW_TO_PROVIDE}, never silently.
 */
public final class Jdk21 {

    /** The system property naming the JDK's home ({@code mvn ... -Dpqbridge.jdk21=/path}). */
    public static final String PROPERTY = "pqbridge.jdk21";

    /** The environment variable naming the JDK's home. */
    public static final String ENV = "PQBRIDGE_JDK21";

    static final String SCAN_ROOT = "/usr/lib/jvm";

    static final int MINIMUM = 21;

    /** What the skip message says. */
    public static final String HOW_TO_PROVIDE = "no JDK " + MINIMUM + " or later found: set -D" + PROPERTY
            + "=<JDK home> (e.g. mvn ... -D" + PROPERTY + "=/usr/lib/jvm/temurin-25-jdk-amd64) or the environment "
            + "variable " + ENV + ", or install one under " + SCAN_ROOT
            + " (e.g. Adoptium's temurin-21-jdk or temurin-25-jdk package)";

    private static final Pattern VERSION = Pattern.compile("^JAVA_VERSION=\"?(1\\.)?(\\d+)", Pattern.MULTILINE);

    private Jdk21() {
    }

    /**
     * The JDK's home, if one is named or found.
     *
     * @throws IllegalStateException when {@value #PROPERTY} or {@value #ENV} names a directory that
     *     is not a JDK of release 21 or later
     */
    public static Optional<Path> home() {
        String configured = System.getProperty(PROPERTY);
        String origin = "-D" + PROPERTY;
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(ENV);
            origin = ENV;
        }
        if (configured != null && !configured.isBlank()) {
            Path home = Path.of(configured);
            OptionalInt feature = feature(home);
            if (!Files.isExecutable(home.resolve("bin/java")) || feature.orElse(0) < MINIMUM) {
                throw new IllegalStateException(origin + "=" + configured + " is not a JDK " + MINIMUM
                        + " or later (it needs bin/java and a release file with JAVA_VERSION >= " + MINIMUM
                        + "); point it at such a JDK's home or unset it");
            }
            return Optional.of(home);
        }
        Path root = Path.of(SCAN_ROOT);
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(root)) {
            return homes.filter(h -> Files.isExecutable(h.resolve("bin/java")))
                    .filter(h -> feature(h).orElse(0) >= MINIMUM)
                    .max(Comparator.comparingInt((Path h) -> feature(h).orElse(0)).thenComparing(Path::toString));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    /** The feature release (21, 25, ...) in {@code home/release}'s JAVA_VERSION, if readable. */
    public static OptionalInt feature(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) {
            return OptionalInt.empty();
        }
        try {
            Matcher m = VERSION.matcher(Files.readString(release, StandardCharsets.UTF_8));
            return m.find() ? OptionalInt.of(Integer.parseInt(m.group(2))) : OptionalInt.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}

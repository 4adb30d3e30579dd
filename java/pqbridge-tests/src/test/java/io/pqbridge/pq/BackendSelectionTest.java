package io.pqbridge.pq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pqbridge.test.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backend selection (issue 4's last criterion), each case in a child JVM because the choice is
 * made once per JVM: unset picks native when it loads and java otherwise; {@code native} that
 * cannot load fails naming the cause; {@code java} never loads a class that touches native code;
 * an unknown value fails at once; {@link Pq#implementation()} names the active one.
 *
 * <p>"Cannot load" is made real by a class path whose copy of the native backend's classes (a
 * directory or a jar, such as pqbridge-native's platform jar) lacks the JNI library.
 */
class BackendSelectionTest {

    @TempDir
    static Path temp;

    private static List<String> fullClassPath;
    private static List<String> classPathWithoutJni;

    @BeforeAll
    static void classPaths() throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        fullClassPath = Arrays.asList(cp.split(java.io.File.pathSeparator));
        classPathWithoutJni = new ArrayList<>();
        int copies = 0;
        for (String entry : fullClassPath) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path) && containsNativeLibrary(path)) {
                Path copy = temp.resolve("classes-" + copies++);
                copyWithoutNativeLibraries(path, copy);
                classPathWithoutJni.add(copy.toString());
            } else if (entry.endsWith(".jar") && jarContainsNativeLibrary(path)) {
                Path copy = temp.resolve("classes-" + copies++ + ".jar");
                copyJarWithoutNativeLibraries(path, copy);
                classPathWithoutJni.add(copy.toString());
            } else {
                classPathWithoutJni.add(entry);
            }
        }
    }

    @Test
    void unsetPicksNativeWhenItLoads() {
        assumeTrue(Pq.availableBackends().contains("native"), "the native backend does not load here");
        assertEquals("IMPL=native", run(fullClassPath, List.of(), null).get(0));
    }

    @Test
    void unsetPicksJavaWhenNativeCannotLoad() {
        assertEquals("IMPL=java", run(classPathWithoutJni, List.of(), null).get(0));
    }

    @Test
    void requestedNativeThatCannotLoadFailsNamingTheCause() {
        String line = run(classPathWithoutJni, List.of("-Dpqbridge.impl=native"), null).get(0);
        assertTrue(line.startsWith("FAIL=couldn't load requested pqbridge 'native' implementation: "), line);
        assertTrue(line.length() > "FAIL=couldn't load requested pqbridge 'native' implementation: ".length() + 5,
                "the cause is named: " + line);
        String env = run(classPathWithoutJni, List.of(), "native").get(0);
        assertTrue(env.startsWith("FAIL=couldn't load requested pqbridge 'native' implementation: "), env);
    }

    @Test
    void javaNeverLoadsNativeCode() {
        List<String> out = run(fullClassPath, List.of("-Dpqbridge.impl=java", "-verbose:class"), null,
                TestDatabase.conninfo());
        assertTrue(out.contains("IMPL=java"), String.join("\n", out.subList(Math.max(0, out.size() - 5), out.size())));
        assertTrue(out.contains("QUERY=42"), "the java backend ran a query");
        List<String> nativeClasses = out.stream()
                .filter(l -> l.contains(" io.pqbridge.pq.natives.") || l.contains(" org.bytedeco."))
                .collect(Collectors.toList());
        assertTrue(nativeClasses.isEmpty(), "native classes loaded: " + nativeClasses);
        assertTrue(out.stream().anyMatch(l -> l.contains(" io.pqbridge.pq.wire.WireBackend ")),
                "-verbose:class output was captured");
    }

    @Test
    void anUnknownValueFailsAtOnce() {
        String line = run(fullClassPath, List.of("-Dpqbridge.impl=bogus"), null).get(0);
        assertEquals("FAIL=requested pqbridge implementation 'bogus' unknown (from system property pqbridge.impl); "
                + "use 'native' or 'java'", line);
        String env = run(fullClassPath, List.of(), "bogus").get(0);
        assertEquals("FAIL=requested pqbridge implementation 'bogus' unknown (from environment variable "
                + "PQBRIDGE_IMPL); use 'native' or 'java'", env);
    }

    @Test
    void implementationNamesTheRequestedBackend() {
        assertEquals("IMPL=java", run(fullClassPath, List.of("-Dpqbridge.impl=java"), null).get(0));
        assertEquals("IMPL=java", run(fullClassPath, List.of("-Dpqbridge.impl=JAVA"), "native").get(0),
                "the property wins over the environment, case-insensitively");
        assumeTrue(Pq.availableBackends().contains("native"), "the native backend does not load here");
        assertEquals("IMPL=native", run(fullClassPath, List.of(), "native").get(0));
    }

    // ---- child JVMs ------------------------------------------------------------------------------

    private static List<String> run(List<String> classPath, List<String> jvmOptions, String environmentImpl,
            String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String testJvm = System.getProperty("pqbridge.test.jvm", "");
        for (String option : testJvm.trim().split("\\s+")) {
            if (!option.isEmpty() && !option.startsWith("-XX:ErrorFile")) {
                command.add(option);
            }
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(String.join(java.io.File.pathSeparator, classPath));
        command.add(BackendSelectionProbe.class.getName());
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.remove("PQBRIDGE_IMPL");
        if (environmentImpl != null) {
            env.put("PQBRIDGE_IMPL", environmentImpl);
        }
        try {
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child JVM did not end");
            List<String> lines = new ArrayList<>(new String(output, StandardCharsets.UTF_8).lines().toList());
            List<String> answers = lines.stream().filter(l -> l.startsWith("IMPL=") || l.startsWith("FAIL=")).toList();
            assertFalse(answers.isEmpty(), () -> "the child printed no answer:\n" + String.join("\n", lines));
            List<String> ordered = new ArrayList<>(answers);
            lines.removeAll(answers);
            ordered.addAll(lines);
            return ordered;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean containsNativeLibrary(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(BackendSelectionTest::isNativeLibrary);
        }
    }

    private static boolean isNativeLibrary(Path p) {
        return isNativeLibrary(p.getFileName().toString());
    }

    private static boolean isNativeLibrary(String name) {
        return name.endsWith(".so") || name.endsWith(".dylib") || name.endsWith(".dll");
    }

    private static boolean jarContainsNativeLibrary(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().anyMatch(e -> isNativeLibrary(e.getName()));
        }
    }

    private static void copyJarWithoutNativeLibraries(Path from, Path to) throws IOException {
        try (ZipFile zip = new ZipFile(from.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                if (!isNativeLibrary(entry.getName())) {
                    out.putNextEntry(new ZipEntry(entry.getName()));
                    try (InputStream in = zip.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
    }

    private static void copyWithoutNativeLibraries(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!isNativeLibrary(source)) {
                    Files.copy(source, target);
                }
            }
        }
    }
}

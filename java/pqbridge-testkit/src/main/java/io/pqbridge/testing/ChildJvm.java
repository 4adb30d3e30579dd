package io.pqbridge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a fresh JVM and reports how it ended, so a scenario that might crash the
 * JVM (or hang, or leak) can be observed from a process that survives it.
 *
 * <p>The child gets this JVM's {@code java} binary and class path unless told otherwise (another
 * JDK's through {@link #javaHome(Path)}, for a scenario that needs a newer Java than the build's:
 * the class path's classes must then be compiled for a release that JDK runs), the JVM options given, and {@code -XX:ErrorFile} pointing into a crash directory (created if missing),
 * so a native crash report lands where {@link ChildResult#crashReport()} finds it instead of the
 * working directory. Core dumps are left at the JVM's default so a crash still exits with 134
 * (SIGABRT), which is how a crash is recognised even when no report could be written.
 *
 * <p>Standard output and error are read concurrently (no pipe can fill and block the child) and
 * their tails kept. A child that outlives its timeout is killed and reported as timed out. The
 * builder is not thread-safe; each {@link #run()} starts one child and blocks until it ends.
 */
public final class ChildJvm {

    private static final int TAIL_CHARS = 8192;

    private final String mainClass;
    private final List<String> args = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private String classPath = System.getProperty("java.class.path");
    private Path javaHome = Path.of(System.getProperty("java.home"));
    private Path crashDirectory = Path.of(System.getProperty("pqbridge.crash.dir",
            System.getProperty("java.io.tmpdir") + "/pqbridge-crash"));
    private Duration timeout = Duration.ofMinutes(2);

    private ChildJvm(String mainClass) {
        this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
    }

    /**
     * A child that will run {@code mainClass}'s {@code main}.
     *
     * @param mainClass the main class's binary name
     * @return the builder, with the defaults: this JVM's class path, a two-minute timeout
     * @throws NullPointerException when {@code mainClass} is null
     */
    public static ChildJvm of(String mainClass) {
        return new ChildJvm(mainClass);
    }

    /**
     * A child that will run {@code mainClass}'s {@code main}.
     *
     * @param mainClass the main class
     * @return the builder, with the defaults: this JVM's class path, a two-minute timeout
     */
    public static ChildJvm of(Class<?> mainClass) {
        return new ChildJvm(mainClass.getName());
    }

    /**
     * Adds program arguments, after those added before.
     *
     * @param values the arguments
     * @return this builder
     */
    public ChildJvm args(String... values) {
        args.addAll(List.of(values));
        return this;
    }

    /**
     * Adds program arguments, after those added before.
     *
     * @param values the arguments
     * @return this builder
     */
    public ChildJvm args(List<String> values) {
        args.addAll(values);
        return this;
    }

    /**
     * Adds JVM options such as {@code -Xmx64m} or {@code -Dpqbridge.impl=java}, after those added
     * before.
     *
     * @param options the options
     * @return this builder
     */
    public ChildJvm jvmOptions(String... options) {
        jvmOptions.addAll(List.of(options));
        return this;
    }

    /**
     * Adds JVM options, after those added before.
     *
     * @param options the options
     * @return this builder
     */
    public ChildJvm jvmOptions(List<String> options) {
        jvmOptions.addAll(options);
        return this;
    }

    /**
     * Sets an environment variable for the child (it inherits this JVM's environment otherwise).
     *
     * @param name the variable's name
     * @param value its value
     * @return this builder
     */
    public ChildJvm env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /**
     * Replaces the class path, this JVM's by default.
     *
     * @param value the class path, entries separated by the platform's path separator
     * @return this builder
     * @throws NullPointerException when {@code value} is null
     */
    public ChildJvm classPath(String value) {
        this.classPath = Objects.requireNonNull(value, "classPath");
        return this;
    }

    /**
     * Runs the child on another Java installation, this JVM's ({@code java.home}) by default. The
     * options given must be ones that JVM accepts; nothing checks its version.
     *
     * @param home the installation's directory, the one holding {@code bin/java}
     * @return this builder
     * @throws NullPointerException when {@code home} is null
     */
    public ChildJvm javaHome(Path home) {
        this.javaHome = Objects.requireNonNull(home, "home");
        return this;
    }

    /**
     * Where the child's JVM crash report goes ({@code hs_err_pid<pid>.log}); by default the system
     * property {@code pqbridge.crash.dir}, else {@code pqbridge-crash} in the temporary directory.
     *
     * @param directory the directory, created by {@link #run()} if missing
     * @return this builder
     * @throws NullPointerException when {@code directory} is null
     */
    public ChildJvm crashDirectory(Path directory) {
        this.crashDirectory = Objects.requireNonNull(directory, "directory");
        return this;
    }

    /**
     * Sets how long the child may run before it is killed; two minutes by default.
     *
     * @param value the timeout
     * @return this builder
     * @throws NullPointerException when {@code value} is null
     */
    public ChildJvm timeout(Duration value) {
        this.timeout = Objects.requireNonNull(value, "timeout");
        return this;
    }

    /**
     * Starts the child, waits for it (killing it at the timeout) and reports how it ended.
     *
     * @return how the child ended
     * @throws java.io.UncheckedIOException when the crash directory cannot be created or the child
     *     cannot start (as when the {@link #javaHome(Path)} has no {@code bin/java})
     */
    public ChildResult run() {
        try {
            Files.createDirectories(crashDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the crash directory " + crashDirectory, e);
        }
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin").resolve("java").toString());
        command.add("-XX:ErrorFile=" + crashDirectory.toAbsolutePath() + "/hs_err_pid%p.log");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        long start = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a child JVM: " + String.join(" ", command), e);
        }
        TailReader out = new TailReader(process.getInputStream());
        TailReader err = new TailReader(process.getErrorStream());
        out.start();
        err.start();
        boolean timedOut;
        try {
            timedOut = !process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (timedOut) {
                // only the child itself: its helpers (e.g. a throwaway server's watchdog) must outlive
                // it to clean up after it
                process.destroyForcibly();
                process.waitFor();
            }
            out.join();
            err.join();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the child JVM " + mainClass, e);
        }
        Duration duration = Duration.ofNanos(System.nanoTime() - start);
        int exit = process.exitValue();
        Path report = crashDirectory.resolve("hs_err_pid" + process.pid() + ".log");
        if (!Files.exists(report)) {
            report = null;
        }
        return new ChildResult(command, exit, timedOut, report, problematicFrame(report), out.tail(), err.tail(),
                duration);
    }

    /** The line after "# Problematic frame:" in a crash report, trimmed of its leading "# ". */
    static String problematicFrame(Path report) {
        if (report == null) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(report, StandardCharsets.UTF_8);
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("# Problematic frame:")) {
                    return lines.get(i + 1).replaceFirst("^#\\s*", "").strip();
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // a report being written while we read it: report no frame rather than fail
        }
        return null;
    }

    /** Drains a stream on its own thread, keeping the last {@value #TAIL_CHARS} characters. */
    private static final class TailReader extends Thread {
        private final InputStream in;
        private final StringBuilder tail = new StringBuilder();

        TailReader(InputStream in) {
            super("child-jvm-reader");
            setDaemon(true);
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try (InputStream stream = in) {
                int n;
                while ((n = stream.read(buffer)) > 0) {
                    synchronized (tail) {
                        tail.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                        if (tail.length() > 2 * TAIL_CHARS) {
                            tail.delete(0, tail.length() - TAIL_CHARS);
                        }
                    }
                }
            } catch (IOException e) {
                // the child is gone; what was read is the tail
            }
        }

        String tail() {
            synchronized (tail) {
                return tail.length() > TAIL_CHARS ? tail.substring(tail.length() - TAIL_CHARS) : tail.toString();
            }
        }
    }
}

package io.pqbridge.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the raw libpq client ({@code pqcopybench}, see {@code native/bench/pqcopybench.c}) once
 * and returns the {@link Measurement} line it prints; psql runs under it ({@code rusage}) so its
 * CPU time comes from the kernel's accounting of the child. When {@code PQBRIDGE_LIBPQ} names a
 * libpq (the one the native backend then loads), the C client runs on it too, preloaded in place
 * of the libpq it was built against, so both measure the same libpq.
 */
final class ProcessRun {

    private final Path pqcopybench;
    private final Path logDir;

    ProcessRun(Path pqcopybench, Path logDir) {
        this.pqcopybench = pqcopybench.toAbsolutePath();
        this.logDir = logDir;
    }

    /** {@code pqcopybench [--before SQL] ARGS...}. */
    Measurement pqcopybench(String before, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(pqcopybench.toString());
        if (before != null) {
            cmd.add("--before");
            cmd.add(before);
        }
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /** Runs a program under {@code pqcopybench rusage}. */
    Measurement rusage(List<String> program) {
        List<String> cmd = new ArrayList<>(List.of(pqcopybench.toString(), "rusage"));
        cmd.addAll(program);
        return run(cmd);
    }

    /**
     * The libpq file {@code PQBRIDGE_LIBPQ} names, by the native backend's rule (a file, or a
     * directory holding {@code libpq.so.5}); null when it is not set.
     *
     * @throws IllegalStateException when it names no such file
     */
    static Path chosenLibpq() {
        String named = System.getenv("PQBRIDGE_LIBPQ");
        if (named == null || named.isBlank()) {
            return null;
        }
        Path libpq = Files.isDirectory(Path.of(named)) ? Path.of(named, "libpq.so.5") : Path.of(named);
        if (!Files.isRegularFile(libpq)) {
            throw new IllegalStateException("PQBRIDGE_LIBPQ names " + named + ", but " + libpq + " is not a file;"
                    + " name a libpq shared library or the directory holding libpq.so.5, or unset it");
        }
        return libpq;
    }

    private Measurement run(List<String> cmd) {
        try {
            Files.createDirectories(logDir);
            Path err = logDir.resolve("processes.log");
            ProcessBuilder builder = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Path libpq = chosenLibpq();
            if (libpq != null) {
                builder.environment().put("LD_PRELOAD", libpq.toAbsolutePath().toString());
            }
            Process p = builder.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(1, TimeUnit.HOURS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", cmd));
            }
            if (p.exitValue() != 0) {
                List<String> lines = Files.readAllLines(err);
                throw new IllegalStateException("'" + String.join(" ", cmd) + "' exited with " + p.exitValue()
                        + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size())));
            }
            return Measurement.parse(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

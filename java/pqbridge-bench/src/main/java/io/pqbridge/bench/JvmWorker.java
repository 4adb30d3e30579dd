package io.pqbridge.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Worker} child JVM, started once and driven line by line. Its standard error goes to a
 * log file whose tail is quoted when a run fails. Every worker gets the same JVM options but the
 * heap size, so the contestants differ only in their client library.
 */
final class JvmWorker implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Writer commands;
    private final BufferedReader results;
    private final Path log;

    JvmWorker(String name, List<String> jvmOptions, List<String> workerArgs, Path log) {
        this.name = name;
        this.log = log;
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Worker.class.getName());
        cmd.addAll(workerArgs);
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + name + " worker JVM", e);
        }
        commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        results = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    Measurement run(Workload workload, Contestant contestant, long rows) {
        String line;
        try {
            commands.write("run " + workload.name() + " " + contestant.name() + " " + rows + "\n");
            commands.flush();
            line = results.readLine();
            // -XX:StartFlightRecording (--jfr) announces itself on stdout whatever -Xlog says
            while (line != null && line.startsWith("[") && line.contains("][jfr,startup]")) {
                line = results.readLine();
            }
        } catch (IOException e) {
            throw new IllegalStateException("the " + name + " worker died: " + e + "\n" + logTail(), e);
        }
        if (line == null || !line.startsWith("ok ")) {
            throw new IllegalStateException(contestant.label() + " failed on " + workload.label() + ": "
                    + (line == null ? "the worker exited" : line) + "\nlast lines of " + log + ":\n" + logTail());
        }
        return Measurement.parse(line);
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        try {
            commands.write("quit\n");
            commands.close();
        } catch (IOException e) {
            // the process is gone already
        }
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

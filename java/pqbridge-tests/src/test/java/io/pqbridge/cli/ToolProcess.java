package io.pqbridge.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tool as a process of its own ({@code java ... io.pqbridge.cli.Main}, as scripts/pqbridge
 * starts it), for what an in-process run cannot show: a real SIGINT, a small heap. Standard input
 * can be fed rows from a thread; standard error is collected.
 */
final class ToolProcess implements AutoCloseable {

    private final Process process;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Thread errReader;
    private final AtomicLong rowsWritten = new AtomicLong();
    private volatile boolean stopFeeding;
    private Thread feeder;

    private ToolProcess(Process process) {
        this.process = process;
        this.errReader = new Thread(() -> copy(process.getErrorStream(), err), "tool-stderr");
        errReader.setDaemon(true);
        errReader.start();
    }

    /**
     * Starts the tool with these JVM options and arguments; standard output is discarded.
     *
     * <p>SIGINT is reset to its default disposition for the tool ({@code env --default-signal}):
     * a suite started as a background job of a non-interactive shell (nohup, {@code &} in a
     * script, some CI runners) inherits SIGINT ignored, an ignored SIGINT stays ignored across
     * exec, and the JVM then installs no handler for it, so Ctrl-C could not reach the tool.
     */
    static ToolProcess start(List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT"));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String testJvm = System.getProperty("pqbridge.test.jvm", "");
        for (String option : testJvm.split("\\s+")) {
            if (!option.isBlank()) {
                command.add(option);
            }
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return new ToolProcess(process);
    }

    /**
     * Writes rows {@code "i,row i"} (CSV) to standard input from a thread: {@code limit} of them
     * then keeps the pipe open without writing (-1: until stopped or the pipe breaks); closes
     * standard input at the end when {@code close}.
     */
    void feedRows(long limit, boolean close) {
        feeder = new Thread(() -> {
            OutputStream in = process.getOutputStream();
            StringBuilder batch = new StringBuilder();
            try {
                long i = 0;
                while (!stopFeeding && (limit < 0 || i < limit)) {
                    batch.setLength(0);
                    for (int k = 0; k < 1000 && (limit < 0 || i < limit); k++, i++) {
                        batch.append(i).append(",row ").append(i).append(" with some text to make it longer\n");
                    }
                    in.write(batch.toString().getBytes(StandardCharsets.UTF_8));
                    rowsWritten.set(i);
                }
                in.flush();
                if (close) {
                    in.close();
                }
            } catch (IOException e) {
                // the tool stopped reading: expected once it exits
            }
        }, "tool-stdin");
        feeder.setDaemon(true);
        feeder.start();
    }

    long rowsWritten() {
        return rowsWritten.get();
    }

    long pid() {
        return process.pid();
    }

    /** Sends SIGINT, as Ctrl-C in a terminal does. */
    void interrupt() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -INT " + process.pid() + " failed");
        }
    }

    /** Waits for the exit; the exit status. */
    int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the tool did not end within " + seconds + " s; stderr:\n" + err());
        }
        stopFeeding = true;
        errReader.join(10_000);
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String err() {
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    private void copy(InputStream from, ByteArrayOutputStream to) {
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = from.read(buffer)) >= 0;) {
                synchronized (to) {
                    to.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // the process was destroyed: what was read is kept
        }
    }

    @Override
    public void close() {
        stopFeeding = true;
        process.destroyForcibly();
    }
}

package io.pqbridge.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * What one run of the tool works with: standard input (load {@code -}), standard output (unload
 * {@code -}), standard error (messages, progress, the summary), whether standard error is a
 * terminal, and the Ctrl-C state. The real entry point uses the process's own streams, unbuffered
 * and raw (data moves in large chunks); tests pass their own streams and get no terminal.
 */
final class Invocation {

    /** Set by scripts/pqbridge ({@code true}/{@code false}), which can ask the shell for free. */
    static final String ERR_IS_TERMINAL_PROPERTY = "pqbridge.stderr.tty";

    final InputStream in;
    final OutputStream out;
    final PrintStream err;
    final Interruption interruption = new Interruption();
    private final BooleanSupplier errIsTerminal;

    Invocation(InputStream in, OutputStream out, PrintStream err, boolean errIsTerminal) {
        this(in, out, err, () -> errIsTerminal);
    }

    private Invocation(InputStream in, OutputStream out, PrintStream err, BooleanSupplier errIsTerminal) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.errIsTerminal = errIsTerminal;
    }

    /** The process's standard streams, file descriptors 0, 1 and 2. */
    static Invocation ofProcess() {
        String told = System.getProperty(ERR_IS_TERMINAL_PROPERTY);
        return new Invocation(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out),
                new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8),
                told != null ? () -> Boolean.parseBoolean(told) : () -> isTerminal(2));
    }

    /**
     * True when standard error is a terminal: progress is shown there unless told otherwise.
     * Asked only when a command needs to know (asking may start a process).
     */
    boolean errIsTerminal() {
        return errIsTerminal.getAsBoolean();
    }

    /**
     * Asks {@code test -t} about one of this process's file descriptors, which the child inherits:
     * Java has no isatty, and {@code System.console()} looks at standard input and output only.
     * False when it cannot tell (no shell).
     */
    private static boolean isTerminal(int fd) {
        try {
            Process p = new ProcessBuilder("sh", "-c", "test -t " + fd)
                    .redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

package io.pqbridge.pq.natives;

import io.pqbridge.pq.Loggers;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * One trace of a native connection: libpq's own {@code PQtrace} writes into a pipe the shim
 * made ({@code pqs_trace_pipe}), and a daemon thread copies what arrives into the caller's
 * stream.
 *
 * <p>Invariants. The thread reads until end of file, which comes when the shim closes the
 * pipe's write end ({@code pqs_untrace} or {@code pqs_finish}); it keeps reading even after the
 * caller's stream failed (dropping the rest), because libpq's writes would wait on a pipe nobody
 * drains. {@link #awaitEnd} is called only after the write end was closed, so it returns once
 * the last line has been handed to the stream (then flushed); the stream is never closed here.
 */
final class NativeTrace {

    private static final long END_WAIT_MS = 10_000;

    private final Thread pump;

    private NativeTrace(InputStream in, OutputStream out) {
        pump = new Thread(() -> copyUntilEnd(in, out), "pqbridge-native-trace");
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Starts tracing the connection behind {@code handle} into {@code out}. Lock held.
     *
     * @throws UncheckedIOException when the shim could make no pipe or the pipe cannot be read
     */
    static NativeTrace start(long handle, OutputStream out, int flags) {
        int fd = PqShim.pqs_trace_pipe(handle, flags);
        if (fd < 0) {
            throw new UncheckedIOException(new IOException("cannot trace: the native backend could not make a"
                    + " pipe for libpq's trace, most likely for want of file descriptors; the connection is"
                    + " untouched: close what is unused or raise the process's limit (ulimit -n), then trace again"));
        }
        InputStream in;
        try {
            // a stream of our own on the same pipe, so the shim's descriptor can be closed now
            in = new FileInputStream("/proc/self/fd/" + fd);
        } catch (IOException e) {
            PqShim.pqs_untrace(handle);
            throw new UncheckedIOException("cannot trace: the native backend cannot open its trace pipe through"
                    + " /proc/self/fd (is /proc mounted?); the connection is untouched", e);
        } finally {
            PqShim.pqs_close_fd(fd);
        }
        return new NativeTrace(in, out);
    }

    /** Waits until everything libpq wrote has reached the stream; the write end is closed already. */
    void awaitEnd() {
        try {
            pump.join(END_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void copyUntilEnd(InputStream in, OutputStream out) {
        byte[] buf = new byte[8192];
        boolean writing = true;
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                writing = writing && write(out, buf, n, false);
            }
            if (writing) {
                write(out, buf, 0, true);
            }
        } catch (IOException e) {
            Loggers.backends().log(System.Logger.Level.WARNING, "the native trace's pipe could not be read, so"
                    + " the trace ends there: " + e.getMessage(), e);
        }
    }

    /** Writes (or flushes) the caller's stream; false once it failed, whatever it threw. */
    private static boolean write(OutputStream out, byte[] buf, int n, boolean flush) {
        try {
            if (flush) {
                out.flush();
            } else {
                out.write(buf, 0, n);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            Loggers.backends().log(System.Logger.Level.WARNING, "the trace's stream failed, so the trace ends"
                    + " there (the connection goes on): " + e.getMessage(), e);
            return false;
        }
    }
}

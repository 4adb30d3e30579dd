package io.pqbridge;

import io.pqbridge.errors.OperationalException;
import io.pqbridge.pq.PgConn;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The facade's side of {@link Connection#trace}: which stream the SPI's trace writes to, and the
 * file this class opened for it, which only this class closes.
 *
 * <p>Invariant: {@code stream} is what the SPI traces into, null when this connection is not
 * traced (then closing it asks the SPI nothing); {@code opened} says this class opened it, for
 * {@link #start(PgConn, Path)}, and then only this class closes it, after the SPI stopped writing
 * to it (the SPI's {@code trace(null, 0)} returns once every line has been written). Methods are
 * synchronized among themselves, not with the connection's lock: the SPI serialises the trace
 * with the connection's own work, so a trace can start or stop while another thread runs a COPY.
 */
final class ConnectionTrace {

    /** The system property naming a directory that every connection opened from then on traces into. */
    static final String DIRECTORY_PROPERTY = "pqbridge.trace.dir";
    /** The environment variable read when the property is unset. */
    static final String DIRECTORY_ENVIRONMENT = "PQBRIDGE_TRACE_DIR";
    private static final AtomicInteger FILES = new AtomicInteger();

    private OutputStream stream;
    private boolean opened;

    /**
     * Starts the trace the JVM asks of every connection, if it does ({@value #DIRECTORY_PROPERTY}
     * or {@value #DIRECTORY_ENVIRONMENT}): into a file of the connection's own in that directory,
     * {@code pqbridge-<process id>-<n>.trace}, so that a program can be traced without changing it.
     */
    void startRequested(PgConn pgconn) {
        String directory = System.getProperty(DIRECTORY_PROPERTY);
        if (directory == null || directory.isBlank()) {
            directory = System.getenv(DIRECTORY_ENVIRONMENT);
        }
        if (directory == null || directory.isBlank()) {
            return;
        }
        Path file = Path.of(directory).resolve("pqbridge-" + ProcessHandle.current().pid() + "-"
                + FILES.incrementAndGet() + ".trace");
        try {
            start(pgconn, file);
        } catch (OperationalException e) {
            throw new OperationalException(e.getMessage() + " (every connection is traced because "
                    + DIRECTORY_PROPERTY + " or " + DIRECTORY_ENVIRONMENT + " names " + directory + ")", e);
        }
    }

    /** Traces into {@code file}, appended, with timestamps; ends an earlier trace first. */
    synchronized void start(PgConn pgconn, Path file) {
        stop(pgconn);
        OutputStream out;
        try {
            out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException | UnsupportedOperationException e) {
            throw new OperationalException("cannot trace into " + file + ": " + e.getMessage()
                    + "; name a file this process may create or append to");
        }
        try {
            attach(pgconn, out, true);
        } catch (RuntimeException e) {
            try {
                out.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Traces into the caller's stream, which stays the caller's to close. */
    synchronized void start(PgConn pgconn, OutputStream out) {
        stop(pgconn);
        attach(pgconn, out, false);
    }

    private void attach(PgConn pgconn, OutputStream out, boolean ownStream) {
        try {
            pgconn.trace(out, 0);
        } catch (UncheckedIOException e) {
            throw new OperationalException(e.getMessage(), e);
        }
        stream = out;
        opened = ownStream;
    }

    /** Ends the trace, if any; closes the file {@link #start(PgConn, Path)} opened. */
    synchronized void stop(PgConn pgconn) {
        if (stream == null) {
            return;
        }
        OutputStream out = stream;
        stream = null;
        pgconn.trace(null, 0);
        if (opened) {
            try {
                out.close();
            } catch (IOException e) {
                throw new OperationalException("the trace file could not be closed: " + e.getMessage()
                        + "; its last lines may be missing");
            }
        }
    }
}

package io.pqbridge.pq.wire.trace;

import io.pqbridge.pq.Loggers;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.wire.message.backend.BackendMessageDecoder;
import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDateTime;

/**
 * A connection's trace sink (libpq's {@code Pfdebug} with its {@code traceFlags}): the output
 * buffer calls {@link #sent} when a message is complete in it (libpq's {@code pqPutMsgEnd}), the
 * input buffer calls {@link #received} when the parser consumes one (libpq's
 * {@code pqParseDone}), and each call writes that message's line ({@link TraceFormat}) to the
 * stream at once, whole. The buffers hold no sink while tracing is off, so a message costs one
 * null check then.
 *
 * <p>The stream is the caller's: it is flushed when tracing stops ({@link #flush}) and never
 * closed here. A stream that fails (any exception from {@code write}) ends the trace: the sink
 * runs its {@code detach} action, which takes it out of the buffers, and writes nothing more;
 * the connection carries on untraced, and a warning on the backends' logger says so (as the
 * native backend's does). Used under the connection's lock, as the buffers are.
 */
public final class ProtocolTrace {

    private final OutputStream out;
    private final int flags;
    private final Runnable detach;
    private boolean failed;

    /**
     * @param flags {@link PgConn#TRACE_SUPPRESS_TIMESTAMPS} and {@link PgConn#TRACE_REGRESS_MODE}
     * @param detach takes this sink out of the connection's buffers after the stream failed
     */
    public ProtocolTrace(OutputStream out, int flags, Runnable detach) {
        this.out = out;
        this.flags = flags;
        this.detach = detach;
    }

    /** A whole message the client completed in its output, at {@code buffer[start]} (type byte first). */
    public void sent(byte[] buffer, int start) {
        write(true, buffer, start);
    }

    /** A whole message the client consumed from its input, at {@code buffer[start]} (type byte first). */
    public void received(byte[] buffer, int start) {
        write(false, buffer, start);
    }

    /** Flushes the stream (tracing stops or moves to another stream); a failure is ignored, as libpq's {@code fflush} is. */
    public void flush() {
        if (failed) {
            return;
        }
        try {
            out.flush();
        } catch (IOException | RuntimeException e) {
            failed = true;
        }
    }

    private void write(boolean toServer, byte[] buffer, int start) {
        if (failed) {
            return;
        }
        int end = start + 1 + BackendMessageDecoder.int32(buffer, start + 1);
        LocalDateTime now = (flags & PgConn.TRACE_SUPPRESS_TIMESTAMPS) == 0 ? LocalDateTime.now() : null;
        try {
            out.write(TraceFormat.line(toServer, buffer, start, end, flags, now));
        } catch (IOException | RuntimeException e) {
            failed = true;
            detach.run();
            Loggers.backends().log(System.Logger.Level.WARNING, "the trace's stream failed, so the trace ends"
                    + " there (the connection goes on): " + e.getMessage(), e);
        }
    }
}

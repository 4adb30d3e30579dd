package io.pqbridge.pq.wire;

import io.pqbridge.pq.wire.message.frontend.OutputBuffer;
import io.pqbridge.pq.wire.tls.TlsSession;
import java.io.IOException;

/**
 * The socket of one connection, driven as libpq's fe-misc.c drives it: bytes move between the
 * core's buffers and the {@link Transport} ({@code pqReadData}, {@code pqPutMsgEnd},
 * {@code pqSendSome}, {@code pqFlush}), waits are bounded ({@code pqWait}), and socket failures
 * become libpq's texts and states ({@code pqDropConnection}, the connection marked bad). It makes
 * no protocol decisions: what the bytes mean is {@link ProtocolCore}'s, and when a libpq function
 * reads, writes or waits is {@link ProtocolMachine}'s.
 *
 * <pre>
 * Implementation notes
 * --------------------
 * Output. A completed message is written once 8 KB or more are pending, in multiples of 8 KB
 * (pqPutMsgEnd), and everything on flush. A failed write is not reported at once: libpq
 * pretends it succeeded and lets the following reads report the server's last words
 * (writeFailed, writeFailure); the caller reports the write's own text once the reads are done
 * and results are still expected (reportWriteFailure).
 *
 * Waiting. readData never waits; awaitSocket waits at most the time given. A write the socket
 * does not take whole is followed by a read (libpq's pqSendSome), so a server blocked on sending
 * notices cannot deadlock a large COPY IN.
 *
 * Losing the connection. The core may give the connection up while parsing (lost
 * synchronisation); every socket call first asks it (live) and closes the socket then, as libpq
 * closes it at once.
 *
 * Threads: none of its own. The owning connection calls it under its lock, except transport()
 * and abort(), which finish() calls from another thread to release a caller blocked in I/O.
 * </pre>
 */
final class SocketIo {

    /** libpq's text for a connection the server closed (end of stream, reset, broken pipe). */
    static final String CLOSED = "server closed the connection unexpectedly\n"
            + "\tThis probably means the server terminated abnormally\n"
            + "\tbefore or while processing the request.\n";

    private final ProtocolCore core;
    private final ErrorText errors;
    private final OutputBuffer out;
    private final InputBuffer input;

    /** volatile: finish() on another thread reads it to close a socket a blocked caller sits on. */
    private volatile Transport transport;
    private boolean writeFailed;
    private String writeFailure;
    /** strerror of the last socket call that failed or would have blocked: libpq's errno, for its "%m" texts. */
    private String lastSocketError = "Success";
    /** An interrupt was swallowed while waiting; the caller restores it when its call ends. */
    private boolean interruptSwallowed;
    /**
     * The last read took less than it was offered, or nothing: the socket held no more then, and
     * no wait has reported input since. A blocking loop then waits before it reads (as libpq's
     * pqWait-then-pqReadData does) instead of a read that would most likely find nothing: one
     * system call fewer per round trip and per block of COPY OUT. A hint only: the wait reports
     * input that arrived in between at once, and {@code PQconsumeInput} still always reads.
     */
    private boolean inputDrained;
    /** Set by a finish() from another thread: waits inside libpq-style loops give up. */
    private volatile boolean aborted;

    SocketIo(ProtocolCore core) {
        this.core = core;
        this.errors = core.errors();
        this.out = core.out();
        this.input = core.input();
    }

    // =============================================================================================
    // the socket
    // =============================================================================================

    /** Adopts a connected socket (a new connection attempt); drops any previous one and its data. */
    void attach(Transport t) {
        dropConnection(true);
        transport = t;
        writeFailed = false;
        writeFailure = null;
    }

    /** Replaces the plain transport by the TLS one layered on the same socket (nothing is closed). */
    void upgrade(Transport tls) {
        transport = tls;
    }

    Transport transport() {
        return transport;
    }

    /** The socket, unless the core gave the connection up since the last call (then it is closed now). */
    Transport live() {
        if (core.takeDropRequest() && transport != null) {
            transport.close();
            transport = null;
        }
        return transport;
    }

    void abort() {
        aborted = true;
    }

    boolean takeInterrupt() {
        boolean swallowed = interruptSwallowed;
        interruptSwallowed = false;
        return swallowed;
    }

    /** The strerror text libpq's errno would hold after the last socket call that did not complete. */
    String lastSocketError() {
        return lastSocketError;
    }

    /** {@code pqDropConnection}: closes the socket, drops unsent output and the command queue. */
    void dropConnection(boolean flushInput) {
        core.takeDropRequest();
        if (transport != null) {
            transport.close();
            transport = null;
        }
        core.dropped(flushInput);
    }

    /** Connection failure: the socket is dropped (input kept, as libpq keeps it) and the status is bad. */
    private void lose() {
        dropConnection(false);
        core.setOk(false);
    }

    // =============================================================================================
    // input (pqReadData) and waiting (pqWait)
    // =============================================================================================

    /**
     * {@code pqReadData}: reads what is available without waiting.
     *
     * @return 1 when bytes were read, 0 when none were available, -1 on failure (error text
     *     appended; at end of stream the connection is dropped and bad)
     */
    int readData() {
        Transport t = live();
        if (t == null) {
            errors.append("connection not open\n");
            return -1;
        }
        if (!input.prepareForRead()) {
            errors.append("cannot allocate memory for input buffer\n");
            lose();
            return -1;
        }
        boolean someRead = false;
        for (;;) {
            int n;
            int offered = input.room();
            try {
                n = t.readAvailable(input.bytes(), input.end(), offered);
            } catch (IOException e) {
                return readFailure(t, e);
            }
            inputDrained = n < offered;
            if (n > 0) {
                input.received(n);
                if (input.worthAnotherRead()) {
                    someRead = true;
                    continue;
                }
                return 1;
            }
            if (someRead) {
                return 1;
            }
            if (n == 0) {
                return 0;
            }
            errors.append(t.tls() != null ? "SSL connection has been closed unexpectedly\n" : CLOSED);
            lose();
            return -1;
        }
    }

    private int readFailure(Transport t, IOException e) {
        if (t.tls() != null) {
            errors.append(TlsSession.transferFailure(e) + "\n");
            lose();
            return -1;
        }
        String reason = SocketErrors.strerror(e);
        lastSocketError = reason;
        if (SocketErrors.isConnectionFailure(reason)) {
            errors.append(CLOSED);
        } else {
            errors.append("could not receive data from server: " + reason + "\n");
        }
        lose();
        return -1;
    }

    /**
     * {@code pqWait}: waits for the socket, in slices of {@code sliceMillis} so that an abort is
     * noticed.
     *
     * @return 0 when ready, -1 when there is no socket ("invalid socket")
     */
    int awaitSocket(boolean read, boolean write, long sliceMillis) {
        for (;;) {
            Transport t = live();
            if (t == null || aborted) {
                errors.append("invalid socket\n");
                return -1;
            }
            int ready = t.await(read, write, sliceMillis);
            if ((ready & Transport.INTERRUPTED) != 0) {
                interruptSwallowed = true;
            }
            if ((ready & (Transport.READABLE | Transport.WRITABLE | Transport.FAILED)) != 0) {
                return 0;
            }
        }
    }

    /** The readiness bits of one bounded wait (the shim's {@code wait_socket}); FAILED when there is no socket. */
    int pollSocket(boolean read, boolean write, long timeoutMillis) {
        Transport t = live();
        if (t == null) {
            return Transport.FAILED;
        }
        int ready = t.await(read, write, timeoutMillis);
        if ((ready & Transport.INTERRUPTED) != 0) {
            interruptSwallowed = true;
        }
        if ((ready & Transport.READABLE) != 0) {
            inputDrained = false;
        }
        return ready & ~Transport.INTERRUPTED;
    }

    /** Whether a blocking loop should wait before it reads: see {@link #inputDrained}. */
    boolean inputDrained() {
        return inputDrained;
    }

    // =============================================================================================
    // output (pqPutMsgEnd, pqSendSome, pqFlush)
    // =============================================================================================

    /** {@code pqPutMsgEnd}: messages are complete; write whole 8 KB blocks once 8 KB are pending. */
    int messageEnd() {
        int due = core.dueOutput();
        return due > 0 && sendSome(due) < 0 ? -1 : 0;
    }

    /** {@code pqFlush}: 0 when everything is sent, 1 when some is left (would block), -1 on failure. */
    int flush() {
        return out.size() > 0 ? sendSome(out.size()) : 0;
    }

    /**
     * {@code pqFlush} on a connection in blocking mode: sends everything pending, waiting for the
     * socket in slices of {@code sliceMillis}. 0 when all is out, -1 on a failure.
     */
    int flushFully(long sliceMillis) {
        int pending;
        while ((pending = flush()) > 0) {
            if (awaitSocket(false, true, sliceMillis) != 0) {
                return -1;
            }
        }
        return pending;
    }

    /** {@code pqSendSome}. */
    private int sendSome(int length) {
        Transport t = live();
        if (writeFailed) {
            out.clear();
            if (t != null) {
                // the connection is known broken: libpq's read here sees the end of stream; a TCP
                // transport can only see it by waiting, so give it a moment
                pollSocket(true, false, 1);
                if (readData() < 0) {
                    return -1;
                }
            }
            return 0;
        }
        if (t == null) {
            writeFailed = true;
            writeFailure = "connection not open\n";
            out.clear();
            return 0;
        }
        int sent = 0;
        int remaining = length;
        int status = 0;
        while (remaining > 0) {
            int n;
            int chunk = remaining;
            try {
                n = t.write(out.array(), sent, chunk);
            } catch (IOException e) {
                out.clear();
                if (t.tls() != null) {
                    // a TLS write failure is reported at once (pgtls_write), after reading what the
                    // server may have said before it went away
                    errors.append(TlsSession.transferFailure(e) + "\n");
                    readData();
                    return -1;
                }
                writeFailed = true;
                String reason = SocketErrors.strerror(e);
                lastSocketError = reason;
                writeFailure = SocketErrors.isConnectionFailure(reason) ? CLOSED
                        : "could not send data to server: " + reason + "\n";
                // libpq pretends the write succeeded and lets the reads report the server's last words
                return 0;
            }
            sent += n;
            remaining -= n;
            if (remaining > 0 && n < chunk) {
                lastSocketError = "Resource temporarily unavailable";
                status = readData() < 0 ? -1 : 1;
                break;
            }
        }
        out.consume(sent);
        return status;
    }

    /** Whether a write failed since the socket was attached: libpq's {@code write_failed}. */
    boolean writeFailed() {
        return writeFailed;
    }

    /**
     * Appends the failed write's text to the error text (libpq's {@code write_err_msg}), once: the
     * caller does this when the reads after the failure ended and results are still expected.
     */
    void reportWriteFailure() {
        errors.append(writeFailure != null ? writeFailure : "write to server failed\n");
        writeFailure = "";
    }
}

package io.pqbridge.pq.wire;

import io.pqbridge.pq.PgNotify;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.PgTransactionStatus;
import io.pqbridge.pq.wire.message.frontend.OutputBuffer;
import io.pqbridge.pq.wire.tls.TlsSession;
import io.pqbridge.pq.wire.trace.ProtocolTrace;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The I/O half of libpq's connection functions over a {@link ProtocolCore}: it moves bytes between
 * the core's buffers and the {@link Transport}, waits for the socket, and turns socket failures
 * into libpq's texts and states. The protocol decisions are all the core's; this class decides
 * only when to read, write and wait, the way libpq's non-blocking mode does, so that every
 * sequence of calls yields the same results, statuses and texts as libpq.
 *
 * <pre>
 * Implementation notes
 * --------------------
 * Each method is the Java twin of a libpq function and says which (pqReadData, pqSendSome,
 * pqFlush, pqWait, PQgetResult...).
 *
 * Output. A completed message is written once 8 KB or more are pending, in multiples of 8 KB
 * (pqPutMsgEnd), and everything on flush. A failed write is not reported at once: libpq
 * pretends it succeeded and lets the following reads report the server's last words
 * (writeFailed, writeFailure).
 *
 * Waiting. readData never waits; awaitSocket waits at most the time given. A write the socket
 * does not take whole is followed by a read (libpq's pqSendSome), so a server blocked on sending
 * notices cannot deadlock a large COPY IN.
 *
 * Threads: none of its own. The owning WirePgConn calls it under its lock, except transport()
 * and abort(), which finish() calls from another thread to release a caller blocked in I/O.
 * </pre>
 */
final class ProtocolMachine {

    static final String CLOSED = "server closed the connection unexpectedly\n"
            + "\tThis probably means the server terminated abnormally\n"
            + "\tbefore or while processing the request.\n";

    static final int SEND_CHUNK = ProtocolCore.SEND_CHUNK;

    private final ProtocolCore core = new ProtocolCore();
    private final ErrorText errors = core.errors();
    private final OutputBuffer out = core.out();
    private final InputBuffer input = core.input();

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
     * input that arrived in between at once, and {@link #consumeInput} still always reads.
     */
    private boolean inputDrained;
    /** Set by a finish() from another thread: waits inside libpq-style loops give up. */
    private volatile boolean aborted;
    /** The sink both buffers trace into, null while tracing is off. */
    private ProtocolTrace trace;

    // =============================================================================================
    // connection state
    // =============================================================================================

    /** Adopts a connected socket (a new connection attempt); drops any previous one and its data. */
    void attach(Transport t) {
        dropConnection(true);
        core.reset();
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
    private Transport live() {
        if (core.takeDropRequest() && transport != null) {
            transport.close();
            transport = null;
        }
        return transport;
    }

    boolean ok() {
        return core.ok();
    }

    /**
     * libpq's {@code PQtrace} with {@code PQsetTraceFlags}, or {@code PQuntrace} when
     * {@code stream} is null: the earlier trace's stream is flushed, and from now on every message
     * completed in the output or consumed from the input is traced into {@code stream}.
     */
    void trace(OutputStream stream, int flags) {
        if (trace != null) {
            trace.flush();
        }
        attachTrace(stream == null ? null : new ProtocolTrace(stream, flags, () -> attachTrace(null)));
    }

    private void attachTrace(ProtocolTrace sink) {
        trace = sink;
        out.trace(sink);
        input.trace(sink);
    }

    void setOk(boolean value) {
        core.setOk(value);
    }

    ErrorText errors() {
        return errors;
    }

    AsyncStatus async() {
        return core.async();
    }

    void setAsync(AsyncStatus value) {
        core.setAsync(value);
    }

    String lastSqlstate() {
        return core.lastSqlstate();
    }

    /** {@code PQtransactionStatus}. */
    PgTransactionStatus transactionStatus() {
        return core.transactionStatus();
    }

    String parameterStatus(String name) {
        return core.server().get(name);
    }

    long parameterStatusGeneration() {
        return core.server().generation();
    }

    int backendPid() {
        return core.server().backendPid();
    }

    byte[] secretKey() {
        return core.server().secretKey();
    }

    /** The session's protocol version ({@code ProtocolRange} codes); the startup exchange settles it. */
    int protocolVersion() {
        return core.server().protocolVersion();
    }

    void protocolVersion(int version) {
        core.server().protocolVersion(version);
    }

    int serverVersion() {
        return core.server().serverVersion();
    }

    void abort() {
        aborted = true;
    }

    boolean takeInterrupt() {
        boolean swallowed = interruptSwallowed;
        interruptSwallowed = false;
        return swallowed;
    }

    PgResult pollNotice() {
        return core.pollNotice();
    }

    PgNotify pollNotification() {
        return core.pollNotification();
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

    /** {@code PQconsumeInput} in non-blocking mode: flush, then read what is there. */
    boolean consumeInput() {
        if (flush() < 0) {
            return false;
        }
        return readData() >= 0;
    }

    // =============================================================================================
    // output (pqPutMsgEnd, pqSendSome, pqFlush)
    // =============================================================================================

    OutputBuffer out() {
        return out;
    }

    /** {@code pqPutMsgEnd}: messages are complete; write whole 8 KB blocks once 8 KB are pending. */
    int messageEnd() {
        int due = core.dueOutput();
        return due > 0 && sendSome(due) < 0 ? -1 : 0;
    }

    /** {@code pqFlush}: 0 when everything is sent, 1 when some is left (would block), -1 on failure. */
    int flush() {
        return out.size() > 0 ? sendSome(out.size()) : 0;
    }

    /** The strerror text libpq's errno would hold after the last socket call that did not complete. */
    String lastSocketError() {
        return lastSocketError;
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

    /** {@code PQflush}: as {@link #flush()}, but -1 at once on a bad connection. */
    int publicFlush() {
        return core.ok() ? flush() : -1;
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

    // =============================================================================================
    // sending commands (PQsendQuery and its siblings)
    // =============================================================================================

    /** {@code PQsendQuery}. */
    boolean sendQuery(String sql) {
        return sendSimpleQuery(sql, true);
    }

    /** {@code PQsendQueryContinue}: as {@link #sendQuery} but keeps the error text (startup checks). */
    boolean sendQueryContinue(String sql) {
        return sendSimpleQuery(sql, false);
    }

    private boolean sendSimpleQuery(String sql, boolean newQuery) {
        if (!core.startCommand(newQuery) || !core.commands().simpleQuery(sql)) {
            return false;
        }
        return launch(ProtocolCore.QueryClass.SIMPLE, sql);
    }

    /** {@code PQsendQueryParams}. */
    boolean sendQueryParams(String sql, int[] paramTypes, byte[][] paramValues, int[] paramFormats,
            int resultFormat) {
        if (!core.startCommand(true)
                || !core.commands().extendedQuery(sql, paramTypes, paramValues, paramFormats, resultFormat)) {
            return false;
        }
        return launch(ProtocolCore.QueryClass.EXTENDED, sql);
    }

    /** {@code PQsetSingleRowMode}. */
    boolean setSingleRowMode() {
        return core.setSingleRowMode();
    }

    /** libpq 17's {@code PQsetChunkedRowsMode}. */
    boolean setChunkedRowsMode(int chunkSize) {
        return core.setChunkedRowsMode(chunkSize);
    }

    /** {@code PQsendPrepare}. */
    boolean sendPrepare(String stmtName, String sql, int[] paramTypes) {
        if (!core.startCommand(true) || !core.commands().prepare(stmtName, sql, paramTypes)) {
            return false;
        }
        return launch(ProtocolCore.QueryClass.PREPARE, sql);
    }

    /** {@code PQsendQueryPrepared}. */
    boolean sendQueryPrepared(String stmtName, byte[][] paramValues, int[] paramFormats, int resultFormat) {
        if (!core.startCommand(true)
                || !core.commands().queryPrepared(stmtName, paramValues, paramFormats, resultFormat)) {
            return false;
        }
        return launch(ProtocolCore.QueryClass.EXTENDED, null);
    }

    /** {@code PQsendDescribePrepared} ({@code 'S'}) and {@code PQsendDescribePortal} ({@code 'P'}). */
    boolean sendDescribe(char kind, String name) {
        if (!core.startCommand(true)) {
            return false;
        }
        core.commands().describe(kind, name);
        return launch(ProtocolCore.QueryClass.DESCRIBE, null);
    }

    /** libpq 17's {@code PQsendClosePrepared} ({@code 'S'}) and {@code PQsendClosePortal} ({@code 'P'}). */
    boolean sendClose(char kind, String name) {
        if (!core.startCommand(true)) {
            return false;
        }
        core.commands().close(kind, name);
        return launch(ProtocolCore.QueryClass.CLOSE, null);
    }

    /**
     * Pushes the command out ({@code pqPipelineFlush}: in pipeline mode only once enough is
     * queued) and, if that worked, queues it (libpq's pqAppendCmdQueueEntry).
     */
    private boolean launch(ProtocolCore.QueryClass queryClass, String query) {
        if (messageEnd() < 0 || core.pipeline().flushAfterCommand() && flush() < 0) {
            return false;
        }
        core.cycle().commandSent(queryClass, query);
        return true;
    }

    /** {@code PQexecStart}'s checks (the blocking forms' first step). */
    boolean execStart() {
        return core.execStart();
    }

    // =============================================================================================
    // pipeline mode
    // =============================================================================================

    /** {@code PQenterPipelineMode}. */
    boolean enterPipelineMode() {
        return core.pipeline().enter();
    }

    /** {@code PQexitPipelineMode}: the state change, then a flush of anything still queued. */
    boolean exitPipelineMode() {
        return core.pipeline().exit() && flush() >= 0;
    }

    /** {@code PQpipelineSync}: a Sync, flushed, queued as a SYNC command. */
    boolean pipelineSync() {
        if (!core.pipeline().encodeSync() || messageEnd() < 0 || flush() < 0) {
            return false;
        }
        core.cycle().commandSent(ProtocolCore.QueryClass.SYNC, null);
        return true;
    }

    /** {@code PQsendFlushRequest}: a Flush, pushed out as a command would be. */
    boolean sendFlushRequest() {
        return core.pipeline().encodeFlushRequest() && messageEnd() >= 0
                && (!core.pipeline().flushAfterCommand() || flush() >= 0);
    }

    io.pqbridge.pq.PgPipelineStatus pipelineStatus() {
        return core.pipeline().status();
    }

    /** Sends Terminate if the connection is usable ({@code sendTerminateConn}), as far as it goes. */
    void sendTerminate() {
        if (live() != null && core.ok()) {
            core.encodeTerminate();
            messageEnd();
            flush();
        }
    }

    // =============================================================================================
    // results (PQgetResult, PQisBusy)
    // =============================================================================================

    /** {@code pqParseInput3}; a connection the core gave up is closed at once. */
    void parseInput() {
        core.parseInput();
        live();
    }

    /** {@code PQisBusy}. */
    boolean isBusy() {
        boolean busy = core.isBusy();
        live();
        return busy;
    }

    /**
     * {@code PQgetResult}. Waits only when called while busy, which the connection avoids except
     * after a failure (then the socket is gone and the wait fails at once); each wait is bounded.
     */
    PgResult getResult(long waitMillis) {
        parseInput();
        while (core.async() == AsyncStatus.BUSY) {
            if (flushFully(waitMillis) != 0 || awaitSocket(true, false, waitMillis) != 0 || readData() < 0) {
                return core.cycle().abandonCommand();
            }
            parseInput();
            if (writeFailed && core.async() == AsyncStatus.BUSY) {
                errors.append(writeFailure != null ? writeFailure : "write to server failed\n");
                writeFailure = "";
                return core.cycle().abandonCommand();
            }
        }
        return core.cycle().takeResult();
    }

    /** The command cannot complete (its wait failed): its result is the error text, and the state idle. */
    PgResult abandonCommand() {
        return core.cycle().abandonCommand();
    }

    // =============================================================================================
    // COPY (PQputCopyData, PQputCopyEnd, PQgetCopyData)
    // =============================================================================================

    /** {@code PQputCopyData} for {@code length} bytes of {@code data} at {@code offset}, or of {@code buffer}. */
    int putCopyData(byte[] data, int offset, int length, ByteBuffer buffer) {
        if (!core.copy().startCopyData()) {
            return -1;
        }
        live();
        if (length > 0) {
            if (!core.copy().outputRoomFor(length) && flush() < 0) {
                return -1;
            }
            core.copy().encodeCopyData(data, offset, length, buffer);
            if (messageEnd() < 0) {
                return -1;
            }
        }
        return 1;
    }

    /** {@code PQputCopyEnd}. */
    int putCopyEnd(String errorMessage) {
        if (!core.copy().encodeCopyEnd(errorMessage) || messageEnd() < 0) {
            return -1;
        }
        core.copy().copyInEnded();
        return flush() < 0 ? -1 : 1;
    }

    /** {@code PQgetCopyData}'s search for the next CopyData message: see {@link CopyExchange#nextCopyData}. */
    int nextCopyData() {
        int found = core.copy().nextCopyData();
        live();
        return found;
    }

    /** The run of whole CopyData messages that fit {@code dst}, copied and consumed ({@link CopyExchange#copyDataRun}). */
    int copyDataRun(ByteBuffer dst, int[] lengths, int from) {
        return core.copy().copyDataRun(dst, lengths, from);
    }

    /** Copies the payload found by {@link #nextCopyData} into {@code dst} at its position. */
    void copyPayload(ByteBuffer dst, int length) {
        core.copy().copyPayload(dst, length);
    }

    /** Consumes the message found by {@link #nextCopyData}. */
    void consumeCopyData(int length) {
        core.copy().consumeCopyData(length);
    }

    // =============================================================================================
    // startup support
    // =============================================================================================

    /** The raw input, for the startup flow, which frames its own messages. */
    byte[] input() {
        return input.bytes();
    }

    int inputStart() {
        return input.start();
    }

    int inputEnd() {
        return input.end();
    }

    void consumeInputTo(int position) {
        input.consumeTo(position);
    }

    /** The startup flow's error and notice handling of one message, as libpq's pqGetErrorNotice3. */
    void startupError(Map<Character, String> fields) {
        core.startupError(fields);
    }

    /** Prepares for a startup message that has not arrived whole ({@link InputBuffer#makeRoomFor}). */
    void reserveInput(int total) {
        input.makeRoomFor(total);
    }
}

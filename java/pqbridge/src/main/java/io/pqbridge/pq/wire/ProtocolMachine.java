package io.pqbridge.pq.wire;

import io.pqbridge.pq.PgNotify;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.PgTransactionStatus;
import io.pqbridge.pq.wire.message.frontend.OutputBuffer;
import io.pqbridge.pq.wire.trace.ProtocolTrace;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * libpq's connection functions ({@code PQsendQuery}, {@code PQgetResult}, {@code PQputCopyData},
 * {@code PQpipelineSync}...) over a {@link ProtocolCore} and a {@link SocketIo}: each is the
 * core's protocol steps and the socket's reads, writes and waits in the order libpq's
 * non-blocking mode does them, so that every sequence of calls yields the same results, statuses
 * and texts as libpq. The protocol decisions are all the core's, the moving of bytes and the
 * socket's failures the SocketIo's; this class decides only when each is asked, and closes the
 * socket as soon as the core gives the connection up (it asks after every parse).
 *
 * <p>Each method is the Java twin of a libpq function and says which. Threads: none of its own.
 * The owning WirePgConn calls it under its lock, except {@code socket().transport()} and
 * {@code socket().abort()}, which finish() calls from another thread to release a caller blocked
 * in I/O.
 */
final class ProtocolMachine {

    static final int SEND_CHUNK = ProtocolCore.SEND_CHUNK;

    private final ProtocolCore core = new ProtocolCore();
    private final ErrorText errors = core.errors();
    private final OutputBuffer out = core.out();
    private final InputBuffer input = core.input();
    private final SocketIo socket = new SocketIo(core);
    /** The sink both buffers trace into, null while tracing is off. */
    private ProtocolTrace trace;

    // =============================================================================================
    // connection state
    // =============================================================================================

    /** Adopts a connected socket (a new connection attempt); drops any previous one and its data. */
    void attach(Transport t) {
        socket.attach(t);
        core.reset();
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

    PgResult pollNotice() {
        return core.pollNotice();
    }

    PgNotify pollNotification() {
        return core.pollNotification();
    }

    // =============================================================================================
    // the socket: SocketIo's steps, for the connect and the blocking loops
    // =============================================================================================

    /**
     * The socket half, which the connect sequence and the blocking loops drive directly (reads,
     * waits, the TLS upgrade, the drop) between this class's libpq functions.
     */
    SocketIo socket() {
        return socket;
    }

    // =============================================================================================
    // input and output (PQconsumeInput, PQflush)
    // =============================================================================================

    /** {@code PQconsumeInput} in non-blocking mode: flush, then read what is there. */
    boolean consumeInput() {
        if (socket.flush() < 0) {
            return false;
        }
        return socket.readData() >= 0;
    }

    /** {@code PQflush}: {@code pqFlush}'s 0, 1 or -1, but -1 at once on a bad connection. */
    int publicFlush() {
        return core.ok() ? socket.flush() : -1;
    }

    /** The output buffer, for the startup flow's messages. */
    OutputBuffer out() {
        return out;
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
        if (socket.messageEnd() < 0 || core.pipeline().flushAfterCommand() && socket.flush() < 0) {
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
        return core.pipeline().exit() && socket.flush() >= 0;
    }

    /** {@code PQpipelineSync}: a Sync, flushed, queued as a SYNC command. */
    boolean pipelineSync() {
        if (!core.pipeline().encodeSync() || socket.messageEnd() < 0 || socket.flush() < 0) {
            return false;
        }
        core.cycle().commandSent(ProtocolCore.QueryClass.SYNC, null);
        return true;
    }

    /** {@code PQsendFlushRequest}: a Flush, pushed out as a command would be. */
    boolean sendFlushRequest() {
        return core.pipeline().encodeFlushRequest() && socket.messageEnd() >= 0
                && (!core.pipeline().flushAfterCommand() || socket.flush() >= 0);
    }

    io.pqbridge.pq.PgPipelineStatus pipelineStatus() {
        return core.pipeline().status();
    }

    /** Sends Terminate if the connection is usable ({@code sendTerminateConn}), as far as it goes. */
    void sendTerminate() {
        if (socket.live() != null && core.ok()) {
            core.encodeTerminate();
            socket.messageEnd();
            socket.flush();
        }
    }

    // =============================================================================================
    // results (PQgetResult, PQisBusy)
    // =============================================================================================

    /** {@code pqParseInput3}; a connection the core gave up is closed at once. */
    void parseInput() {
        core.parseInput();
        socket.live();
    }

    /** {@code PQisBusy}. */
    boolean isBusy() {
        boolean busy = core.isBusy();
        socket.live();
        return busy;
    }

    /**
     * {@code PQgetResult}. Waits only when called while busy, which the connection avoids except
     * after a failure (then the socket is gone and the wait fails at once); each wait is bounded.
     */
    PgResult getResult(long waitMillis) {
        parseInput();
        while (core.async() == AsyncStatus.BUSY) {
            if (socket.flushFully(waitMillis) != 0 || socket.awaitSocket(true, false, waitMillis) != 0
                    || socket.readData() < 0) {
                return core.cycle().abandonCommand();
            }
            parseInput();
            if (socket.writeFailed() && core.async() == AsyncStatus.BUSY) {
                socket.reportWriteFailure();
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
        socket.live();
        if (length > 0) {
            if (!core.copy().outputRoomFor(length) && socket.flush() < 0) {
                return -1;
            }
            core.copy().encodeCopyData(data, offset, length, buffer);
            if (socket.messageEnd() < 0) {
                return -1;
            }
        }
        return 1;
    }

    /** {@code PQputCopyEnd}. */
    int putCopyEnd(String errorMessage) {
        if (!core.copy().encodeCopyEnd(errorMessage) || socket.messageEnd() < 0) {
            return -1;
        }
        core.copy().copyInEnded();
        return socket.flush() < 0 ? -1 : 1;
    }

    /** {@code PQgetCopyData}'s search for the next CopyData message: see {@link CopyExchange#nextCopyData}. */
    int nextCopyData() {
        int found = core.copy().nextCopyData();
        socket.live();
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

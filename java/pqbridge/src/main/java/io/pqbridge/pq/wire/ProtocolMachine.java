package io.pqbridge.pq.wire;

import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgNotify;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.PgTransactionStatus;
import io.pqbridge.pq.wire.message.backend.BackendKeyData;
import io.pqbridge.pq.wire.message.backend.BackendMessage;
import io.pqbridge.pq.wire.message.backend.BackendMessageDecoder;
import io.pqbridge.pq.wire.message.backend.CommandComplete;
import io.pqbridge.pq.wire.message.backend.CopyFormat;
import io.pqbridge.pq.wire.message.backend.CopyInResponse;
import io.pqbridge.pq.wire.message.backend.CopyOutResponse;
import io.pqbridge.pq.wire.message.backend.DataRow;
import io.pqbridge.pq.wire.message.backend.ErrorResponse;
import io.pqbridge.pq.wire.message.backend.MalformedMessageException;
import io.pqbridge.pq.wire.message.backend.NoticeResponse;
import io.pqbridge.pq.wire.message.backend.NotificationResponse;
import io.pqbridge.pq.wire.message.backend.ParameterStatus;
import io.pqbridge.pq.wire.message.backend.ReadyForQuery;
import io.pqbridge.pq.wire.message.backend.RowDescription;
import io.pqbridge.pq.wire.message.frontend.Bind;
import io.pqbridge.pq.wire.message.frontend.CopyData;
import io.pqbridge.pq.wire.message.frontend.CopyDone;
import io.pqbridge.pq.wire.message.frontend.CopyFail;
import io.pqbridge.pq.wire.message.frontend.Describe;
import io.pqbridge.pq.wire.message.frontend.Execute;
import io.pqbridge.pq.wire.message.frontend.OutputBuffer;
import io.pqbridge.pq.wire.message.frontend.Parse;
import io.pqbridge.pq.wire.message.frontend.Query;
import io.pqbridge.pq.wire.message.frontend.Sync;
import io.pqbridge.pq.wire.message.frontend.Terminate;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * libpq's client-side state of one connection, driven the way the native backend drives libpq
 * (non-blocking mode): the same buffers, states and error-text rules, so that every sequence of
 * calls yields the same results, statuses and texts as libpq.
 *
 * <pre>
 * Implementation notes
 * --------------------
 * Model. Each method is the Java twin of a libpq function and says which (PQgetResult,
 * pqParseInput3, PQputCopyData, pqReadData, pqSendSome...). The state is libpq's:
 *   async      asyncStatus: IDLE, BUSY (results expected), READY (a result is complete),
 *              COPY_IN, COPY_OUT.
 *   command    the head of libpq's command queue (at most one entry outside pipeline mode): the
 *              query class and text. Simple queries leave it at ReadyForQuery, extended ones
 *              when their first result is returned; while it is set, a new query does not
 *              clear the error text.
 *   result     the result being assembled (libpq's conn->result) and errorResult, the flag that
 *              an error result is to be made from the error text.
 *   errors     the accumulated error text and how much of it results have reported.
 *
 * Buffers. Input is one growable byte array [inStart, inEnd) of raw messages; messages are
 * parsed in place and consumed by advancing inStart (libpq's inBuffer). Output is one
 * OutputBuffer; a completed message is written once 8 KB or more are pending, in multiples of
 * 8 KB (pqPutMsgEnd), and everything on flush.
 *
 * I/O. readData never waits; awaitSocket waits at most the time given. Transports whose writes
 * block drain input before each write (so a server blocked on sending notices cannot deadlock a
 * large COPY IN), in chunks, which is what libpq achieves by reading while a write would block.
 *
 * Threads: none of its own. The owning WirePgConn calls it under its lock.
 * </pre>
 */
final class ProtocolMachine {

    static final String CLOSED = "server closed the connection unexpectedly\n"
            + "\tThis probably means the server terminated abnormally\n"
            + "\tbefore or while processing the request.\n";

    static final int SEND_CHUNK = 8192;
    /** The largest input buffer: the largest array a JVM allocates. */
    private static final int MAX_INPUT = Integer.MAX_VALUE - 8;
    private static final int BLOCKING_WRITE_CHUNK = 64 * 1024;

    enum Async { IDLE, BUSY, READY, COPY_IN, COPY_OUT }

    enum QueryClass { SIMPLE, EXTENDED }

    // ---- connection ----------------------------------------------------------------------------
    /** volatile: finish() on another thread reads it to close a socket a blocked caller sits on. */
    private volatile Transport transport;
    private boolean ok;
    private boolean writeFailed;
    private String writeFailure;
    /** strerror of the last socket call that failed or would have blocked: libpq's errno, for its "%m" texts. */
    private String lastSocketError = "Success";
    /** An interrupt was swallowed while waiting; the caller restores it when its call ends. */
    private boolean interruptSwallowed;
    /** Set by a finish() from another thread: waits inside libpq-style loops give up. */
    private volatile boolean aborted;

    // ---- buffers ---------------------------------------------------------------------------------
    /** 64 KB rather than libpq's 16 KB: fewer reads during COPY OUT, invisible otherwise. */
    private byte[] in = new byte[64 * 1024];
    private int inStart;
    private int inEnd;
    private final OutputBuffer out = new OutputBuffer(16 * 1024);

    // ---- query state ----------------------------------------------------------------------------
    private Async async = Async.IDLE;
    private PgTransactionStatus xact = PgTransactionStatus.IDLE;
    private QueryClass commandClass;
    private String commandQuery;
    private PgResult.Builder result;
    private PgExecStatus resultStatus;
    private int resultFields;
    private boolean errorResult;
    private final ErrorText errors = new ErrorText();
    private String lastSqlstate = "";
    private int copyPayloadStart;

    // ---- server data -------------------------------------------------------------------------------
    private final Map<String, String> parameters = new HashMap<>();
    private int backendPid;
    private int secretKey;
    private int serverVersion;

    // ---- events for the caller -------------------------------------------------------------------
    private final ArrayDeque<PgResult> notices = new ArrayDeque<>();
    private final ArrayDeque<PgNotify> notifications = new ArrayDeque<>();

    // =============================================================================================
    // connection state
    // =============================================================================================

    /** Adopts a connected socket (a new connection attempt); drops any previous one and its data. */
    void attach(Transport t) {
        dropConnection(true);
        transport = t;
        writeFailed = false;
        writeFailure = null;
        async = Async.IDLE;
        xact = PgTransactionStatus.IDLE;
        clearAsyncResult();
        parameters.clear();
        backendPid = 0;
        secretKey = 0;
        serverVersion = 0;
    }

    /** Replaces the plain transport by the TLS one layered on the same socket (nothing is closed). */
    void upgrade(Transport tls) {
        transport = tls;
    }

    Transport transport() {
        return transport;
    }

    boolean ok() {
        return ok;
    }

    void setOk(boolean value) {
        ok = value;
    }

    ErrorText errors() {
        return errors;
    }

    Async async() {
        return async;
    }

    void setAsync(Async value) {
        async = value;
    }

    String lastSqlstate() {
        return lastSqlstate;
    }

    /** {@code PQtransactionStatus}. */
    PgTransactionStatus transactionStatus() {
        if (!ok) {
            return PgTransactionStatus.UNKNOWN;
        }
        return async != Async.IDLE ? PgTransactionStatus.ACTIVE : xact;
    }

    String parameterStatus(String name) {
        return parameters.get(name);
    }

    int backendPid() {
        return backendPid;
    }

    int secretKey() {
        return secretKey;
    }

    int serverVersion() {
        return serverVersion;
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
        return notices.poll();
    }

    PgNotify pollNotification() {
        return notifications.poll();
    }

    /** {@code pqDropConnection}: closes the socket, drops unsent output and the command queue. */
    void dropConnection(boolean flushInput) {
        if (transport != null) {
            transport.close();
            transport = null;
        }
        if (flushInput) {
            inStart = 0;
            inEnd = 0;
        }
        out.clear();
        commandClass = null;
        commandQuery = null;
    }

    /** Connection failure: the socket is dropped (input kept, as libpq keeps it) and the status is bad. */
    private void lose() {
        dropConnection(false);
        ok = false;
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
        if (transport == null) {
            errors.append("connection not open\n");
            return -1;
        }
        if (inStart > 0) {
            if (inStart < inEnd) {
                System.arraycopy(in, inStart, in, 0, inEnd - inStart);
            }
            inEnd -= inStart;
            inStart = 0;
        }
        if (in.length - inEnd < 8192 && !growInput()) {
            return -1;
        }
        boolean someRead = false;
        for (;;) {
            int n;
            try {
                n = transport.readAvailable(in, inEnd, in.length - inEnd);
            } catch (IOException e) {
                return readFailure(e);
            }
            if (n > 0) {
                inEnd += n;
                if (inEnd > 32768 && in.length - inEnd >= 8192) {
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
            if (transport.tls() != null) {
                errors.append("SSL connection has been closed unexpectedly\n");
            } else {
                errors.append(CLOSED);
            }
            lose();
            return -1;
        }
    }

    /**
     * Doubles the input buffer, up to the largest array the JVM allows. The buffer grows only as
     * bytes arrive, never from a length a message header declares: a header is the server's word,
     * and a hostile or corrupt one must not make the client allocate gigabytes for nothing. When
     * it cannot grow (no memory, or at the limit) the connection is given up with libpq's text.
     */
    private boolean growInput() {
        long target = Math.min(MAX_INPUT, in.length * 2L);
        if (target - inEnd < 8192) {
            errors.append("cannot allocate memory for input buffer\n");
            lose();
            return false;
        }
        try {
            in = java.util.Arrays.copyOf(in, (int) target);
            return true;
        } catch (OutOfMemoryError e) {
            errors.append("cannot allocate memory for input buffer\n");
            lose();
            return false;
        }
    }

    private int readFailure(IOException e) {
        if (transport.tls() != null) {
            errors.append(io.pqbridge.pq.wire.tls.TlsSession.transferFailure(e) + "\n");
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
            if (transport == null || aborted) {
                errors.append("invalid socket\n");
                return -1;
            }
            int ready = transport.await(read, write, sliceMillis);
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
        if (transport == null) {
            return Transport.FAILED;
        }
        int ready = transport.await(read, write, timeoutMillis);
        if ((ready & Transport.INTERRUPTED) != 0) {
            interruptSwallowed = true;
        }
        return ready & ~Transport.INTERRUPTED;
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

    /** Bytes waiting to be sent. */
    int pendingOutput() {
        return out.size();
    }

    /** {@code pqPutMsgEnd}: a message is complete; write whole 8 KB blocks once 8 KB are pending. */
    int messageEnd() {
        int pending = out.size();
        if (pending >= SEND_CHUNK) {
            if (sendSome(pending - pending % SEND_CHUNK) < 0) {
                return -1;
            }
        }
        return 0;
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
        return ok ? flush() : -1;
    }

    /** {@code pqSendSome}. */
    private int sendSome(int length) {
        if (writeFailed) {
            out.clear();
            if (transport != null) {
                // the connection is known broken: libpq's read here sees the end of stream; a TCP
                // transport can only see it by waiting, so give it a moment
                pollSocket(true, false, 1);
                if (readData() < 0) {
                    return -1;
                }
            }
            return 0;
        }
        if (transport == null) {
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
            if (transport.blockingWrites() && remaining >= SEND_CHUNK) {
                // libpq reads whenever a write would block; a blocking socket cannot tell, so during
                // bulk output (COPY IN) it reads first, keeping a server that sends notices moving
                if (readData() < 0) {
                    status = -1;
                    break;
                }
                chunk = Math.min(remaining, BLOCKING_WRITE_CHUNK);
            }
            try {
                n = transport.write(out.array(), sent, chunk);
            } catch (IOException e) {
                out.clear();
                if (transport.tls() != null) {
                    // a TLS write failure is reported at once (pgtls_write), after reading what the
                    // server may have said before it went away
                    errors.append(io.pqbridge.pq.wire.tls.TlsSession.transferFailure(e) + "\n");
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
    // sending commands (PQsendQuery, PQsendQueryParams)
    // =============================================================================================

    /** {@code PQsendQueryStart}. */
    private boolean sendQueryStart(boolean newQuery) {
        if (newQuery && commandClass == null) {
            errors.clear();
        }
        if (!ok) {
            errors.append("no connection to the server\n");
            return false;
        }
        if (async != Async.IDLE) {
            errors.append("another command is already in progress\n");
            return false;
        }
        clearAsyncResult();
        return true;
    }

    /** {@code PQsendQuery}. */
    boolean sendQuery(String sql) {
        return sendSimpleQuery(sql, true);
    }

    /** {@code PQsendQueryContinue}: as {@link #sendQuery} but keeps the error text (startup checks). */
    boolean sendQueryContinue(String sql) {
        return sendSimpleQuery(sql, false);
    }

    private boolean sendSimpleQuery(String sql, boolean newQuery) {
        if (!sendQueryStart(newQuery)) {
            return false;
        }
        Query.encode(out, sql);
        if (messageEnd() < 0) {
            return false;
        }
        return launch(QueryClass.SIMPLE, cString(sql));
    }

    /** {@code PQsendQueryParams}. */
    boolean sendQueryParams(String sql, int[] paramTypes, byte[][] paramValues, int[] paramFormats,
            int resultFormat) {
        if (!sendQueryStart(true)) {
            return false;
        }
        int count = paramValues == null ? 0 : paramValues.length;
        if (count > 65535) {
            errors.append("number of parameters must be between 0 and 65535\n");
            return false;
        }
        Parse.encode(out, "", sql, count, paramTypes);
        if (messageEnd() < 0) {
            return false;
        }
        Bind.encode(out, "", "", paramValues, paramFormats, resultFormat);
        if (messageEnd() < 0) {
            return false;
        }
        Describe.encode(out, 'P', "");
        if (messageEnd() < 0) {
            return false;
        }
        Execute.encode(out, "", 0);
        if (messageEnd() < 0) {
            return false;
        }
        Sync.encode(out);
        if (messageEnd() < 0) {
            return false;
        }
        return launch(QueryClass.EXTENDED, cString(sql));
    }

    /** Pushes the command out and, if that worked, queues it (libpq's pqAppendCmdQueueEntry). */
    private boolean launch(QueryClass queryClass, String query) {
        if (flush() < 0) {
            return false;
        }
        commandClass = queryClass;
        commandQuery = query;
        if (async == Async.IDLE) {
            async = Async.BUSY;
        }
        return true;
    }

    private static String cString(String s) {
        int nul = s.indexOf('\0');
        return nul < 0 ? s : s.substring(0, nul);
    }

    /** Sends Terminate if the connection is usable ({@code sendTerminateConn}), as far as it goes. */
    void sendTerminate() {
        if (transport != null && ok) {
            Terminate.encode(out);
            messageEnd();
            flush();
        }
    }

    // =============================================================================================
    // results (PQgetResult, PQisBusy)
    // =============================================================================================

    /** {@code PQisBusy}. */
    boolean isBusy() {
        parseInput();
        return async == Async.BUSY && ok;
    }

    /**
     * {@code PQgetResult}. Waits only when called while busy, which the connection avoids except
     * after a failure (then the socket is gone and the wait fails at once); each wait is bounded.
     */
    PgResult getResult(long waitMillis) {
        parseInput();
        while (async == Async.BUSY) {
            if (flushFully(waitMillis) != 0 || awaitSocket(true, false, waitMillis) != 0 || readData() < 0) {
                saveErrorResult();
                async = Async.IDLE;
                return prepareAsyncResult();
            }
            parseInput();
            if (writeFailed && async == Async.BUSY) {
                saveWriteError();
                async = Async.IDLE;
                return prepareAsyncResult();
            }
        }
        switch (async) {
            case IDLE:
                return null;
            case READY:
                if (commandClass != null && commandClass != QueryClass.SIMPLE) {
                    commandClass = null;
                    commandQuery = null;
                }
                PgResult res = prepareAsyncResult();
                async = Async.BUSY;
                return res;
            case COPY_IN:
                return copyResult(PgExecStatus.COPY_IN);
            case COPY_OUT:
                return copyResult(PgExecStatus.COPY_OUT);
            default:
                throw new IllegalStateException("unexpected asyncStatus: " + async);
        }
    }

    /** {@code getCopyResult}. */
    private PgResult copyResult(PgExecStatus type) {
        if (!ok) {
            saveErrorResult();
            async = Async.IDLE;
            return prepareAsyncResult();
        }
        if (result != null && resultStatus == type) {
            return prepareAsyncResult();
        }
        return PgResult.builder(type).build();
    }

    private void saveWriteError() {
        errors.append(writeFailure != null ? writeFailure : "write to server failed\n");
        writeFailure = "";
        saveErrorResult();
    }

    /** {@code pqSaveErrorResult}. */
    void saveErrorResult() {
        clearAsyncResult();
        errorResult = true;
    }

    /** {@code pqClearAsyncResult}. */
    private void clearAsyncResult() {
        result = null;
        resultStatus = null;
        resultFields = 0;
        errorResult = false;
    }

    private boolean havePendingResult() {
        return result != null || errorResult;
    }

    /** {@code pqPrepareAsyncResult}. */
    PgResult prepareAsyncResult() {
        PgResult res;
        if (result != null) {
            res = result.build();
            if (resultStatus == PgExecStatus.FATAL_ERROR) {
                errors.markAllReported();
            }
        } else {
            if (!errorResult) {
                errors.append("no error text available\n");
            }
            res = PgResult.ofError(PgExecStatus.FATAL_ERROR, errors.takeUnreported());
        }
        clearAsyncResult();
        return res;
    }

    private void newResult(PgExecStatus status) {
        result = PgResult.builder(status);
        resultStatus = status;
        resultFields = 0;
    }

    // =============================================================================================
    // parsing (pqParseInput3)
    // =============================================================================================

    /** {@code pqParseInput3}: processes complete messages as far as the state allows. */
    void parseInput() {
        for (;;) {
            if (inEnd - inStart < 5) {
                return;
            }
            byte id = in[inStart];
            int length = readInt32(in, inStart + 1);
            if (!BackendMessageDecoder.plausibleLength(id, length) || !fits(id, length)) {
                handleSyncLoss(id, length);
                return;
            }
            int bodyLength = length - 4;
            if (inEnd - inStart - 5 < bodyLength) {
                makeRoomFor(1L + length);
                return;
            }
            int body = inStart + 5;
            if (id == NotificationResponse.TYPE) {
                handleNotification(id, body, bodyLength);
            } else if (id == NoticeResponse.TYPE) {
                handleNotice(id, body, bodyLength);
            } else if (async != Async.BUSY) {
                if (async != Async.IDLE) {
                    return;
                }
                if (id == ErrorResponse.TYPE) {
                    handleNotice(id, body, bodyLength);
                } else if (id == ParameterStatus.TYPE) {
                    handleParameterStatus(id, body, bodyLength);
                } else {
                    internalNotice(String.format("message type 0x%02x arrived from server while idle", id & 0xff));
                }
            } else if (!parseBusy(id, body, bodyLength)) {
                return;
            }
            inStart = body + bodyLength;
        }
    }

    /** One message in BUSY state; false to stop parsing before it (a second row description). */
    private boolean parseBusy(byte id, int body, int bodyLength) {
        try {
            switch (id) {
                case CommandComplete.TYPE -> {
                    CommandComplete complete = (CommandComplete) decode(id, body, bodyLength);
                    if (!havePendingResult()) {
                        newResult(PgExecStatus.COMMAND_OK);
                    }
                    if (result != null) {
                        result.cmdStatus(truncateTag(complete.tag()));
                    }
                    async = Async.READY;
                }
                case ErrorResponse.TYPE -> {
                    ErrorResponse error = (ErrorResponse) decode(id, body, bodyLength);
                    storeError(error.fields());
                    async = Async.READY;
                }
                case ReadyForQuery.TYPE -> {
                    ReadyForQuery ready = (ReadyForQuery) decode(id, body, bodyLength);
                    xact = switch (ready.status()) {
                        case 'I' -> PgTransactionStatus.IDLE;
                        case 'T' -> PgTransactionStatus.INTRANS;
                        case 'E' -> PgTransactionStatus.INERROR;
                        default -> PgTransactionStatus.UNKNOWN;
                    };
                    if (commandClass == QueryClass.SIMPLE) {
                        commandClass = null;
                        commandQuery = null;
                    }
                    async = Async.IDLE;
                }
                case 'I' -> {
                    decode(id, body, bodyLength);
                    if (!havePendingResult()) {
                        newResult(PgExecStatus.EMPTY_QUERY);
                    }
                    async = Async.READY;
                }
                case '1', '2', '3', 'n', 'c', 'd' -> {
                    // ParseComplete, BindComplete, CloseComplete, NoData: nothing to do here;
                    // CopyData/CopyDone after an abandoned COPY OUT are dropped
                }
                case ParameterStatus.TYPE -> handleParameterStatus(id, body, bodyLength);
                case BackendKeyData.TYPE -> {
                    BackendKeyData key = (BackendKeyData) decode(id, body, bodyLength);
                    backendPid = key.processId();
                    secretKey = key.secretKey();
                }
                case RowDescription.TYPE -> {
                    if (errorResult || resultStatus == PgExecStatus.FATAL_ERROR) {
                        break; // already failed: skip to the end of the query
                    }
                    if (result != null) {
                        async = Async.READY; // a second row description starts another result
                        return false;
                    }
                    rowDescription(body, bodyLength);
                }
                case 't' -> decode(id, body, bodyLength); // ParameterDescription: only for describe, unused
                case DataRow.TYPE -> {
                    if (result != null && resultStatus == PgExecStatus.TUPLES_OK) {
                        dataRow(body, bodyLength);
                    } else if (!(errorResult || resultStatus == PgExecStatus.FATAL_ERROR)) {
                        errors.append("server sent data (\"D\" message) without prior row description (\"T\" message)\n");
                        saveErrorResult();
                    }
                }
                case CopyInResponse.TYPE -> {
                    copyStart(PgExecStatus.COPY_IN, ((CopyInResponse) decode(id, body, bodyLength)).format());
                    async = Async.COPY_IN;
                }
                case CopyOutResponse.TYPE -> {
                    copyStart(PgExecStatus.COPY_OUT, ((CopyOutResponse) decode(id, body, bodyLength)).format());
                    async = Async.COPY_OUT;
                }
                default -> {
                    errors.append("unexpected response from server; first received character was \"" + (char) id
                            + "\"\n");
                    saveErrorResult();
                    async = Async.READY;
                }
            }
        } catch (MalformedMessageException e) {
            clearAsyncResult();
            errors.append(e.getMessage() + "\n");
            saveErrorResult();
            async = Async.READY;
        }
        return true;
    }

    private BackendMessage decode(byte id, int body, int bodyLength) throws MalformedMessageException {
        return BackendMessageDecoder.decode(id, in, body, bodyLength);
    }

    /** libpq keeps at most 63 bytes of a command tag. */
    private static String truncateTag(String tag) {
        if (tag.length() < 64) {
            return tag;
        }
        byte[] utf8 = tag.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return utf8.length < 64 ? tag : new String(utf8, 0, 63, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void rowDescription(int body, int bodyLength) throws MalformedMessageException {
        RowDescription description;
        try {
            description = (RowDescription) decode(RowDescription.TYPE, body, bodyLength);
        } catch (MalformedMessageException e) {
            clearAsyncResult();
            throw e;
        }
        newResult(PgExecStatus.TUPLES_OK);
        boolean binary = !description.fields().isEmpty();
        result.expectFields(description.fields().size());
        for (RowDescription.Field f : description.fields()) {
            result.field(f.name(), f.tableOid(), f.tableColumn(), f.typeOid(), f.size(), f.typmod(), f.format());
            if (f.format() != 1) {
                binary = false;
            }
        }
        result.binaryTuples(binary);
        resultFields = description.fields().size();
    }

    private void dataRow(int body, int bodyLength) throws MalformedMessageException {
        DataRow row = (DataRow) decode(DataRow.TYPE, body, bodyLength);
        if (row.columnCount() != resultFields) {
            throw new MalformedMessageException("unexpected field count in \"D\" message");
        }
        if (resultFields > 0) {
            try {
                row.appendTo(result);
            } catch (OutOfMemoryError | PgResult.TooLargeException e) {
                // libpq's getAnotherTuple: the result is dropped, the rest of the query skipped
                throw new MalformedMessageException("out of memory for query result");
            }
        }
    }

    private void copyStart(PgExecStatus type, CopyFormat format) {
        newResult(type);
        result.binaryTuples(format.binary());
        for (int columnFormat : format.columnFormats()) {
            result.field(null, 0, 0, 0, 0, 0, columnFormat);
        }
    }

    /** {@code pqGetErrorNotice3} for an error: the result becomes the error, its text is appended. */
    private void storeError(Map<Character, String> fields) {
        clearAsyncResult();
        String sqlstate = fields.get('C');
        if (sqlstate != null) {
            lastSqlstate = sqlstate;
        }
        String query = fields.containsKey('P') && commandClass != null ? commandQuery : null;
        String message = ErrorMessageFormat.format(fields, query, true);
        newResult(PgExecStatus.FATAL_ERROR);
        for (Map.Entry<Character, String> f : fields.entrySet()) {
            result.errorField(f.getKey(), f.getValue());
        }
        result.errorMessage(message);
        errors.append(message);
    }

    private void handleNotice(byte id, int body, int bodyLength) {
        Map<Character, String> fields;
        try {
            BackendMessage m = decode(id, body, bodyLength);
            fields = m instanceof NoticeResponse n ? n.fields() : ((ErrorResponse) m).fields();
        } catch (MalformedMessageException e) {
            return;
        }
        String sqlstate = fields.get('C');
        if (sqlstate != null) {
            lastSqlstate = sqlstate;
        }
        String query = fields.containsKey('P') && commandClass != null ? commandQuery : null;
        PgResult.Builder notice = PgResult.builder(PgExecStatus.NONFATAL_ERROR);
        for (Map.Entry<Character, String> f : fields.entrySet()) {
            notice.errorField(f.getKey(), f.getValue());
        }
        notice.errorMessage(ErrorMessageFormat.format(fields, query, false));
        notices.add(notice.build());
    }

    /** {@code pqInternalNotice}: a notice made by the client (severity NOTICE, no SQLSTATE). */
    private void internalNotice(String text) {
        notices.add(PgResult.builder(PgExecStatus.NONFATAL_ERROR).errorField('M', text).errorField('S', "NOTICE")
                .errorField('V', "NOTICE").errorMessage(text + "\n").build());
    }

    private void handleNotification(byte id, int body, int bodyLength) {
        try {
            NotificationResponse n = (NotificationResponse) decode(id, body, bodyLength);
            notifications.add(new PgNotify(n.channel(), n.processId(), n.payload()));
        } catch (MalformedMessageException e) {
            // libpq drops a notification it cannot read
        }
    }

    private void handleParameterStatus(byte id, int body, int bodyLength) {
        try {
            ParameterStatus p = (ParameterStatus) decode(id, body, bodyLength);
            parameters.put(p.name(), p.value());
            if (p.name().equals("server_version")) {
                serverVersion = parseServerVersion(p.value());
            }
        } catch (MalformedMessageException e) {
            // libpq ignores a parameter it cannot read
        }
    }

    /** libpq's numeric server version: "15.18" is 150018, "9.6.1" is 90601, "16devel" is 160000. */
    static int parseServerVersion(String value) {
        int[] parts = new int[3];
        int count = 0;
        int i = 0;
        int n = value.length();
        while (count < 3) {
            int start = i;
            int v = 0;
            while (i < n && Character.isDigit(value.charAt(i))) {
                v = v * 10 + (value.charAt(i) - '0');
                i++;
            }
            if (i == start) {
                break;
            }
            parts[count++] = v;
            if (i < n && value.charAt(i) == '.') {
                i++;
            } else {
                break;
            }
        }
        return switch (count) {
            case 3 -> (100 * parts[0] + parts[1]) * 100 + parts[2];
            case 2 -> parts[0] >= 10 ? 100 * 100 * parts[0] + parts[1] : (100 * parts[0] + parts[1]) * 100;
            case 1 -> 100 * 100 * parts[0];
            default -> 0;
        };
    }

    /** {@code handleSyncLoss}: the stream cannot be framed any more; the connection is given up. */
    private void handleSyncLoss(byte id, int length) {
        errors.append("lost synchronization with server: got message type \"" + (char) id + "\", length " + length
                + "\n");
        saveErrorResult();
        async = Async.READY;
        dropConnection(true);
        ok = false;
    }

    /**
     * Whether a message of this declared length can be held at all (type byte included, in the
     * largest array the JVM allows); when not, libpq's text for a failed buffer enlargement is
     * appended and the caller treats it as lost synchronisation, as libpq does.
     */
    private boolean fits(byte id, int length) {
        if (1L + length <= MAX_INPUT) {
            return true;
        }
        errors.append("cannot allocate memory for input buffer\n");
        return false;
    }

    /**
     * Prepares for a message of {@code total} bytes (type and length included) at inStart that
     * has not arrived whole: moves the unconsumed bytes to the front when the message would run
     * past the buffer's end. It allocates nothing ({@link #readData} grows the buffer as bytes
     * arrive), so a declared length costs memory only once the bytes are really there, and a
     * message that merely straddles the end costs no allocation (during COPY OUT that happens once
     * per buffer's worth of rows).
     */
    private void makeRoomFor(long total) {
        if (in.length - inStart >= total || inStart == 0) {
            return;
        }
        int keep = inEnd - inStart;
        System.arraycopy(in, inStart, in, 0, keep);
        inStart = 0;
        inEnd = keep;
    }

    static int readInt32(byte[] b, int at) {
        return BackendMessageDecoder.int32(b, at);
    }

    // =============================================================================================
    // COPY (PQputCopyData, PQputCopyEnd, PQgetCopyData)
    // =============================================================================================

    /** {@code PQputCopyData} for {@code length} bytes of {@code data} at {@code offset}, or of {@code buffer}. */
    int putCopyData(byte[] data, int offset, int length, ByteBuffer buffer) {
        if (async != Async.COPY_IN) {
            errors.append("no COPY in progress\n");
            return -1;
        }
        parseInput();
        if (length > 0) {
            if (out.array().length - out.size() - 5 < length && flush() < 0) {
                return -1;
            }
            if (buffer != null) {
                CopyData.encode(out, buffer);
            } else {
                CopyData.encode(out, data, offset, length);
            }
            if (messageEnd() < 0) {
                return -1;
            }
        }
        return 1;
    }

    /** {@code PQputCopyEnd}. */
    int putCopyEnd(String errorMessage) {
        if (async != Async.COPY_IN) {
            errors.append("no COPY in progress\n");
            return -1;
        }
        if (errorMessage != null) {
            CopyFail.encode(out, errorMessage);
        } else {
            CopyDone.encode(out);
        }
        if (messageEnd() < 0) {
            return -1;
        }
        if (commandClass != null && commandClass != QueryClass.SIMPLE) {
            Sync.encode(out);
            if (messageEnd() < 0) {
                return -1;
            }
        }
        async = Async.BUSY;
        return flush() < 0 ? -1 : 1;
    }

    /**
     * {@code PQgetCopyData} with async=1, without taking the data: finds the next CopyData
     * message in the input (handling notices, notifications and parameter changes before it).
     *
     * @return its payload length (&gt; 0; then {@link #copyPayload} and {@link #consumeCopyData}),
     *     0 when no complete message is buffered, -1 at the end of the COPY (any other message),
     *     -2 on error
     */
    int nextCopyData() {
        if (async != Async.COPY_OUT) {
            errors.append("no COPY in progress\n");
            return -2;
        }
        for (;;) {
            if (inEnd - inStart < 5) {
                return 0;
            }
            byte id = in[inStart];
            int length = readInt32(in, inStart + 1);
            if (length < 4 || !fits(id, length)) {
                handleSyncLoss(id, length);
                return -2;
            }
            int bodyLength = length - 4;
            if (inEnd - inStart - 5 < bodyLength) {
                makeRoomFor(1L + length);
                return 0;
            }
            int body = inStart + 5;
            switch (id) {
                case NotificationResponse.TYPE -> handleNotification(id, body, bodyLength);
                case NoticeResponse.TYPE -> handleNotice(id, body, bodyLength);
                case ParameterStatus.TYPE -> handleParameterStatus(id, body, bodyLength);
                case io.pqbridge.pq.wire.message.backend.CopyData.TYPE -> {
                    if (bodyLength > 0) {
                        copyPayloadStart = body;
                        return bodyLength;
                    }
                }
                default -> {
                    async = Async.BUSY;
                    return -1;
                }
            }
            inStart = body + bodyLength;
        }
    }

    /** Copies the payload found by {@link #nextCopyData} into {@code dst} at its position. */
    void copyPayload(ByteBuffer dst, int length) {
        dst.put(in, copyPayloadStart, length);
    }

    /** Consumes the message found by {@link #nextCopyData}. */
    void consumeCopyData(int length) {
        inStart = copyPayloadStart + length;
    }

    // =============================================================================================
    // startup support
    // =============================================================================================

    /** The raw input, for the startup flow, which frames its own messages. */
    byte[] input() {
        return in;
    }

    int inputStart() {
        return inStart;
    }

    int inputEnd() {
        return inEnd;
    }

    void consumeInputTo(int position) {
        inStart = position;
    }

    /** The startup flow's error and notice handling of one message, as libpq's pqGetErrorNotice3. */
    void startupError(Map<Character, String> fields) {
        storeError(fields);
    }

    /** Prepares for a startup message that has not arrived whole ({@link #makeRoomFor}). */
    void reserveInput(int total) {
        makeRoomFor(total);
    }
}

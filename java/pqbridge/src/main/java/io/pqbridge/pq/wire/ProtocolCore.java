package io.pqbridge.pq.wire;

import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgNotify;
import io.pqbridge.pq.PgPipelineStatus;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.PgTransactionStatus;
import io.pqbridge.pq.wire.message.backend.BackendKeyData;
import io.pqbridge.pq.wire.message.backend.BackendMessage;
import io.pqbridge.pq.wire.message.backend.BackendMessageDecoder;
import io.pqbridge.pq.wire.message.backend.CommandComplete;
import io.pqbridge.pq.wire.message.backend.CopyBothResponse;
import io.pqbridge.pq.wire.message.backend.CopyInResponse;
import io.pqbridge.pq.wire.message.backend.CopyOutResponse;
import io.pqbridge.pq.wire.message.backend.DataRow;
import io.pqbridge.pq.wire.message.backend.ErrorResponse;
import io.pqbridge.pq.wire.message.backend.MalformedMessageException;
import io.pqbridge.pq.wire.message.backend.NoticeResponse;
import io.pqbridge.pq.wire.message.backend.NotificationResponse;
import io.pqbridge.pq.wire.message.backend.ParameterDescription;
import io.pqbridge.pq.wire.message.backend.ParameterStatus;
import io.pqbridge.pq.wire.message.backend.ReadyForQuery;
import io.pqbridge.pq.wire.message.backend.RowDescription;
import io.pqbridge.pq.wire.message.frontend.OutputBuffer;
import io.pqbridge.pq.wire.message.frontend.Terminate;
import java.util.Map;

/**
 * libpq's client-side protocol state of one connection, without any I/O: it is fed the bytes the
 * server sent ({@link #input()}), encodes what is to be sent into {@link #out()}, and says what it
 * needs next ({@link #need()}). No socket, clock or thread is inside; {@link ProtocolMachine}
 * moves the bytes, and unit tests drive it with canned byte streams.
 *
 * <pre>
 * Implementation notes
 * --------------------
 * Model. Each method is the Java twin of a libpq function or of its protocol half, and says
 * which (pqParseInput3, PQgetResult, PQputCopyData...). The state is libpq's:
 *   async      asyncStatus: IDLE, BUSY (results expected), READY (a result is complete),
 *              READY_MORE (a single row), COPY_IN, COPY_OUT, COPY_BOTH, PIPELINE_IDLE.
 *   commands   libpq's command queue and pipeline status (CommandQueue): at most one entry
 *              outside pipeline mode. Simple queries leave it at ReadyForQuery, others when
 *              their result is returned, syncs when their PIPELINE_SYNC is; while it is not
 *              empty, a new query does not clear the error text.
 *   pending    the result being assembled, or the flag that an error result is to be made from
 *              the error text (PendingResult).
 *   errors     the accumulated error text and how much of it results have reported.
 *
 * Parts. The core holds that state and parses the input; the functions that work on the same
 * state are beside it, one concept each, as libpq keeps them all on one PGconn: CommandEncoder
 * (the command-sending functions' messages), CommandCycle (results handed out, the queue
 * advanced), PipelineMode, CopyExchange (COPY), ServerEvents and ServerParameters (the
 * asynchronous messages).
 *
 * Pipeline mode (entered, left and synced by PipelineMode). Commands queue behind each other
 * without a Sync of their own. Between two commands the state is PIPELINE_IDLE, so that
 * PQgetResult returns the null that ends a command's results; CommandCycle
 * (pqPipelineProcessQueue) then moves to the next one. An ErrorResponse marks the pipeline
 * aborted: the commands queued before the next sync are not executed by the server, and each is
 * answered here, without input, by a PIPELINE_ABORTED result; the ReadyForQuery of the sync
 * becomes a PIPELINE_SYNC result and ends the abort.
 *
 * Losing the connection. When the input can no longer be framed (lost synchronisation) libpq
 * closes the socket at once; the core cannot, so it marks the connection bad and raises a drop
 * request that the I/O driver honours before its next socket call (takeDropRequest).
 *
 * Threads: none of its own; the owning connection calls it under its lock.
 * </pre>
 */
final class ProtocolCore {

    /** pqPutMsgEnd writes once this much is pending, in multiples of it. */
    static final int SEND_CHUNK = 8192;

    /** libpq's {@code PGQueryClass}: what the queued command was, which decides how its results are built. */
    enum QueryClass { SIMPLE, EXTENDED, PREPARE, DESCRIBE, CLOSE, SYNC }

    /** What the core waits for before the caller's next step can make progress. */
    enum Need {
        /** Bytes are waiting in {@link #out()}: send them. */
        WRITE,
        /** A result or COPY data is expected and not yet complete in the input: feed more. */
        READ,
        /** Nothing: the caller's move (take a result or COPY data, or send a command). */
        NOTHING
    }

    private boolean ok;
    private boolean dropRequested;
    private final InputBuffer input = new InputBuffer();
    private final OutputBuffer out = new OutputBuffer(16 * 1024);
    private AsyncStatus async = AsyncStatus.IDLE;
    private PgTransactionStatus xact = PgTransactionStatus.IDLE;
    private final CommandQueue commands = new CommandQueue();
    /**
     * Partial-result mode of the command being read: rows per partial result (0: off; 1 with
     * {@link #singleRowMode}: single-row mode), set by the last of {@code PQsetSingleRowMode} and
     * {@code PQsetChunkedRowsMode} called before the command's first result
     * ({@code conn->maxChunkSize}, {@code partialResMode}).
     */
    private int chunkSize;
    /** Each row is a result of its own ({@code conn->singleRowMode}). */
    private boolean singleRowMode;
    private final RecentColumns recentColumns = new RecentColumns();
    private final PendingResult pending = new PendingResult(recentColumns);
    private final ErrorText errors = new ErrorText();
    private String lastSqlstate = "";
    private final ServerParameters server = new ServerParameters();
    private final ServerEvents events = new ServerEvents();
    private final CommandEncoder encoder = new CommandEncoder(out, errors, commands);
    private final CopyExchange copy = new CopyExchange(this, events);
    private final PipelineMode pipeline = new PipelineMode(this, commands);
    private final CommandCycle cycle = new CommandCycle(this, commands, pending);

    // =============================================================================================
    // connection state
    // =============================================================================================

    /** A new connection attempt: everything learned from or queued for the previous one is dropped. */
    void reset() {
        dropped(true);
        dropRequested = false;
        async = AsyncStatus.IDLE;
        xact = PgTransactionStatus.IDLE;
        pending.clear();
        server.clear();
        commands.setPipeline(PgPipelineStatus.OFF);
    }

    /** The socket went away ({@code pqDropConnection}): unsent output and the command queue go too. */
    void dropped(boolean flushInput) {
        if (flushInput) {
            input.clear();
        }
        out.clear();
        commands.clear();
    }

    /** True once after the core gave the connection up (lost synchronisation): the socket must be closed now. */
    boolean takeDropRequest() {
        boolean requested = dropRequested;
        dropRequested = false;
        return requested;
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

    AsyncStatus async() {
        return async;
    }

    void setAsync(AsyncStatus value) {
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
        return async != AsyncStatus.IDLE ? PgTransactionStatus.ACTIVE : xact;
    }

    ServerParameters server() {
        return server;
    }

    PgResult pollNotice() {
        return events.pollNotice();
    }

    PgNotify pollNotification() {
        return events.pollNotification();
    }

    InputBuffer input() {
        return input;
    }

    OutputBuffer out() {
        return out;
    }

    /** The bytes {@code pqPutMsgEnd} would write now: whole 8 KB blocks once 8 KB are pending; else 0. */
    int dueOutput() {
        int pending = out.size();
        return pending >= SEND_CHUNK ? pending - pending % SEND_CHUNK : 0;
    }

    /** See {@link Need}; parses what is buffered first. */
    Need need() {
        parseInput();
        if (out.size() > 0) {
            return Need.WRITE;
        }
        if (!ok) {
            return Need.NOTHING;
        }
        if (async == AsyncStatus.BUSY) {
            return Need.READ;
        }
        if (async.receivesCopyData() && !wholeMessageBuffered()) {
            return Need.READ;
        }
        return Need.NOTHING;
    }

    private boolean wholeMessageBuffered() {
        int available = input.available();
        return available >= 5 && available - 5 >= input.int32(input.start() + 1) - 4;
    }

    // =============================================================================================
    // commands (the protocol half of PQsendQuery and its siblings)
    // =============================================================================================

    /** {@code PQsendQueryStart}: whether a command may be sent now; if not, the reason is in the error text. */
    boolean startCommand(boolean newQuery) {
        if (newQuery && commands.isEmpty()) {
            errors.clear();
        }
        if (!connectedAndFree()) {
            return false;
        }
        if (commands.inPipeline()) {
            // queued behind what is in flight: the state moves on when CommandCycle reaches it
            if (async.inCopy()) {
                errors.append("cannot queue commands during COPY\n");
                return false;
            }
        } else {
            pending.clear();
            resetPartialMode();
        }
        return true;
    }

    /**
     * The checks every command-sending call starts with: a live connection, and one not busy with
     * another command unless commands queue (pipeline mode); false with libpq's text.
     */
    boolean connectedAndFree() {
        if (!ok) {
            errors.append("no connection to the server\n");
            return false;
        }
        if (async != AsyncStatus.IDLE && !commands.inPipeline()) {
            errors.append("another command is already in progress\n");
            return false;
        }
        return true;
    }

    /** No partial-result mode: the next command's rows come in one result until it asks otherwise. */
    void resetPartialMode() {
        singleRowMode = false;
        chunkSize = 0;
    }

    /** {@code PQexecStart}'s checks: false (with libpq's text) in pipeline mode. */
    boolean execStart() {
        if (commands.isEmpty()) {
            errors.clear();
        }
        if (commands.inPipeline()) {
            errors.append("synchronous command execution functions are not allowed in pipeline mode\n");
            return false;
        }
        return true;
    }

    /** {@code PQsetSingleRowMode}: only for a query just sent, before any of its results. */
    boolean setSingleRowMode() {
        return setPartialMode(1, true);
    }

    /** libpq 17's {@code PQsetChunkedRowsMode}: as {@link #setSingleRowMode}, for chunks of {@code size} rows. */
    boolean setChunkedRowsMode(int size) {
        return size > 0 && setPartialMode(size, false);
    }

    /** libpq's {@code canChangeResultMode}, then the mode, replacing one set before (libpq 17). */
    private boolean setPartialMode(int size, boolean singleRow) {
        if (async != AsyncStatus.BUSY || !(commands.headIs(QueryClass.SIMPLE) || commands.headIs(QueryClass.EXTENDED))
                || pending.isPending()) {
            return false;
        }
        chunkSize = size;
        singleRowMode = singleRow;
        return true;
    }

    /** The COPY sub-protocol: PQputCopyData, PQputCopyEnd, PQgetCopyData's halves. */
    CopyExchange copy() {
        return copy;
    }

    /** Whether the command in flight went with the extended protocol (its COPY IN ends with a Sync). */
    boolean extendedCommandInFlight() {
        return !commands.isEmpty() && !commands.headIs(QueryClass.SIMPLE);
    }

    /** The argument checks and encoders of the command-sending functions, writing into {@link #out()}. */
    CommandEncoder commands() {
        return encoder;
    }

    /** Pipeline mode: PQenterPipelineMode, PQexitPipelineMode, PQpipelineSync's and PQsendFlushRequest's halves. */
    PipelineMode pipeline() {
        return pipeline;
    }

    /** Commands sent, results handed out, the queue advanced: pqAppendCmdQueueEntry, the rest of PQgetResult. */
    CommandCycle cycle() {
        return cycle;
    }

    void encodeTerminate() {
        Terminate.encode(out);
    }

    // =============================================================================================
    // parsing (pqParseInput3, PQisBusy); the results are handed out by CommandCycle
    // =============================================================================================

    /** {@code PQisBusy}. */
    boolean isBusy() {
        parseInput();
        return async == AsyncStatus.BUSY && ok;
    }

    /** {@code pqParseInput3}: processes complete messages as far as the state allows. */
    void parseInput() {
        byte[] in = input.bytes();
        for (;;) {
            int start = input.start();
            if (input.end() - start < 5) {
                return;
            }
            byte id = in[start];
            int length = input.int32(start + 1);
            if (!BackendMessageDecoder.plausibleLength(id, length) || !fits(length)) {
                syncLost(id, length);
                return;
            }
            int bodyLength = length - 4;
            if (input.end() - start - 5 < bodyLength) {
                input.makeRoomFor(1L + length);
                return;
            }
            int body = start + 5;
            if (id == NotificationResponse.TYPE) {
                events.notification(in, body, bodyLength);
            } else if (id == NoticeResponse.TYPE) {
                notice(id, body, bodyLength);
            } else if (async != AsyncStatus.BUSY) {
                if (async != AsyncStatus.IDLE) {
                    return;
                }
                if (id == ErrorResponse.TYPE) {
                    notice(id, body, bodyLength);
                } else if (id == ParameterStatus.TYPE) {
                    server.parameterStatus(in, body, bodyLength);
                } else {
                    events.internalNotice(String.format("message type 0x%02x arrived from server while idle", id & 0xff));
                }
            } else if (!parseBusy(id, body, bodyLength)) {
                return;
            }
            input.consumeMessage(body + bodyLength);
        }
    }

    /** One message in BUSY state; false to stop parsing before it (a second row description). */
    private boolean parseBusy(byte id, int body, int bodyLength) {
        try {
            switch (id) {
                case CommandComplete.TYPE -> {
                    CommandComplete complete = (CommandComplete) decode(id, body, bodyLength);
                    if (!pending.isPending()) {
                        pending.start(PgExecStatus.COMMAND_OK);
                    }
                    if (pending.isStarted()) {
                        pending.commandTag(truncateTag(complete.tag()));
                    }
                    async = AsyncStatus.READY;
                }
                case ErrorResponse.TYPE -> {
                    storeError(((ErrorResponse) decode(id, body, bodyLength)).fields());
                    async = AsyncStatus.READY;
                }
                case ReadyForQuery.TYPE -> {
                    ReadyForQuery ready = (ReadyForQuery) decode(id, body, bodyLength);
                    xact = switch (ready.status()) {
                        case 'I' -> PgTransactionStatus.IDLE;
                        case 'T' -> PgTransactionStatus.INTRANS;
                        case 'E' -> PgTransactionStatus.INERROR;
                        default -> PgTransactionStatus.UNKNOWN;
                    };
                    if (commands.inPipeline()) {
                        pending.clear();
                        pending.start(PgExecStatus.PIPELINE_SYNC);
                        commands.setPipeline(PgPipelineStatus.ON);
                        async = AsyncStatus.READY;
                    } else {
                        commands.advance(true, false);
                        async = AsyncStatus.IDLE;
                    }
                }
                case 'I' -> {
                    decode(id, body, bodyLength);
                    if (!pending.isPending()) {
                        pending.start(PgExecStatus.EMPTY_QUERY);
                    }
                    async = AsyncStatus.READY;
                }
                case '1' -> completeIf(QueryClass.PREPARE); // ParseComplete ends PQsendPrepare
                case '3' -> completeIf(QueryClass.CLOSE); // CloseComplete ends PQsendClose*
                case 'n' -> completeIf(QueryClass.DESCRIBE); // NoData: a description without columns
                case '2', 'c', 'd' -> {
                    // BindComplete: nothing to do; CopyData/CopyDone after an abandoned COPY OUT are dropped
                }
                case ParameterStatus.TYPE -> server.parameterStatus(input.bytes(), body, bodyLength);
                case BackendKeyData.TYPE -> {
                    BackendKeyData key = (BackendKeyData) decode(id, body, bodyLength);
                    String refusal = server.backendKey(key.processId(), key.secretKey());
                    if (refusal != null) {
                        fatal(refusal); // libpq 18's handleFatalError
                        return false;
                    }
                }
                case RowDescription.TYPE -> {
                    if (pending.hasFailed()) {
                        break; // already failed: skip to the end of the query
                    }
                    if (pending.isStarted() && !commands.headIs(QueryClass.DESCRIBE)) {
                        async = AsyncStatus.READY; // a second row description starts another result
                        return false;
                    }
                    RowDescription description;
                    try {
                        description = recentColumns.decode(input.bytes(), body, bodyLength);
                    } catch (MalformedMessageException e) {
                        pending.clear();
                        throw e;
                    }
                    if (commands.isEmpty() || commands.headIs(QueryClass.DESCRIBE)) {
                        pending.description(description); // a Describe's answer is complete here
                        async = AsyncStatus.READY;
                    } else {
                        pending.rowDescription(description);
                    }
                }
                case ParameterDescription.TYPE ->
                    pending.parameterDescription(((ParameterDescription) decode(id, body, bodyLength)).typeOids());
                case DataRow.TYPE -> {
                    if (pending.is(PgExecStatus.TUPLES_OK) || pending.is(PgExecStatus.TUPLES_CHUNK)) {
                        if (pending.dataRow(input.bytes(), body, bodyLength, chunkSize,
                                singleRowMode ? PgExecStatus.SINGLE_TUPLE : PgExecStatus.TUPLES_CHUNK)) {
                            async = AsyncStatus.READY_MORE; // pqRowProcessor: the partial result goes out now
                        }
                    } else if (!pending.hasFailed()) {
                        errors.append("server sent data (\"D\" message) without prior row description (\"T\" message)\n");
                        pending.saveError();
                    }
                }
                case CopyInResponse.TYPE -> {
                    pending.copyStart(PgExecStatus.COPY_IN, ((CopyInResponse) decode(id, body, bodyLength)).format());
                    async = AsyncStatus.COPY_IN;
                }
                case CopyOutResponse.TYPE -> {
                    pending.copyStart(PgExecStatus.COPY_OUT, ((CopyOutResponse) decode(id, body, bodyLength)).format());
                    async = AsyncStatus.COPY_OUT;
                }
                case CopyBothResponse.TYPE -> {
                    // a replication connection's stream (libpq takes it on any connection)
                    pending.copyStart(PgExecStatus.COPY_BOTH, ((CopyBothResponse) decode(id, body, bodyLength)).format());
                    async = AsyncStatus.COPY_BOTH;
                }
                default -> {
                    errors.append("unexpected response from server; first received character was \"" + (char) id
                            + "\"\n");
                    pending.saveError();
                    async = AsyncStatus.READY;
                }
            }
        } catch (MalformedMessageException e) {
            pending.clear();
            errors.append(e.getMessage() + "\n");
            pending.saveError();
            async = AsyncStatus.READY;
        }
        return true;
    }

    /**
     * ParseComplete, CloseComplete and NoData end a command of one class (libpq makes an empty
     * {@code COMMAND_OK} result unless one is pending); in any other command they are bookkeeping.
     */
    private void completeIf(QueryClass queryClass) {
        if (commands.headIs(queryClass)) {
            if (!pending.isPending()) {
                pending.start(PgExecStatus.COMMAND_OK);
            }
            async = AsyncStatus.READY;
        }
    }

    private BackendMessage decode(byte id, int body, int bodyLength) throws MalformedMessageException {
        return BackendMessageDecoder.decode(id, input.bytes(), body, bodyLength);
    }

    /** libpq keeps at most 63 bytes of a command tag. */
    private static String truncateTag(String tag) {
        if (tag.length() < 64) {
            return tag;
        }
        byte[] utf8 = tag.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return utf8.length < 64 ? tag : new String(utf8, 0, 63, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** {@code pqGetErrorNotice3} for an error: the result becomes the error, its text is appended. */
    private void storeError(Map<Character, String> fields) {
        if (commands.inPipeline()) {
            commands.setPipeline(PgPipelineStatus.ABORTED); // the server skips to the next Sync
        }
        noteSqlstate(fields.get('C'));
        String query = fields.containsKey('P') ? commands.headQuery() : null;
        String message = ErrorMessageFormat.format(fields, query, true);
        pending.error(fields, message);
        errors.append(message);
    }

    /** A notice, or an ErrorResponse while idle: queued for the notice handler, and its SQLSTATE noted. */
    void notice(byte id, int body, int bodyLength) {
        noteSqlstate(events.notice(id, input.bytes(), body, bodyLength, commands.headQuery()));
    }

    private void noteSqlstate(String sqlstate) {
        if (sqlstate != null) {
            lastSqlstate = sqlstate;
        }
    }

    /** {@code handleSyncLoss}: the stream cannot be framed any more; the connection is given up. */
    void syncLost(byte id, int length) {
        fatal("lost synchronization with server: got message type \"" + (char) id + "\", length " + length);
    }

    /** libpq's {@code handleFatalError}: an error result with the text, and the connection dropped. */
    private void fatal(String text) {
        errors.append(text + "\n");
        pending.saveError();
        async = AsyncStatus.READY;
        dropped(true);
        ok = false;
        dropRequested = true;
    }

    /**
     * Whether a message of this declared length can be held at all; when not, libpq's text for a
     * failed buffer enlargement is appended and the caller treats it as lost synchronisation.
     */
    boolean fits(int length) {
        if (InputBuffer.fits(length)) {
            return true;
        }
        errors.append("cannot allocate memory for input buffer\n");
        return false;
    }

    // =============================================================================================
    // startup support
    // =============================================================================================

    /** The startup flow's handling of an ErrorResponse, as libpq's pqGetErrorNotice3. */
    void startupError(Map<Character, String> fields) {
        storeError(fields);
    }
}

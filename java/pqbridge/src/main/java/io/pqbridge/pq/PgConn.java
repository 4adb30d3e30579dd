package io.pqbridge.pq;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;

/**
 * One connection, shaped like libpq's {@code PGconn} and its functions; implemented by both
 * backends and held to one contract test suite, so the facade above is written once.
 *
 * <h2>Semantics</h2>
 * Every method behaves as its libpq namesake does on a blocking connection
 * (as observed on libpq 15): the same return codes, the same client-side state
 * (transaction status {@code ACTIVE} until the final result of a command is consumed, refusals
 * such as "another command is already in progress"), the same error texts, and the same
 * accumulation of {@link #errorMessage()}. Methods that would block in libpq block here too:
 * {@link #getResult()}, {@link #getCopyData}, {@link #putCopyData} (back-pressure) and
 * {@link #putCopyEnd} (flush).
 *
 * <h2>Threads</h2>
 * A connection is safe to call from several threads: every call is serialised by the
 * connection's own lock, as libpq requires. A blocking call waits in bounded slices and lets
 * other callers in between, so {@link #finish()} from another thread takes effect within a slice
 * (well under one second) and the blocked caller then returns as on a finished connection.
 * {@link #cancelHandle()} gives the one object meant for use from another thread while a call
 * is blocked.
 *
 * <h2>After finish</h2>
 * A finished connection answers every call as libpq answers a NULL {@code PGconn}: status
 * {@link PgConnStatus#BAD}, transaction status {@link PgTransactionStatus#UNKNOWN}, error message
 * {@code "connection pointer is NULL\n"}, sends refused, {@link #getResult()} null. It never
 * crashes and never throws for it.
 *
 * <h2>Strings</h2>
 * SQL text, parameter names and messages are exchanged as UTF-8.
 */
public interface PgConn extends AutoCloseable {

    /** {@link #getCopyData}: the COPY data ended; read the final result with {@link #getResult()}. */
    int COPY_END = -1;
    /** {@link #getCopyData}: error (no COPY in progress, connection lost); see {@link #errorMessage()}. */
    int COPY_ERROR = -2;
    /**
     * {@link #getCopyData}: the next message alone is larger than the buffer's remaining space; it
     * stays pending and {@link #pendingCopyDataLength()} gives its size.
     */
    int COPY_BUFFER_TOO_SMALL = -3;
    /** {@link #trace} flag: lines without their timestamp (libpq's {@code PQTRACE_SUPPRESS_TIMESTAMPS}). */
    int TRACE_SUPPRESS_TIMESTAMPS = 1;
    /**
     * {@link #trace} flag: fields that change from run to run (object ids, and an error's source
     * file, line and routine) are written as placeholders (libpq's {@code PQTRACE_REGRESS_MODE}).
     */
    int TRACE_REGRESS_MODE = 2;

    /** {@return whether the connection is usable (libpq's {@code PQstatus})} */
    PgConnStatus status();

    /**
     * {@return the transaction status (libpq's {@code PQtransactionStatus}); see
     * {@link PgTransactionStatus}}
     */
    PgTransactionStatus transactionStatus();

    /**
     * {@return the connection's accumulated error text, {@code ""} when none (libpq's
     * {@code PQerrorMessage})}
     */
    String errorMessage();

    /**
     * {@return the value of a parameter the server reported (ParameterStatus), or null if it was
     * not reported}
     *
     * @param name the parameter's name, e.g. {@code "server_encoding"}
     */
    String parameterStatus(String name);

    /**
     * {@return the values of several reported parameters at once, null for one not reported; as
     * {@link #parameterStatus} for each, in one call (the facade reads the session's settings
     * around every statement)}
     *
     * @param names the parameters' names
     */
    default String[] parameterStatuses(String... names) {
        String[] values = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            values[i] = parameterStatus(names[i]);
        }
        return values;
    }

    /**
     * {@return a number that changes whenever a reported parameter may have changed (a
     * ParameterStatus message stored, a new connection attempt), or -1 when this backend cannot
     * tell} Not libpq's: it lets the facade skip reading its session settings before a statement
     * when the server reported nothing since it last read them. libpq keeps no such count, so the
     * native backend answers -1 and the facade reads every time.
     */
    default long parameterStatusGeneration() {
        return -1;
    }

    /**
     * {@return the process ID of the server process serving the connection, 0 when not connected}
     */
    int backendPid();

    /** {@return the server version as an integer (150018 for 15.18), 0 when not connected} */
    int serverVersion();

    /** {@return the frontend/backend protocol version, 3; 0 when not connected} */
    int protocolVersion();

    /**
     * {@return libpq 18's {@code PQfullProtocolVersion}: the protocol version with its minor part,
     * 30002 for 3.2 (which libpq 18 and PostgreSQL 18 speak when {@code max_protocol_version}
     * asks for it); 30000 for 3.0, which is all a libpq before 18 and the java backend speak; 0
     * when not connected}
     */
    int fullProtocolVersion();

    /**
     * {@return the effective connection options (libpq's {@code PQconninfo}), those with a value,
     * password included}
     */
    List<PgConninfoOption> conninfo();

    /**
     * Sends a query with the simple protocol, like {@code PQsendQuery}; read its results with
     * {@link #getResult()}.
     *
     * @param sql one or more SQL statements
     * @return true when sent; false when refused, see {@link #errorMessage()}
     */
    boolean sendQuery(String sql);

    /**
     * Sends a query with the extended protocol (Parse/Bind/Describe/Execute/Sync), like
     * {@code PQsendQueryParams}; read its results with {@link #getResult()}.
     *
     * @param sql one SQL statement, parameters written {@code $1}, {@code $2}...
     * @param paramTypes type OIDs, 0 or null to let the server infer
     * @param paramValues values, a null element is SQL NULL
     * @param paramFormats per parameter 0 text or 1 binary; null means all text
     * @param resultFormat 0 text or 1 binary, for every column
     * @return true when sent; false when refused, see {@link #errorMessage()}
     */
    boolean sendQueryParams(String sql, int[] paramTypes, byte[][] paramValues, int[] paramFormats,
            int resultFormat);

    /**
     * Creates a prepared statement with the extended protocol (Parse/Sync), like
     * {@code PQsendPrepare}; its one result is {@link PgExecStatus#COMMAND_OK} or the server's
     * error. Read it with {@link #getResult()}.
     *
     * @param stmtName the statement's name, {@code ""} for the unnamed statement
     * @param sql one SQL statement, parameters written {@code $1}, {@code $2}...
     * @param paramTypes type OIDs of the first parameters, 0 or null to let the server infer
     * @return true when sent; false when refused, see {@link #errorMessage()}
     */
    boolean sendPrepare(String stmtName, String sql, int[] paramTypes);

    /**
     * Runs a prepared statement (Bind/Describe/Execute/Sync), like {@code PQsendQueryPrepared};
     * read its results with {@link #getResult()}.
     *
     * @param stmtName the statement's name
     * @param paramValues values, a null element is SQL NULL
     * @param paramFormats per parameter 0 text or 1 binary; null means all text
     * @param resultFormat 0 text or 1 binary, for every column
     * @return true when sent; false when refused, see {@link #errorMessage()}
     */
    boolean sendQueryPrepared(String stmtName, byte[][] paramValues, int[] paramFormats, int resultFormat);

    /**
     * Asks for a prepared statement's parameter types and columns, like
     * {@code PQsendDescribePrepared}; the one result is {@link PgExecStatus#COMMAND_OK} with
     * {@link PgResult#nparams()}, {@link PgResult#paramtype(int)} and the field descriptions, no rows.
     *
     * @param stmtName the statement's name; null means the unnamed statement
     * @return true when sent; false when refused, see {@link #errorMessage()}
     */
    boolean sendDescribePrepared(String stmtName);

    /**
     * Asks for a portal's columns, like {@code PQsendDescribePortal}; the one result is
     * {@link PgExecStatus#COMMAND_OK} with the field descriptions, no rows.
     *
     * @param portalName the portal's (cursor's) name; null means the unnamed portal
     * @return true when sent; false when refused, see {@link #errorMessage()}
     */
    boolean sendDescribePortal(String portalName);

    /**
     * Closes a prepared statement, like libpq 17's {@code PQsendClosePrepared}: the protocol's
     * Close message, whose one result is {@link PgExecStatus#COMMAND_OK} (also for a name that
     * does not exist). The native backend on a libpq older than 17, which has no way to send
     * Close, sends {@code DEALLOCATE <name>} instead, as psycopg does there: its result carries the
     * tag {@code DEALLOCATE} and fails for an unknown name (see {@link #closeSendsCloseMessage()}).
     *
     * @param stmtName the statement's name; null means the unnamed statement
     * @return true when sent; false when refused, see {@link #errorMessage()}
     */
    boolean sendClosePrepared(String stmtName);

    /**
     * Closes a portal, like libpq 17's {@code PQsendClosePortal}; on the native backend with an
     * older libpq, {@code CLOSE <name>} (see {@link #sendClosePrepared}).
     *
     * @param portalName the portal's (cursor's) name; null means the unnamed portal
     * @return true when sent; false when refused, see {@link #errorMessage()}
     */
    boolean sendClosePortal(String portalName);

    /**
     * {@return true when {@link #sendClosePrepared} and {@link #sendClosePortal} send the protocol's
     * Close message (the java backend, libpq 17 or later), false when they fall back to SQL}
     */
    boolean closeSendsCloseMessage();

    /**
     * {@code PQprepare}: {@link #sendPrepare} and the last of its results.
     *
     * <p>The blocking forms here wait for every result of the command and return the last one
     * (stopping at a COPY result), as {@code PQexecFinish} does. Unlike libpq's, they do not
     * first discard the results of an earlier command the caller left unread: they are refused
     * like the send forms ("another command is already in progress"), since silently throwing
     * away another caller's results is never what a shared connection wants.
     *
     * @param stmtName the statement's name
     * @param sql the statement
     * @param paramTypes type OIDs, or null
     * @return the result; null when the command was not sent (see {@link #errorMessage()})
     */
    default PgResult prepare(String stmtName, String sql, int[] paramTypes) {
        return execStart() && sendPrepare(stmtName, sql, paramTypes) ? ExecFinish.lastResult(this) : null;
    }

    /**
     * {@code PQexecPrepared}: {@link #sendQueryPrepared} and the last of its results (see
     * {@link #prepare}).
     *
     * @param stmtName the statement's name
     * @param paramValues values, a null element is SQL NULL
     * @param paramFormats per parameter 0 text or 1 binary; null means all text
     * @param resultFormat 0 text or 1 binary
     * @return the result; null when the command was not sent
     */
    default PgResult execPrepared(String stmtName, byte[][] paramValues, int[] paramFormats, int resultFormat) {
        return execStart() && sendQueryPrepared(stmtName, paramValues, paramFormats, resultFormat) ? ExecFinish.lastResult(this)
                : null;
    }

    /**
     * {@code PQdescribePrepared} (see {@link #prepare}).
     *
     * @param stmtName the statement's name; null means the unnamed statement
     * @return the description; null when the command was not sent
     */
    default PgResult describePrepared(String stmtName) {
        return execStart() && sendDescribePrepared(stmtName) ? ExecFinish.lastResult(this) : null;
    }

    /**
     * {@code PQdescribePortal} (see {@link #prepare}).
     *
     * @param portalName the portal's name; null means the unnamed portal
     * @return the description; null when the command was not sent
     */
    default PgResult describePortal(String portalName) {
        return execStart() && sendDescribePortal(portalName) ? ExecFinish.lastResult(this) : null;
    }

    /**
     * {@code PQclosePrepared} (see {@link #sendClosePrepared} and {@link #prepare}).
     *
     * @param stmtName the statement's name; null means the unnamed statement
     * @return the result; null when the command was not sent
     */
    default PgResult closePrepared(String stmtName) {
        return execStart() && sendClosePrepared(stmtName) ? ExecFinish.lastResult(this) : null;
    }

    /**
     * {@code PQclosePortal} (see {@link #sendClosePortal} and {@link #prepare}).
     *
     * @param portalName the portal's name; null means the unnamed portal
     * @return the result; null when the command was not sent
     */
    default PgResult closePortal(String portalName) {
        return execStart() && sendClosePortal(portalName) ? ExecFinish.lastResult(this) : null;
    }

    /**
     * Switches the command just sent to single-row mode, like {@code PQsetSingleRowMode}: each row
     * then comes as its own result of status {@link PgExecStatus#SINGLE_TUPLE}, and each result
     * set ends with a {@link PgExecStatus#TUPLES_OK} result without rows (carrying the command
     * tag), or with the error that stopped it. Memory stays bounded by one row whatever the size
     * of the result.
     *
     * @return true when set; false unless called right after {@link #sendQuery},
     *     {@link #sendQueryParams} or {@link #sendQueryPrepared} and before any result was taken
     */
    boolean setSingleRowMode();

    /**
     * Switches the command just sent to chunked-rows mode, like libpq 17's
     * {@code PQsetChunkedRowsMode}: its rows come in results of status
     * {@link PgExecStatus#TUPLES_CHUNK} of {@code chunkSize} rows each (the last one shorter), and
     * each result set ends with a {@link PgExecStatus#TUPLES_OK} result without rows. As in libpq,
     * the command tag goes to the last chunk when it is short, and to the final result when the
     * rows filled every chunk; a short chunk whose rows are followed by an error is dropped. On a
     * libpq older than 17 the native backend builds the chunks from single rows in its shim, with
     * the same results. Of this and {@link #setSingleRowMode()}, the last one called before the
     * command's first result is the mode it keeps, as in libpq 17 and 18.
     *
     * @param chunkSize rows per chunk, at least 1
     * @return true when set (replacing a mode set before); false for a size below 1, or unless called
     *     right after sending a query and before any of its results
     */
    boolean setChunkedRowsMode(int chunkSize);

    /**
     * {@return the next result of the command in progress, blocking until it is available; null
     * after the last}
     */
    PgResult getResult();

    /**
     * Enters pipeline mode, like {@code PQenterPipelineMode}: from now on commands queue without
     * waiting for each other's results and send no Sync of their own; {@link #pipelineSync()} ends
     * a unit of work. {@link #getResult()} then returns each command's results followed by a null,
     * and a {@link PgExecStatus#PIPELINE_SYNC} result for each sync. {@link #sendQuery} is refused
     * in this mode, and so are the blocking forms ({@link #prepare} and its kin).
     *
     * @return true when in pipeline mode (also when it already was); false unless the connection
     *     is idle, see {@link #errorMessage()}
     */
    boolean enterPipelineMode();

    /**
     * Leaves pipeline mode, like {@code PQexitPipelineMode}.
     *
     * @return true when out of pipeline mode (also when it was not in it); false while results
     *     are still to be read or a COPY is in progress, see {@link #errorMessage()}
     */
    boolean exitPipelineMode();

    /**
     * Sends a Sync in pipeline mode and flushes, like {@code PQpipelineSync}: the server commits
     * (outside a transaction block) and answers with a {@link PgExecStatus#PIPELINE_SYNC} result;
     * after an error it is the point where the server resumes executing commands.
     *
     * @return true when sent; false when not in pipeline mode or the connection failed
     */
    boolean pipelineSync();

    /**
     * Asks the server to send the results it has so far without a sync point, like
     * {@code PQsendFlushRequest}. Like libpq, this queues the request and sends it with the next
     * flush ({@link #getResult()} flushes first).
     *
     * @return true when queued; false when the connection is bad or, outside pipeline mode, busy
     */
    boolean sendFlushRequest();

    /** {@return whether the connection is in pipeline mode, and whether aborted, like {@code PQpipelineStatus}} */
    PgPipelineStatus pipelineStatus();

    /**
     * The start of libpq's blocking calls ({@code PQexecStart}), used by the blocking forms here:
     * clears the error text unless commands are queued, and refuses in pipeline mode with libpq's
     * text ("synchronous command execution functions are not allowed in pipeline mode").
     *
     * @return whether a blocking call may go on
     */
    boolean execStart();

    /**
     * Queues one CopyData message (COPY IN). Blocks while the connection's unsent output is full
     * (back-pressure), so memory stays bounded whatever the producer's speed.
     *
     * @param data the array holding the message's payload
     * @param offset where the payload starts
     * @param length the payload's length in bytes
     * @return 1 when queued, -1 on error (no COPY IN in progress, connection lost)
     * @throws NullPointerException for a null array
     * @throws IndexOutOfBoundsException for a range outside the array
     */
    int putCopyData(byte[] data, int offset, int length);

    /**
     * As {@link #putCopyData(byte[], int, int)} for the buffer's remaining bytes, which it consumes
     * (advancing the position) when they are queued.
     *
     * @param data the buffer holding the message's payload between its position and limit
     * @return 1 when queued, -1 on error (no COPY IN in progress, connection lost)
     * @throws NullPointerException for a null buffer
     */
    int putCopyData(ByteBuffer data);

    /**
     * Ends COPY IN: {@code errorMessage == null} sends CopyDone, otherwise CopyFail carrying it.
     * Blocks until everything is sent. Then read the final result with {@link #getResult()}.
     *
     * @param errorMessage null to end the COPY; otherwise the reason to make it fail
     * @return 1 on success, -1 on error
     */
    int putCopyEnd(String errorMessage);

    /**
     * Sends everything queued and not yet sent, as blocking libpq's {@code PQflush} does, waiting
     * in slices while the socket takes it. Commands are flushed when sent and {@link #putCopyEnd}
     * flushes too; what waits here is CopyData that {@link #putCopyData} keeps back until 8 KB are
     * queued, and a pipeline's commands before its sync. A replication client sends its standby
     * status update with {@code putCopyData}, then calls this so the server sees it now.
     *
     * @return 0 when everything was sent, -1 when the connection failed or is finished
     */
    int flush();

    /**
     * Reads COPY OUT data: copies as many whole CopyData messages as fit into {@code dst}'s
     * remaining space, payloads back to back, advancing its position, and stores each message's
     * length in {@code lengths} (at most {@code lengths.length} messages). Blocks until at least
     * one message, the end, or an error.
     *
     * @param dst a writable buffer that receives the payloads
     * @param lengths receives the payloads' lengths, from index 0; not empty
     * @return the number of messages (at least 1), {@link #COPY_END}, {@link #COPY_ERROR} or
     *     {@link #COPY_BUFFER_TOO_SMALL}
     * @throws NullPointerException for a null buffer or array
     * @throws IllegalArgumentException for a read-only buffer or an empty lengths array
     */
    int getCopyData(ByteBuffer dst, int[] lengths);

    /** {@return the size of the message held back by {@link #COPY_BUFFER_TOO_SMALL}, 0 if none} */
    int pendingCopyDataLength();

    /**
     * {@return the connection's cancel handle, created with it; null when the connection never
     * became OK}
     */
    PgCancel cancelHandle();

    /**
     * Receives notices (results of status {@link PgExecStatus#NONFATAL_ERROR}, or FATAL errors that
     * arrive while idle) on the thread that made the call during which they arrived. Must not call
     * back into this connection.
     *
     * @param handler the receiver; null restores the default, which drops them
     */
    void setNoticeHandler(Consumer<PgResult> handler);

    /** {@return the next notification received so far, or null (libpq's {@code PQnotifies})} */
    PgNotify notifies();

    /**
     * Receives notifications as they arrive, on the thread that made the call during which they
     * arrived, instead of queueing them for {@link #notifies()}. Must not call back into this
     * connection; a handler that throws is logged.
     *
     * @param handler the receiver; null restores queueing
     */
    void setNotifyHandler(Consumer<PgNotify> handler);

    /**
     * Waits up to {@code timeoutMs} for the server to send something while no command is in
     * progress, and reads what came (what a libpq program does to LISTEN: wait on
     * {@code PQsocket()} for reading, then {@code PQconsumeInput()}): notifications then reach
     * {@link #notifies()} or the notify handler, notices the notice handler. Waits in bounded
     * slices like every blocking call, so {@link #finish()} from another thread ends it.
     *
     * @param timeoutMs the longest wait, 0 to read only what has already arrived
     * @return true when input was read, or the connection is lost or finished ({@link #status()}
     *     tells); false when the time ran out first
     */
    boolean awaitInput(int timeoutMs);

    /**
     * libpq's {@code PQtrace} with {@code PQsetTraceFlags}: from now on every protocol message
     * this connection sends or receives is written to {@code out} as one line in libpq's trace
     * format (libpq 14 and later: optional timestamp, {@code F} or {@code B}, length, message
     * name, fields). Replaces an earlier trace; {@code null} ends tracing ({@code PQuntrace}).
     * Everything traced has been written to {@code out} when this returns; the stream is never
     * closed here. A stream that fails to write ends the trace, not the connection.
     *
     * @param out where the lines go, or null to stop
     * @param flags {@link #TRACE_SUPPRESS_TIMESTAMPS} and {@link #TRACE_REGRESS_MODE}, or 0
     * @throws java.io.UncheckedIOException when the backend cannot set the trace up (the native
     *     backend makes a pipe for libpq's lines); the connection is left as it was
     */
    void trace(OutputStream out, int flags);

    /** {@return true once {@link #finish()} has run} */
    boolean isFinished();

    /** Closes the connection (Terminate when it is OK) and releases everything. Idempotent. */
    void finish();

    /** Same as {@link #finish()}. */
    @Override
    default void close() {
        finish();
    }
}

/*
 * pqshim: the thin C layer between libpq and the JVM (bound by JavaCPP in
 * io.pqbridge.pq.natives.PqShim).
 *
 * This header names no libpq type: a connection is the opaque pqs_conn, a
 * cancel handle the opaque pqs_cancel. Only the shim's own sources (pqshim*.c)
 * include libpq-fe.h.
 *
 * Contract with the Java side (NativePgConn, NativeSteps):
 * - A pqs_conn is used by one thread at a time (the Java side serialises
 *   every call under the connection's lock). pqs_finish frees it; the Java
 *   side forgets the handle before anything else can use it.
 * - A pqs_cancel is independent of its connection once created; the Java side
 *   never frees it while another thread is inside pqs_cancel_send.
 * - Every entry point checks its handle (NULL, magic number) and answers like
 *   libpq answers a NULL PGconn instead of touching memory it does not own.
 * - No call blocks for longer than its slice_ms argument (except connecting,
 *   which is PQconnectdb and honours connect_timeout): waits happen in poll()
 *   loops so the Java side regains control at least every slice.
 * - Buffers passed in are owned by the caller; the shim copies into them and
 *   keeps no pointer to them after returning.
 */
#ifndef PQSHIM_H
#define PQSHIM_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pqs_conn pqs_conn;
typedef struct pqs_cancel pqs_cancel;

/* Return codes shared by several calls. */
#define PQS_WOULD_BLOCK 0    /* the slice ended before the operation could progress: call again */
#define PQS_COPY_END (-1)    /* pqs_get_copy_data: the COPY OUT data ended */
#define PQS_ERROR (-2)       /* pqs_get_copy_data: error, see pqs_error_message */
#define PQS_TOO_SMALL (-3)   /* pqs_get_copy_data: the next message does not fit the buffer */

/* Version of the libpq the shim runs against (PQlibVersion). */
int pqs_lib_version(void);

/*
 * Connects (PQconnectdb, blocking, honours connect_timeout). Never returns NULL
 * unless memory is exhausted; a failed connection has status BAD and an error
 * message. The handle owns the PGconn, a notice queue and scratch state.
 */
pqs_conn *pqs_connect(const char *conninfo);

/* Closes the connection (Terminate if it was OK) and frees everything. NULL is a no-op. */
void pqs_finish(pqs_conn *c);

/*
 * libpq's PQtrace with PQsetTraceFlags(flags), into a new pipe: returns the
 * pipe's read end, which the caller reads the trace lines from until end of
 * file and closes (pqs_close_fd); -1 with errno set when no pipe could be made
 * (EINVAL for an unusable handle). Ends an earlier trace first. End of file
 * comes when pqs_untrace, a later pqs_trace_pipe or pqs_finish ends the trace
 * (see pqshim_trace.c for who owns which end).
 */
int pqs_trace_pipe(pqs_conn *c, int flags);
/* PQuntrace, and closes the trace's pipe; nothing when not tracing. */
void pqs_untrace(pqs_conn *c);
/* close(2) for a descriptor the shim handed out. */
void pqs_close_fd(int fd);

/* PQstatus: 0 = CONNECTION_OK, 1 = CONNECTION_BAD, ... */
int pqs_status(pqs_conn *c);
/* PQtransactionStatus: 0 IDLE, 1 ACTIVE, 2 INTRANS, 3 INERROR, 4 UNKNOWN */
int pqs_transaction_status(pqs_conn *c);
int pqs_backend_pid(pqs_conn *c);
int pqs_server_version(pqs_conn *c);
int pqs_protocol_version(pqs_conn *c);
/* libpq 18's PQfullProtocolVersion (30002 for 3.2); 30000 on an older libpq, which speaks only 3.0. */
int pqs_full_protocol_version(pqs_conn *c);

/*
 * String getters copy into buf (up to cap bytes, no terminator) and return the
 * full length of the value, or -1 when libpq has no value (NULL). A caller
 * whose buffer was too small calls again with a larger one.
 */
int pqs_error_message(pqs_conn *c, char *buf, int cap);
int pqs_parameter_status(pqs_conn *c, const char *name, char *buf, int cap);
/*
 * Several PQparameterStatus at once: names holds count NUL-terminated names back to back; buf
 * receives, per name, an int32 length in native order (-1: not reported) and the value's bytes.
 * Returns the bytes needed (call again with a larger buffer when that exceeds cap).
 */
int pqs_parameter_statuses(pqs_conn *c, const char *names, int count, char *buf, int cap);
/* The effective options (PQconninfo) as keyword NUL value NUL pairs; options without value skipped. */
int pqs_conninfo(pqs_conn *c, char *buf, int cap);

/*
 * PQconninfoParse: the options a connection string sets, as keyword NUL value
 * NUL pairs. On a parse error *failed is set to 1 and buf receives libpq's
 * message instead. Returns the bytes needed (call again with a larger buffer
 * when that exceeds cap).
 */
int pqs_conninfo_parse(const char *conninfo, char *buf, int cap, int *failed);
/* PQconndefaults: keyword NUL compiled-default NUL pairs, for options that have one. */
int pqs_conndefaults(char *buf, int cap);

/* PQsendQuery: 1 sent, 0 refused (see the error message). */
int pqs_send_query(pqs_conn *c, const char *sql);

/*
 * PQsendQueryParams. The n parameter values lie back to back in values, each
 * followed by a NUL (libpq reads text values as C strings); lengths[i] is the
 * length of value i without its NUL, -1 for NULL (which takes no room). types may be NULL (server
 * infers), formats may be NULL (all text).
 */
int pqs_send_query_params(pqs_conn *c, const char *sql, int n, const unsigned int *types,
                          const char *values, const int *lengths, const int *formats,
                          int result_format);

/*
 * Prepared statements and portals. Names are passed to libpq as they come, NULL
 * included, so that libpq gives its own answer: PQsendPrepare and
 * PQsendQueryPrepared refuse a NULL name ("statement name is a null pointer"),
 * the describe and close calls take NULL for "" (the unnamed statement or
 * portal). All return 1 sent, 0 refused (see the error message).
 */

/* PQsendPrepare: types holds the type OIDs of the first n parameters, or is NULL (server infers). */
int pqs_send_prepare(pqs_conn *c, const char *name, const char *sql, int n, const unsigned int *types);

/* PQsendQueryPrepared: values, lengths and formats laid out as for pqs_send_query_params. */
int pqs_send_query_prepared(pqs_conn *c, const char *name, int n, const char *values, const int *lengths,
                            const int *formats, int result_format);

/* PQsendDescribePrepared, PQsendDescribePortal: the result carries the parameter types (statement) and fields. */
int pqs_send_describe_prepared(pqs_conn *c, const char *name);
int pqs_send_describe_portal(pqs_conn *c, const char *name);

/*
 * PQsendClosePrepared, PQsendClosePortal: libpq 17 and later send the
 * protocol's Close message, whose one result is COMMAND_OK with an empty
 * command status, also for a name that does not exist. The shim is built
 * against older headers too and so links these two functions weakly: it calls
 * them whenever the libpq.so.5 it runs on has them.
 *
 * Fallback on an older libpq, which has no way to send Close: the SQL
 * DEALLOCATE "name" / CLOSE "name" through PQsendQueryParams, the
 * name quoted as an identifier (in double quotes, embedded double quotes
 * doubled; NULL is ""). Its result differs from Close's: the command status is
 * "DEALLOCATE" / "CLOSE CURSOR"; an unknown name is an error (26000 / 34000);
 * "" (the unnamed statement or portal) is a syntax error (42601, zero-length
 * delimited identifier); a name longer than NAMEDATALEN - 1 bytes draws a
 * NOTICE that it will be truncated (it still matches: the server truncates
 * every such name alike); and in a failed transaction it is refused (25P02)
 * like any statement, where Close is not.
 */
int pqs_send_close_prepared(pqs_conn *c, const char *name);
int pqs_send_close_portal(pqs_conn *c, const char *name);

/* 1 when the libpq in use has PQsendClosePrepared and PQsendClosePortal, 0 when the calls above fall back to SQL. */
int pqs_close_sends_close_message(void);

/* PQsetSingleRowMode: 1 set, 0 not allowed now (only right after sending a query, before any result). */
int pqs_set_single_row_mode(pqs_conn *c);

/*
 * libpq 17's PQsetChunkedRowsMode: 1 set, 0 refused (a size below 1, or not
 * right after sending a query). On an older libpq the shim builds the chunks
 * from single-row mode (pqshim_chunks.c) with the same results: chunks of
 * status 12 (PGRES_TUPLES_CHUNK), the command status on a short last chunk.
 * Of this and single-row mode, the last one set before the command's first
 * result is the one it keeps, as in libpq 17.
 */
int pqs_set_chunked_rows_mode(pqs_conn *c, int chunk_size);

/*
 * Pipeline mode, libpq's calls as they are: PQenterPipelineMode,
 * PQexitPipelineMode, PQpipelineSync, PQsendFlushRequest (1 done, 0 refused,
 * the reason in the error message) and PQpipelineStatus (0 off, 1 on, 2
 * aborted).
 */
int pqs_enter_pipeline_mode(pqs_conn *c);
int pqs_exit_pipeline_mode(pqs_conn *c);
int pqs_pipeline_sync(pqs_conn *c);
int pqs_send_flush_request(pqs_conn *c);
int pqs_pipeline_status(pqs_conn *c);

/*
 * The start of a blocking call (libpq's PQexecStart, which is not exported):
 * 1 when it may go on; 0 in pipeline mode, with libpq's own refusal in the
 * error message (or for a NULL connection).
 */
int pqs_exec_start(pqs_conn *c);

/*
 * Waits up to slice_ms for the next result to be ready (flushing pending
 * output, consuming input). 1 = pqs_next_result will not block, 0 = not yet.
 * A lost connection counts as ready: libpq then delivers the error results.
 */
int pqs_wait_result(pqs_conn *c, int slice_ms);

/*
 * Waits up to slice_ms for input while no command runs (a LISTENing
 * session's notifications): parses what libpq already holds, then waits for
 * the socket and consumes what arrives. 1 = input was read or the connection
 * failed (see pqs_status), 0 = the slice ran out first.
 */
int pqs_wait_input(pqs_conn *c, int slice_ms);

/*
 * Takes the next result from libpq (PQgetResult, must be ready) and keeps it
 * pending in the handle. Returns the size of its serialised form, or 0 when
 * libpq returned NULL (no more results). pqs_take_result then writes it.
 */
int pqs_next_result(pqs_conn *c);

/*
 * Serialises the pending result into buf (cap must be at least the size
 * pqs_next_result returned) and clears it. Returns the bytes written, or -1 if
 * there is no pending result or the buffer is too small (the result stays pending).
 */
int pqs_take_result(pqs_conn *c, char *buf, int cap);

/*
 * Queues len bytes of COPY data as one CopyData message. Applies back-pressure:
 * once 8 KB or more were queued since the output was last fully sent, it first
 * waits (up to slice_ms) until the socket took everything, so libpq's output
 * buffer stays bounded by about one chunk, while small rows still go out in
 * 8 KB writes as with blocking libpq.
 * 1 = queued, 0 = the socket stayed full for the whole slice (nothing queued:
 * call again), -1 = error.
 */
int pqs_put_copy_data(pqs_conn *c, const char *buf, int len, int slice_ms);

/* PQputCopyEnd: errmsg NULL = CopyDone, else CopyFail(errmsg). 1 ok, -1 error. Flush with pqs_flush. */
int pqs_put_copy_end(pqs_conn *c, const char *errmsg);

/* Sends pending output, waiting up to slice_ms. 0 = all sent, 1 = data remains, -1 = error. */
int pqs_flush(pqs_conn *c, int slice_ms);

/*
 * Copies as many whole CopyData messages as fit into dst (cap bytes), payloads
 * back to back, and their lengths into lengths[0..n-1] (at most max_msgs).
 * Hands out what libpq has buffered; reads the socket (as blocking libpq does:
 * once poll() says it is ready) and waits up to slice_ms only while nothing
 * has been copied yet, so one call brings at most one read's worth of new data.
 * Returns n > 0, PQS_WOULD_BLOCK, PQS_COPY_END (then read the results),
 * PQS_ERROR, or PQS_TOO_SMALL when the next message alone exceeds cap (it stays
 * pending; pqs_pending_copy_length tells its size).
 */
int pqs_get_copy_data(pqs_conn *c, char *dst, int cap, int *lengths, int max_msgs, int slice_ms);
int pqs_pending_copy_length(pqs_conn *c);

/*
 * Notices and notifications received so far, serialised as records
 * (int32 tag 'N' or 'A', int32 length, payload). pqs_events_size tells the
 * bytes queued; pqs_take_events copies them (cap must be at least that size)
 * and empties the queue. Returns bytes copied, or -1 if cap is too small.
 */
int pqs_events_size(pqs_conn *c);
int pqs_take_events(pqs_conn *c, char *buf, int cap);

/*
 * Cancel handle (PQgetCancel) taken from a connection; lives until
 * pqs_cancel_free whatever happens to the connection. pqs_cancel_send
 * (PQcancel) is safe from any thread; on failure it copies libpq's message
 * into errbuf (NUL-terminated) and returns 0. Returns 1 when delivered.
 */
pqs_cancel *pqs_cancel_create(pqs_conn *c);
int pqs_cancel_send(pqs_cancel *k, char *errbuf, int cap);
/*
 * A cancel bounded in time, through libpq 17's cancel connection
 * (PQcancelStart, then PQcancelPoll while poll() waits on PQcancelSocket):
 * 1 delivered; 0 failed, libpq's message in errbuf; -1 not delivered within
 * timeout_ms (the attempt is abandoned and its socket closed); -2 the loaded
 * libpq has no cancel connection (older than 17). Not for two threads at once
 * on one handle: the caller serialises.
 */
int pqs_cancel_within(pqs_cancel *k, int timeout_ms, char *errbuf, int cap);
void pqs_cancel_free(pqs_cancel *k);

#ifdef __cplusplus
}
#endif

#endif

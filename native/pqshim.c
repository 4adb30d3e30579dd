/*
 * pqshim over libpq. See pqshim.h for the contract.
 *
 * Implementation notes
 * --------------------
 * Ownership: a pqs_conn owns its PGconn, at most one pending PGresult (taken
 * from libpq, not yet serialised), at most one pending CopyData buffer (a
 * message that did not fit the caller's buffer) and the event queue. All of
 * them are released in pqs_finish, each exactly once; the pending pointers are
 * nulled whenever their memory is handed back.
 *
 * Blocking: the connection runs in libpq's nonblocking mode after connecting.
 * Every wait is a poll() bounded by the caller's slice, so no call holds the
 * JVM thread (and the Java lock) longer than one slice. These are the native
 * backend's only waits; looping over slices, yielding the lock between them,
 * is the Java layer's (BlockingLayer), shared with the java backend.
 *
 * NULL handles: pqs_pgconn() maps an unusable handle to a NULL PGconn and the
 * libpq call that follows answers as libpq answers NULL ("connection pointer
 * is NULL"), so the shim never invents its own misuse semantics.
 *
 * Serialised results: see pqshim_result.c.
 *
 * Close (libpq 17's PQsendClosePrepared, PQsendClosePortal): declared weak, so
 * the shim loads on a libpq.so.5 without them (they are then NULL) and uses
 * them on one that has them, whichever headers it was built with; without
 * them it sends DEALLOCATE / CLOSE (see pqs_send_close_prepared in pqshim.h).
 *
 * Chunked-rows mode (libpq 17's PQsetChunkedRowsMode) is declared weak too;
 * without it the shim builds the chunks from single rows (pqshim_chunks.c).
 *
 * Cancel handles live in pqshim_cancel.c, pipeline mode in pqshim_pipeline.c,
 * COPY in pqshim_copy.c.
 */
#define _POSIX_C_SOURCE 200809L

#include "pqshim.h"
#include "pqshim_conn.h"

#include <errno.h>
#include <limits.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef LIBPQ_HAS_CLOSE_PREPARED
/* libpq 17 and later; older headers lack them (libpq-fe.h's prototypes). */
extern int PQsendClosePrepared(PGconn *conn, const char *stmt);
extern int PQsendClosePortal(PGconn *conn, const char *portal);
#endif
#pragma weak PQsendClosePrepared
#pragma weak PQsendClosePortal
#ifndef LIBPQ_HAS_CHUNK_MODE
/* libpq 17 and later. */
extern int PQsetChunkedRowsMode(PGconn *conn, int chunkSize);
#endif
#pragma weak PQsetChunkedRowsMode
#ifndef LIBPQ_HAS_FULL_PROTOCOL_VERSION
/* libpq 18 and later. */
extern int PQfullProtocolVersion(PGconn *conn);
#endif
#pragma weak PQfullProtocolVersion

PGconn *pqs_pgconn(pqs_conn *c)
{
    return (c != NULL && c->magic == PQS_MAGIC) ? c->conn : NULL;
}

/* ---- time and waiting ---------------------------------------------------- */

int64_t pqs_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

short pqs_wait_socket(PGconn *conn, short events, int timeout_ms)
{
    struct pollfd p;
    p.fd = PQsocket(conn);
    p.events = events;
    p.revents = 0;
    if (p.fd < 0)
        return POLLERR;
    if (timeout_ms < 0)
        timeout_ms = 0;
    int r = poll(&p, 1, timeout_ms);
    if (r < 0)
        return errno == EINTR ? 0 : POLLERR;
    return p.revents;
}

/* ---- serialisation ------------------------------------------------------- */

/* ---- events (notices, notifications) -------------------------------------- */

static int events_reserve(pqs_conn *c, size_t extra)
{
    if (c->events_len + extra <= c->events_cap)
        return 1;
    size_t cap = c->events_cap ? c->events_cap : 1024;
    while (cap < c->events_len + extra)
        cap *= 2;
    char *grown = realloc(c->events, cap);
    if (grown == NULL)
        return 0;
    c->events = grown;
    c->events_cap = cap;
    return 1;
}

/*
 * Notice receiver, called by libpq inside whatever libpq call is running for
 * this connection (so under the Java lock). An event that cannot be queued
 * for lack of memory is dropped: there is nobody to report it to.
 */
static void on_notice(void *arg, const PGresult *res)
{
    pqs_conn *c = arg;
    size_t size = pqs_result_size(res);
    if (size > INT32_MAX || !events_reserve(c, size + 8))
        return;
    pqs_writer w = {c->events + c->events_len, size + 8, 0};
    pqs_put_i32(&w, 'N');
    pqs_put_i32(&w, (int32_t)size);
    pqs_write_result(&w, res);
    c->events_len += w.pos;
}

static void drain_notifies(pqs_conn *c)
{
    PGnotify *n;
    while ((n = PQnotifies(c->conn)) != NULL) {
        pqs_writer count = {NULL, 0, 0};
        pqs_put_i32(&count, n->be_pid);
        pqs_put_str(&count, n->relname);
        pqs_put_str(&count, n->extra);
        if (count.pos <= INT32_MAX && events_reserve(c, count.pos + 8)) {
            pqs_writer w = {c->events + c->events_len, count.pos + 8, 0};
            pqs_put_i32(&w, 'A');
            pqs_put_i32(&w, (int32_t)count.pos);
            pqs_put_i32(&w, n->be_pid);
            pqs_put_str(&w, n->relname);
            pqs_put_str(&w, n->extra);
            c->events_len += w.pos;
        }
        PQfreemem(n);
    }
}

static size_t write_options(pqs_writer *w, const PQconninfoOption *opts, int compiled);

/* ---- lifecycle ------------------------------------------------------------ */

int pqs_lib_version(void)
{
    return PQlibVersion();
}

pqs_conn *pqs_connect(const char *conninfo)
{
    pqs_conn *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->conn = PQconnectdb(conninfo != NULL ? conninfo : "");
    if (c->conn == NULL) {
        free(c);
        return NULL;
    }
    c->magic = PQS_MAGIC;
    PQsetNoticeReceiver(c->conn, on_notice, c);
    if (PQstatus(c->conn) == CONNECTION_OK)
        PQsetnonblocking(c->conn, 1);
    return c;
}

void pqs_finish(pqs_conn *c)
{
    if (c == NULL || c->magic != PQS_MAGIC)
        return;
    c->magic = PQS_DEAD;
    if (c->pending_result != NULL) {
        PQclear(c->pending_result);
        c->pending_result = NULL;
    }
    if (c->pending_copy != NULL) {
        PQfreemem(c->pending_copy);
        c->pending_copy = NULL;
    }
    free(c->events);
    c->events = NULL;
    pqs_chunks_free(c->chunks);
    c->chunks = NULL;
    PGconn *conn = c->conn;
    c->conn = NULL;
    PQfinish(conn); /* traces the Terminate it sends: the trace closes after */
    pqs_trace_close(c);
    free(c);
}

/* ---- status ---------------------------------------------------------------- */

int pqs_status(pqs_conn *c)
{
    return (int)PQstatus(pqs_pgconn(c));
}

int pqs_transaction_status(pqs_conn *c)
{
    return (int)PQtransactionStatus(pqs_pgconn(c));
}

int pqs_backend_pid(pqs_conn *c)
{
    return PQbackendPID(pqs_pgconn(c));
}

int pqs_server_version(pqs_conn *c)
{
    return PQserverVersion(pqs_pgconn(c));
}

int pqs_protocol_version(pqs_conn *c)
{
    return PQprotocolVersion(pqs_pgconn(c));
}

int pqs_full_protocol_version(pqs_conn *c)
{
    PGconn *conn = pqs_pgconn(c);
    if (PQfullProtocolVersion != NULL)
        return PQfullProtocolVersion(conn);
    return PQprotocolVersion(conn) * 10000; /* before libpq 18, always 3.0 */
}

static int copy_string(const char *s, char *buf, int cap)
{
    if (s == NULL)
        return -1;
    size_t n = strlen(s);
    if (n > INT32_MAX)
        n = INT32_MAX;
    if (buf != NULL && cap > 0)
        memcpy(buf, s, n < (size_t)cap ? n : (size_t)cap);
    return (int)n;
}

int pqs_error_message(pqs_conn *c, char *buf, int cap)
{
    return copy_string(PQerrorMessage(pqs_pgconn(c)), buf, cap);
}

int pqs_parameter_status(pqs_conn *c, const char *name, char *buf, int cap)
{
    return copy_string(PQparameterStatus(pqs_pgconn(c), name), buf, cap);
}

int pqs_parameter_statuses(pqs_conn *c, const char *names, int count, char *buf, int cap)
{
    PGconn *conn = pqs_pgconn(c);
    size_t limit = cap > 0 ? (size_t)cap : 0;
    size_t pos = 0;
    const char *name = names;
    for (int i = 0; i < count; i++) {
        const char *value = conn == NULL ? NULL : PQparameterStatus(conn, name);
        size_t len = value == NULL ? 0 : strlen(value);
        if (len > INT32_MAX - 4 || pos > (size_t)INT32_MAX - 4 - len)
            return -1;
        int32_t header = value == NULL ? -1 : (int32_t)len;
        if (pos + 4 + len <= limit) {
            memcpy(buf + pos, &header, 4);
            if (len > 0)
                memcpy(buf + pos + 4, value, len);
        }
        pos += 4 + len;
        name += strlen(name) + 1;
    }
    return (int)pos;
}

int pqs_conninfo(pqs_conn *c, char *buf, int cap)
{
    PGconn *conn = pqs_pgconn(c);
    if (conn == NULL)
        return -1;
    PQconninfoOption *opts = PQconninfo(conn);
    if (opts == NULL)
        return -1;
    pqs_writer w = {buf, cap > 0 ? (size_t)cap : 0, 0};
    write_options(&w, opts, 0);
    PQconninfoFree(opts);
    return w.pos > INT32_MAX ? -1 : (int)w.pos;
}

/* Writes keyword NUL value NUL for each option whose chosen field is set. */
static size_t write_options(pqs_writer *w, const PQconninfoOption *opts, int compiled)
{
    for (const PQconninfoOption *o = opts; o->keyword != NULL; o++) {
        const char *v = compiled ? o->compiled : o->val;
        if (v == NULL)
            continue;
        pqs_put_bytes(w, o->keyword, strlen(o->keyword) + 1);
        pqs_put_bytes(w, v, strlen(v) + 1);
    }
    return w->pos;
}

int pqs_conninfo_parse(const char *conninfo, char *buf, int cap, int *failed)
{
    char *errmsg = NULL;
    PQconninfoOption *opts = PQconninfoParse(conninfo != NULL ? conninfo : "", &errmsg);
    pqs_writer w = {buf, cap > 0 ? (size_t)cap : 0, 0};
    if (opts == NULL) {
        if (failed != NULL)
            *failed = 1;
        const char *text = errmsg != NULL ? errmsg : "out of memory\n";
        pqs_put_bytes(&w, text, strlen(text));
        if (errmsg != NULL)
            PQfreemem(errmsg);
    } else {
        if (failed != NULL)
            *failed = 0;
        write_options(&w, opts, 0);
        PQconninfoFree(opts);
    }
    return w.pos > INT32_MAX ? -1 : (int)w.pos;
}

int pqs_conndefaults(char *buf, int cap)
{
    PQconninfoOption *opts = PQconndefaults();
    if (opts == NULL)
        return -1;
    pqs_writer w = {buf, cap > 0 ? (size_t)cap : 0, 0};
    write_options(&w, opts, 1);
    PQconninfoFree(opts);
    return w.pos > INT32_MAX ? -1 : (int)w.pos;
}

/* ---- queries and results ---------------------------------------------------- */

/*
 * The command's result mode (single-row, or chunks built here) ends where
 * libpq resets its own: when a command starts outside pipeline mode
 * (PQsendQueryStart), and at the end of a queued command's results in
 * pipeline mode (pqPipelineProcessQueue). Until then it carries over, as
 * libpq's flag does, to a command queued in pipeline mode right after.
 */
static void partial_mode_reset(pqs_conn *c)
{
    pqs_chunks_stop(c->chunks);
}

/* Every send calls this first: PQsendQueryStart's reset, when its checks will pass. */
static void send_starts(pqs_conn *c)
{
    PGconn *conn = pqs_pgconn(c);
    if (conn != NULL && PQstatus(conn) == CONNECTION_OK && PQpipelineStatus(conn) == PQ_PIPELINE_OFF
        && PQtransactionStatus(conn) != PQTRANS_ACTIVE)
        partial_mode_reset(c);
}

int pqs_send_query(pqs_conn *c, const char *sql)
{
    send_starts(c);
    return PQsendQuery(pqs_pgconn(c), sql);
}

/*
 * The value pointers libpq takes, for n values laid out back to back as
 * pqs_send_query_params describes: *ptrs is NULL when n <= 0 (libpq then reads
 * none, or refuses n itself), else an array of n the caller frees. Returns 0
 * when memory is exhausted.
 */
static int value_pointers(int n, const char *values, const int *lengths, const char ***ptrs)
{
    *ptrs = NULL;
    if (n <= 0)
        return 1;
    const char **p = calloc((size_t)n, sizeof *p);
    if (p == NULL)
        return 0;
    size_t offset = 0;
    for (int i = 0; i < n; i++) {
        if (lengths[i] < 0) {
            p[i] = NULL;
        } else {
            p[i] = values + offset;
            offset += (size_t)lengths[i] + 1; /* each value is NUL-terminated */
        }
    }
    *ptrs = p;
    return 1;
}

int pqs_send_query_params(pqs_conn *c, const char *sql, int n, const unsigned int *types,
                          const char *values, const int *lengths, const int *formats,
                          int result_format)
{
    send_starts(c);
    PGconn *conn = pqs_pgconn(c);
    const char **ptrs;
    if (!value_pointers(conn != NULL ? n : 0, values, lengths, &ptrs))
        return 0;
    int ok = PQsendQueryParams(conn, sql, n, (const Oid *)types, ptrs, lengths, formats,
                               result_format);
    free(ptrs);
    return ok;
}

int pqs_send_prepare(pqs_conn *c, const char *name, const char *sql, int n, const unsigned int *types)
{
    send_starts(c);
    return PQsendPrepare(pqs_pgconn(c), name, sql, n, (const Oid *)types);
}

int pqs_send_query_prepared(pqs_conn *c, const char *name, int n, const char *values, const int *lengths,
                            const int *formats, int result_format)
{
    send_starts(c);
    PGconn *conn = pqs_pgconn(c);
    const char **ptrs;
    if (!value_pointers(conn != NULL ? n : 0, values, lengths, &ptrs))
        return 0;
    int ok = PQsendQueryPrepared(conn, name, n, ptrs, lengths, formats, result_format);
    free(ptrs);
    return ok;
}

int pqs_send_describe_prepared(pqs_conn *c, const char *name)
{
    send_starts(c);
    return PQsendDescribePrepared(pqs_pgconn(c), name);
}

int pqs_send_describe_portal(pqs_conn *c, const char *name)
{
    send_starts(c);
    return PQsendDescribePortal(pqs_pgconn(c), name);
}

int pqs_close_sends_close_message(void)
{
    return PQsendClosePrepared != NULL && PQsendClosePortal != NULL;
}

/*
 * The fallback for a libpq without Close: "verb name" with the name quoted as
 * an identifier (NULL = ""), sent with PQsendQueryParams (the extended
 * protocol, so that it can queue in pipeline mode as Close would). Returns 0
 * when refused or when memory is exhausted.
 */
static int send_quoted(PGconn *conn, const char *verb, const char *name)
{
    if (name == NULL)
        name = "";
    size_t verb_len = strlen(verb);
    size_t name_len = strlen(name);
    if (name_len > (SIZE_MAX - verb_len - 3) / 2)
        return 0;
    char *sql = malloc(verb_len + 2 * name_len + 3); /* verb, quotes, each quote doubled, NUL */
    if (sql == NULL)
        return 0;
    char *out = sql;
    memcpy(out, verb, verb_len);
    out += verb_len;
    *out++ = '"';
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            *out++ = '"';
        *out++ = *p;
    }
    *out++ = '"';
    *out = '\0';
    int ok = PQsendQueryParams(conn, sql, 0, NULL, NULL, NULL, NULL, 0);
    free(sql);
    return ok;
}

int pqs_send_close_prepared(pqs_conn *c, const char *name)
{
    send_starts(c);
    if (pqs_close_sends_close_message())
        return PQsendClosePrepared(pqs_pgconn(c), name);
    return send_quoted(pqs_pgconn(c), "DEALLOCATE ", name);
}

int pqs_send_close_portal(pqs_conn *c, const char *name)
{
    send_starts(c);
    if (pqs_close_sends_close_message())
        return PQsendClosePortal(pqs_pgconn(c), name);
    return send_quoted(pqs_pgconn(c), "CLOSE ", name);
}

/*
 * Single-row and chunked-rows mode: the last one set before the command's
 * first result wins, as in libpq 17's PQsetSingleRowMode/PQsetChunkedRowsMode
 * (both pass canChangeResultMode, then overwrite the mode). Emulated, the
 * chunks ride on libpq's single-row mode, so single-row mode set after them
 * only stops the gathering.
 */
int pqs_set_single_row_mode(pqs_conn *c)
{
    int set = PQsetSingleRowMode(pqs_pgconn(c));
    if (set && PQsetChunkedRowsMode == NULL)
        pqs_chunks_stop(c->chunks);
    return set;
}

int pqs_set_chunked_rows_mode(pqs_conn *c, int chunk_size)
{
    PGconn *conn = pqs_pgconn(c);
    if (PQsetChunkedRowsMode != NULL)
        return PQsetChunkedRowsMode(conn, chunk_size);
    if (conn == NULL || chunk_size <= 0 || !PQsetSingleRowMode(conn))
        return 0;
    /* out of memory for the gathering state: 0, and the command stays in single-row mode */
    return pqs_chunks_start(&c->chunks, chunk_size);
}

int pqs_wait_result(pqs_conn *c, int slice_ms)
{
    PGconn *conn = pqs_pgconn(c);
    if (conn == NULL)
        return 1;
    int64_t deadline = pqs_now_ms() + slice_ms;
    int chunking = pqs_chunks_active(c->chunks);
    for (;;) {
        int flushed = PQflush(conn);
        if (chunking) {
            /* ready when a whole chunk (or what ends one) is in: the rows are gathered here, without blocking */
            if (flushed < 0 || pqs_chunks_pump(c->chunks, conn) || !PQconsumeInput(conn)
                || pqs_chunks_pump(c->chunks, conn))
                return 1;
        } else if (flushed < 0 || !PQisBusy(conn) || !PQconsumeInput(conn) || !PQisBusy(conn)) {
            /* as PQgetResult: parse what is buffered first and read only while that is not enough;
             * reading first would move and grow the buffered rest for every row of a single-row result */
            return 1;
        }
        int64_t remaining = deadline - pqs_now_ms();
        if (remaining <= 0)
            return 0;
        short ev = pqs_wait_socket(conn, POLLIN | (flushed == 1 ? POLLOUT : 0), (int)remaining);
        if (ev & (POLLERR | POLLNVAL))
            return 1;
    }
}

int pqs_wait_input(pqs_conn *c, int slice_ms)
{
    PGconn *conn = pqs_pgconn(c);
    if (conn == NULL)
        return 1;
    PQisBusy(conn); /* parses what is buffered: notifications that came with the last result */
    short ev = pqs_wait_socket(conn, POLLIN, slice_ms);
    if (ev == 0)
        return 0;
    if (!(ev & (POLLERR | POLLNVAL)))
        PQconsumeInput(conn); /* a failure marks the connection bad, which the caller reads */
    return 1;
}

int pqs_next_result(pqs_conn *c)
{
    PGconn *conn = pqs_pgconn(c);
    if (conn == NULL)
        return 0;
    if (c->pending_result != NULL) {
        PQclear(c->pending_result);
        c->pending_result = NULL;
    }
    int in_pipeline = PQpipelineStatus(conn) != PQ_PIPELINE_OFF;
    if (pqs_chunks_active(c->chunks)) {
        int status = -1;
        int size = pqs_chunks_next(c->chunks, conn, &status);
        if (in_pipeline && (size == 0 || status == PGRES_PIPELINE_SYNC))
            partial_mode_reset(c);
        return size;
    }
    PGresult *r = PQgetResult(conn);
    if (in_pipeline && (r == NULL || PQresultStatus(r) == PGRES_PIPELINE_SYNC))
        partial_mode_reset(c);
    if (r == NULL)
        return 0;
    size_t size = pqs_result_size(r);
    if (size > INT32_MAX) {
        PQclear(r);
        return -1;
    }
    c->pending_result = r;
    c->pending_size = size;
    return (int)size;
}

int pqs_take_result(pqs_conn *c, char *buf, int cap)
{
    if (pqs_pgconn(c) != NULL && pqs_chunks_has_output(c->chunks))
        return buf == NULL || cap < 0 ? -1 : pqs_chunks_take(c->chunks, buf, cap);
    if (pqs_pgconn(c) == NULL || c->pending_result == NULL || buf == NULL || cap < 0)
        return -1;
    if (c->pending_size > (size_t)cap)
        return -1;
    pqs_writer w = {buf, (size_t)cap, 0};
    pqs_write_result(&w, c->pending_result);
    PQclear(c->pending_result);
    c->pending_result = NULL;
    return (int)w.pos;
}

/* ---- events ------------------------------------------------------------------ */

int pqs_events_size(pqs_conn *c)
{
    if (pqs_pgconn(c) == NULL)
        return 0;
    drain_notifies(c);
    return c->events_len > INT32_MAX ? INT32_MAX : (int)c->events_len;
}

int pqs_take_events(pqs_conn *c, char *buf, int cap)
{
    if (pqs_pgconn(c) == NULL)
        return 0;
    if (buf == NULL || cap < 0 || c->events_len > (size_t)cap)
        return -1;
    int n = (int)c->events_len;
    if (n > 0)
        memcpy(buf, c->events, (size_t)n);
    c->events_len = 0;
    return n;
}
